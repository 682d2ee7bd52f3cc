/**
 * `bbauth explain`: the lines of a log (a Jenkins console, a Pipelines step, VS Code's git output, a terminal)
 * that say something about Bitbucket authentication, each mapped to its finding id, the cause and what to do.
 * Offline and pure. Every rule is a plain substring-or-simple-pattern test on one line (no backtracking pattern:
 * a log is outside text and can be huge). A specific line explains the generic ones of the same event that come
 * right after it (`remote: CHANGE-3222 …` then `fatal: … error: 410`); a generic line with no specific one
 * near it is reported as ambiguous, with what to check.
 */
import type { FindingId } from './findings/catalogue.js';
import { CATALOGUE } from './findings/catalogue.js';
import type { Finding } from './model.js';
import { redactText } from './redact.js';
import { NEW_TOKEN_ADVICE } from './token/new-token.js';

interface Rule {
  id: FindingId;
  /** True when the line is matched; each test looks at one line, lower-cased, and is linear in its length. */
  test: (line: string) => boolean;
  /** Why, in one or two sentences. */
  cause: string;
  /** What to do, in a sentence. */
  advice: string;
  /** Exact commands, when there are some. */
  commands?: string[];
  /** Says only that something failed (a status code): explained by a specific line of the same event if one is near. */
  generic?: true;
  /** The line has more than one cause; `advice` says what tells them apart. */
  ambiguous?: true;
}

const has =
  (...parts: string[]) =>
  (l: string): boolean =>
    parts.every((p) => l.includes(p));
const any =
  (...tests: ((l: string) => boolean)[]) =>
  (l: string): boolean =>
    tests.some((t) => t(l));

const DOCTOR =
  'bbauth doctor in the repository (or bbauth doctor URL --with-token before a clone) shows which credential git sends and from where.';
const NEW_TOKEN = `${NEW_TOKEN_ADVICE}.`;

