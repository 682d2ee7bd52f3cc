/**
 * What the helper answers. `get` answers only for the Bitbucket origin (scheme and host[:port] as git sends
 * them), with the username that fits the token whatever the URL carried, and `password_expiry_utc` when the
 * records know the expiry. `store`/`erase` only tell the records layer which token git reported on.
 */
import { classifySecret } from '../credential/secret-class.js';
import { judgeSecret } from '../credential/verdict.js';
import { expiryUnixSeconds, formatExpiry } from './expiry-time.js';
import type { CredentialMessage } from '../parse/credential-protocol.js';
import { fingerprint } from '../redact.js';
import type { OfferedToken } from './tokens.js';

/** The origin the helper answers for, as git's `protocol` and `host` fields spell it. */
export interface HelperTarget {
  protocol: string;
  /** Lower-case host, with the port only when it is not the scheme's default. */
  host: string;
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/** Parses `--bitbucket-url`; undefined unless it is an http(s) origin. */
export function helperTarget(bitbucketUrl: string): HelperTarget | undefined {
  let url: URL;
  try {
    url = new URL(bitbucketUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return { protocol: url.protocol.slice(0, -1), host: url.host.toLowerCase() };
}

/** True when git asks about the Bitbucket origin (`bitbucket.org:443` counts as `bitbucket.org`). */
export function isTargetRequest(msg: CredentialMessage, target: HelperTarget): boolean {
  const protocol = msg.protocol?.toLowerCase();
  if (protocol !== target.protocol || msg.host === undefined) return false;
  let host = msg.host.toLowerCase();
  const port = DEFAULT_PORT[protocol];
  if (port && host.endsWith(`:${port}`)) host = host.slice(0, -(port.length + 1));
  return host === target.host;
}

export interface GetAnswer {
  reply?: CredentialMessage;
  note?: string;
}

/** The reply to `get` for a token and its recorded expiry (if any). An expired token is not offered. */
export function answerGet(token: OfferedToken, expires: string | undefined, now: Date): GetAnswer {
  const expiry = expiryUnixSeconds(expires);
  if (expiry !== undefined && expiry * 1000 <= now.getTime()) {
    // git (2.41+) would drop an expired password and prompt; saying why here is more useful.
    return {
      note: `${token.label} holds a token (${fingerprint(token.secret)}) that expired on ${formatExpiry(expires!)} per bbauth's records — not offering it; create a new one and run \`bbauth login\``,
    };
  }
  const reply: CredentialMessage = { username: token.username, password: token.secret };
  if (expiry !== undefined) reply.password_expiry_utc = String(expiry);
  return { reply };
}

export interface ReportedToken {
  secret: string;
  kind: 'api-token' | 'access-token';
  username?: string;
}

/**
 * The token git reports on in `store`/`erase`, if bbauth may keep metadata about it: the Bitbucket origin and
 * a clean Atlassian token (records are keyed by a digest, safe only for high-entropy tokens).
 */
export function reportedToken(msg: CredentialMessage, target: HelperTarget): ReportedToken | undefined {
  if (!isTargetRequest(msg, target) || !msg.password) return undefined;
  const c = classifySecret(msg.password);
  if (!judgeSecret(c).usable) return undefined;
  const out: ReportedToken = { secret: msg.password, kind: c.kind as ReportedToken['kind'] };
  if (msg.username) out.username = msg.username;
  return out;
}

/**
 * The stderr note for a token bbauth's check found read-only, unless the repository only fetches
 * (`bbauth.need fetch`): there git's push will be refused with a bare 403, and this says why before it happens.
 */
export function readOnlyNote(
  token: OfferedToken,
  pushRefused: string,
  need: string | undefined,
): string | undefined {
  if (need?.toLowerCase() === 'fetch') return undefined;
  return `${token.label} holds a token (${fingerprint(token.secret)}) that cannot push (bbauth's check on ${pushRefused.slice(0, 10)}: read-only): fetch works, push will be refused. If this repository only pulls: git config bbauth.need fetch. To push: a token with write:repository:bitbucket, then \`bbauth login\``;
}
