/**
 * Turns what Bitbucket answered into a closed set of outcomes (facts §6). Pure: tested on captured status,
 * headers and bodies. Messages quoted back to users are the server's own `remote:` text, never our guesses.
 */

export type ProbeOutcome =
  | { kind: 'ok' }
  | { kind: 'retired'; message: string } // 410 CHANGE-3222: an app password
  | { kind: 'rejected'; message: string } // 401: wrong secret, wrong username, unscoped, expired, revoked
  | { kind: 'missing-scope'; message: string; granted?: string[]; required?: string[] } // 403 privilege scopes
  | { kind: 'no-access'; status: number; message: string } // 403/404 for a credential that authenticated
  | { kind: 'rate-limited'; retryAfterSeconds?: number }
  | { kind: 'server-error'; status: number }
  | { kind: 'unexpected'; status: number; message: string }
  /** A success status from something that is not Bitbucket's endpoint (a portal, a proxy page, a wrong URL). */
  | { kind: 'not-bitbucket'; status: number; contentType: string; message: string }
  | { kind: 'network'; errorKind: string; host: string; proxy?: string; detail: string }; // no HTTP answer

/** One request's result as plain data: what doctor's pure rules read. */
export interface ProbeResult {
  outcome: ProbeOutcome;
  status?: number;
  /** What was asked, for --verbose (no secret). */
  request: string;
  attempts: number;
}

const SCOPE_TEXT = /lack one or more required privilege scopes/i;

/** The first meaningful lines of a body, without HTML, for quoting in evidence. */
export function summarizeBody(body: string, maxLength = 300): string {
  const text = body
    .replace(/<[^>]+>/g, ' ')
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/^remote:\s*/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean)
    .join(' ');
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

function parseJsonError(body: string): { message?: string; granted?: string[]; required?: string[] } {
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: string; detail?: { granted?: string[]; required?: string[] } };
    };
    return {
      message: parsed.error?.message,
      granted: parsed.error?.detail?.granted,
      required: parsed.error?.detail?.required,
    };
  } catch {
    return {};
  }
}

/** What a success from each endpoint is: the smart-HTTP advertisement for git, JSON for the REST API. */
export type Expected = 'git' | 'json';

const SUCCESS_TYPE: Record<Expected, RegExp> = {
  git: /^application\/x-git-(upload|receive)-pack-advertisement\b/i,
  json: /^application\/(?:[\w.+-]+\+)?json\b/i,
};

/**
 * Whether a body starts as a smart-HTTP ref advertisement does: one pkt-line (4 hex digits of length, then the data)
 * holding `# service=git-…` (protocol v0), `version 2` or `version 1`, or straight away the first ref, as git's
 * http-backend sends for receive-pack when the client asked for protocol v2 (`<object id> <ref>`).
 */
function startsAsAdvertisement(body: string): boolean {
  if (!/^[0-9a-f]{4}/.test(body)) return false;
  const length = Number.parseInt(body.slice(0, 4), 16);
  if (length < 5 || length > body.length) return false;
  const data = body.slice(4, length);
  return /^(?:# service=git-(?:upload|receive)-pack\n|version [12]\n|[0-9a-f]{40}(?:[0-9a-f]{24})? )/.test(
    data,
  );
}

/**
 * Why a 2xx with the right content type is still not the endpoint's answer, or undefined when it is: an answer
 * cut off at the size bbauth reads (Bitbucket's are small), one compressed although bbauth asked for none, or a
 * body that is not what the content type says (no advertisement pkt-line, not JSON).
 */
function successBodyFault(
  headers: Record<string, string>,
  body: string,
  expected: Expected,
  truncated: boolean,
): string | undefined {
  if (truncated) return 'an answer larger than bbauth reads (1 MiB): not an endpoint answer';
  const encoding = headers['content-encoding'];
  if (encoding && !/^identity$/i.test(encoding.trim()))
    return `a ${summarizeBody(encoding, 40)}-encoded answer, which bbauth did not ask for`;
  if (expected === 'git' && !startsAsAdvertisement(body)) return 'no git ref advertisement in the body';
  if (expected === 'json') {
    try {
      JSON.parse(body);
    } catch {
      return `a body that is not JSON: "${summarizeBody(body, 80)}"`;
    }
  }
  return undefined;
}