/** Specific first: the first rule that matches a line explains it. */
const RULES: Rule[] = [
  {
    id: 'app-password-retired',
    test: any(
      has('change-3222'),
      has('app passwords are deprecated'),
      has('app password', 'no longer supported'),
    ),
    cause:
      'Bitbucket refused an app password: app passwords were removed on 2026-07-28 (CHANGE-3222), and git gets HTTP 410.',
    advice: `Replace it with an API token everywhere it is stored. ${NEW_TOKEN}`,
    commands: ['bbauth fix --all'],
  },
  {
    id: 'unexpected-response',
    test: has('change-2770'),
    cause:
      'The tool called a Bitbucket REST endpoint that was removed on 2026-04-14 (CHANGE-2770): this 410 says nothing about the credential.',
    advice:
      'Update the tool: it should call /2.0/user/workspaces instead of /2.0/workspaces, /2.0/repositories?role=… or /2.0/user/permissions/…. The credential may be fine.',
  },
  {
    id: 'missing-scope',
    test: has('lack one or more required privilege scopes'),
    cause:
      'The token is valid but lacks a scope this request needs: git fetch needs read:repository:bitbucket, push write:repository:bitbucket, the REST identity read:user:bitbucket.',
    advice: `Create a token with the scopes the job needs and put it where the old one was. ${NEW_TOKEN}`,
    commands: ['bbauth rotate'],
  },
  {
    id: 'credential-rejected',
    test: has('stopped supporting account passwords'),
    cause:
      'An Atlassian account password was sent: Bitbucket has not accepted account passwords for git or the API since 2022.',
    advice: `Use an API token instead. ${NEW_TOKEN}`,
    commands: ['bbauth login'],
  },
  {
    id: 'bearer-with-api-token',
    test: has('token is invalid, expired, or not supported for this endpoint'),
    cause:
      'A Bearer token was refused: an Atlassian API token works only as Basic auth (the Atlassian email and the token, for REST), and an OAuth or access token may have expired.',
    advice:
      'Send an API token as Basic with the Atlassian email; send an access token or OAuth token as Bearer, and renew it if it has expired.',
    commands: ["curl -u 'EMAIL' https://api.bitbucket.org/2.0/user   (curl asks for the token)"],
  },
  {
    id: 'gcm-credential-too-large',
    test: any(has('0x6f7'), has('stub received bad data')),
    cause:
      "Git Credential Manager could not save Bitbucket's OAuth token: it is larger than Windows Credential Manager's 2,560-byte limit.",
    advice:
      'Store GCM credentials with DPAPI until a GCM release that splits large secrets, or use an API token (username x-bitbucket-api-token-auth) instead of OAuth.',
    commands: ['git config --global credential.credentialStore dpapi'],
  },
  {
    id: 'ssh-host-key-changed',
    test: any(
      has('remote host identification has changed'),
      has('host key verification failed'),
      has('no matching host key type found'),
    ),
    cause:
      "ssh refused bitbucket.org's host key: known_hosts holds an old key (Bitbucket replaced its RSA host key in June 2023) or none, or the client offers only the old ssh-rsa algorithm.",
    advice:
      "Remove the old entry, then add Bitbucket's published host keys, checking their fingerprints against Bitbucket's documentation.",
    commands: ['ssh-keygen -R bitbucket.org'],
  },
  {
    id: 'ssh-key-rejected',
    test: has('permission denied (publickey'),
    cause:
      'Bitbucket accepted none of the SSH keys ssh offered: no key is loaded, the key is not added to Bitbucket, or ssh offered another key first.',
    advice:
      'Add the public key under Personal settings → SSH keys (or as a read-only repository access key), or point ssh at the right key with IdentityFile and IdentitiesOnly yes.',
    commands: ['ssh -vT git@bitbucket.org'],
  },
  {
    id: 'no-credential',
    test: any(
      has('could not read username', 'terminal prompts disabled'),
      has('could not read username', 'no such device or address'),
      has('could not read password', 'terminal prompts disabled'),
      has('credentials are required to fetch private repository metadata'),
    ),
    cause:
      'git (or Composer) had no credential to send and no terminal to ask on: nothing is stored for bitbucket.org, or the helper holds it under another username.',
    advice: `Store a token for the job, or on CI give git the git-credential-bbauth helper. ${DOCTOR}`,
    commands: ['bbauth login --with-token < token.txt', 'bbauth setup-git'],
  },
  {
    id: 'no-repository-access',
    test: has('you may not have access to this repository'),
    cause:
      'Bitbucket does not say why: the credential was refused (an API token sent with the email as git username, an unscoped "classic" token, a revoked or expired one), or it is valid but this account cannot see the repository, or the repository does not exist.',
    advice: `Check the username git sends (an API token needs your Bitbucket username or x-bitbucket-api-token-auth, never the email) and the token's scopes. ${DOCTOR}`,
    commands: ['bbauth doctor'],
    ambiguous: true,
  },
  {
    id: 'credential-rejected',
    test: any(
      has('login failed due to incorrect login credentials'),
      has('invalid username or password'),
      has('invalid credentials'),
      has('could not authenticate against bitbucket.org'),
      has('invalid oauth consumer'),
    ),
    cause:
      'Bitbucket refused the credential: a wrong or revoked token, the Atlassian email used as the git username, an unscoped "classic" API token, an expired token, or (Composer) an http-basic pair it tried as an OAuth consumer.',
    advice: `${DOCTOR} bbauth fix then replaces what is wrong.`,
    commands: ['bbauth doctor'],
    ambiguous: true,
  },
  {
    id: 'credential-rejected',
    test: any(
      has('authentication failed for'),
      has('returned error: 401'),
      has('401 unauthorized'),
      has('http/2 401'),
      has('http/1.1 401'),
    ),
    cause:
      'HTTP 401: the credential sent was refused, or none was sent. This line alone does not say why; the lines before it usually do.',
    advice: `Check, in this order: a stale app password or token in a credential helper, ~/.git-credentials or ~/.netrc (sent before any helper is asked); the username (never the email for git); the token's scopes and expiry. ${DOCTOR}`,
    commands: ['bbauth doctor'],
    generic: true,
    ambiguous: true,
  },
  {
    id: 'app-password-retired',
    test: has('returned error: 410'),
    cause:
      'HTTP 410 from Bitbucket: almost always a retired app password (CHANGE-3222); a REST tool calling a removed endpoint (CHANGE-2770) gets it too.',
    advice:
      'Look for a remote: CHANGE-… line just before it. With CHANGE-3222, replace the app password everywhere.',
    commands: ['bbauth fix --all'],
    generic: true,
    ambiguous: true,
  },
  {
    id: 'no-repository-access',
    test: any(has('returned error: 403'), has('403 forbidden'), has('http/2 403')),
    cause:
      'HTTP 403: the credential is valid but not enough: a missing scope (the line before usually says so), a read-only token or access key used to push, or no permission on the repository.',
    advice: DOCTOR,
    commands: ['bbauth doctor'],
    generic: true,
    ambiguous: true,
  },
];