/**
 * Classifies an HTTP answer from either the git smart-HTTP endpoint or the REST API. With `expected`, a 2xx counts
 * as success only with that endpoint's content type: a captive portal's `200 text/html` is not Bitbucket's yes.
 */
export function classifyResponse(
  status: number,
  headers: Record<string, string>,
  body: string,
  expected?: Expected,
  truncated = false,
): ProbeOutcome {
  const message = summarizeBody(parseJsonError(body).message ?? body);
  // Bitbucket's git and REST endpoints answer these requests without redirecting; a redirect is a portal sending
  // the browser to its login page, a proxy, or a URL that is not the endpoint.
  if (status >= 300 && status < 400) {
    const location = headers.location;
    return {
      kind: 'not-bitbucket',
      status,
      contentType: headers['content-type'] ?? '',
      message: location ? `a redirect to ${summarizeBody(location, 120)}` : 'a redirect',
    };
  }
  if (status >= 200 && status < 300) {
    const contentType = headers['content-type'] ?? '';
    if (expected && !SUCCESS_TYPE[expected].test(contentType))
      return { kind: 'not-bitbucket', status, contentType, message: summarizeBody(body, 120) };
    const notBitbucket = expected && successBodyFault(headers, body, expected, truncated);
    if (notBitbucket) return { kind: 'not-bitbucket', status, contentType, message: notBitbucket };
    return { kind: 'ok' };
  }
  // 410 is also how Bitbucket answers endpoints it removed (CHANGE-2770): that is the caller's fault, not the
  // credential's. Any other 410, with or without CHANGE-3222 in the body, is the retired app password.
  if (status === 410 && /CHANGE-2770/.test(body)) return { kind: 'unexpected', status, message };
  if (status === 410) return { kind: 'retired', message };
  if (status === 401) return { kind: 'rejected', message };
  if (status === 403 && SCOPE_TEXT.test(body)) {
    const { granted, required } = parseJsonError(body);
    return { kind: 'missing-scope', message, granted, required };
  }
  if (status === 403 || status === 404) return { kind: 'no-access', status, message };
  if (status === 429) {
    const ra = Number(headers['retry-after']);
    return { kind: 'rate-limited', retryAfterSeconds: Number.isFinite(ra) ? ra : undefined };
  }
  if (status >= 500) return { kind: 'server-error', status };
  return { kind: 'unexpected', status, message };
}

/**
 * An answer that says nothing about the credential: no answer (network), a rate limit, a server error, something
 * that is not Bitbucket's endpoint, or an answer bbauth cannot place. A credential is never judged on one.
 */
export function isFault(kind: ProbeOutcome['kind'] | undefined): boolean {
  return (
    kind === 'network' ||
    kind === 'rate-limited' ||
    kind === 'server-error' ||
    kind === 'unexpected' ||
    kind === 'not-bitbucket'
  );
}

/** A one-line description of an outcome for the `evidence` field. */
export function describeOutcome(status: number | undefined, outcome: ProbeOutcome): string {
  const prefix = status === undefined ? '' : `HTTP ${status}`;
  switch (outcome.kind) {
    case 'ok':
      return `${prefix} OK`;
    case 'rate-limited':
      return `${prefix} rate limited${outcome.retryAfterSeconds !== undefined ? ` (Retry-After ${outcome.retryAfterSeconds}s)` : ''}`;
    case 'server-error':
      return `${prefix} server error`;
    case 'not-bitbucket':
      return `${prefix} but not Bitbucket's answer (content-type ${outcome.contentType || 'none'})`;
    case 'network':
      return `${outcome.errorKind} error reaching ${outcome.host}${outcome.proxy ? ` via proxy ${outcome.proxy}` : ''} (${outcome.detail})`;
    default:
      return outcome.message ? `${prefix}: ${outcome.message}` : prefix;
  }
}