/** Lines a specific line explains after it: git prints its `fatal:` within a few lines of the server's `remote:`. */
const EVENT_LINES = 6;
/** A line longer than this is cut before it is shown. */
const SHOWN_CHARS = 300;

/** A recognised line's finding; `ambiguous`: the line alone has several causes, and the advice says what to check. */
export type ExplainedFinding = Finding & { ambiguous?: true };

export interface Explained {
  lines: number;
  findings: ExplainedFinding[];
}

/** A line fit to show: masked, trimmed of the CR a Windows log keeps, and cut if very long. */
function shown(line: string): string {
  const t = redactText(line.replace(/\r$/, '').trim());
  return t.length > SHOWN_CHARS ? `${t.slice(0, SHOWN_CHARS)}…` : t;
}

/** Every recognised line of `text`, in order, as findings at `file:line`. */
export function explainLog(text: string, file = 'stdin'): Explained {
  const findings: ExplainedFinding[] = [];
  const lines = text.split('\n');
  // The event a specific line opened: its finding, the last line it took, and whether git's one `fatal:` line
  // (a generic line) has closed it.
  let open: { finding: ExplainedFinding; rule: Rule; last: number; closed: boolean } | undefined;
  for (const [i, raw] of lines.entries()) {
    if (raw.length === 0) continue;
    const masked = redactText(raw);
    if (masked !== raw) findings.push(leakedSecret(masked, file, i + 1));
    const l = raw.toLowerCase();
    const rule = RULES.find((r) => r.test(l));
    if (!rule) continue;
    const near = open !== undefined && i - open.last <= EVENT_LINES;
    if (near && open && !open.closed && (rule.generic || rule === open.rule)) {
      // The same event: the next line of the server's message, or git's verdict on it.
      open.finding.evidence = `${open.finding.evidence}\n${shown(raw)}`;
      open.last = i;
      if (rule.generic) open.closed = true;
      continue;
    }
    const f: ExplainedFinding = {
      id: rule.id,
      severity: rule.ambiguous ? 'warning' : CATALOGUE[rule.id].severity,
      message: rule.cause,
      location: { file, line: i + 1 },
      evidence: shown(raw),
      fix: { summary: rule.advice, commands: rule.commands ?? [] },
      ...(rule.ambiguous ? { ambiguous: true as const } : {}),
    };
    findings.push(f);
    open = rule.generic ? undefined : { finding: f, rule, last: i, closed: false };
  }
  return { lines: lines.length - (text.endsWith('\n') ? 1 : 0), findings };
}

/** A secret printed in the log itself (a credentialed URL in a Jenkins command line, a token in an env dump). */
function leakedSecret(masked: string, file: string, line: number): ExplainedFinding {
  return {
    id: 'secret-in-file',
    severity: 'warning',
    message: 'This log line holds a secret (shown masked here): anyone who can read the log can use it.',
    location: { file, line },
    evidence: masked.length > SHOWN_CHARS ? `${masked.slice(0, SHOWN_CHARS)}…` : masked.trim(),
    fix: {
      summary:
        'Replace that credential (bbauth rotate), and keep it out of logs: a credential helper instead of a URL, masked CI variables.',
      commands: ['bbauth rotate'],
    },
  };
}
