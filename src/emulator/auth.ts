/**
 * Who is asking and may they do it: the pure half of the emulator (facts §1, §5, §6, §10). Given the state, the
 * clock and one request's Authorization header, decide the git outcome (status + the lines git prints as
 * `remote: …`). No I/O, so every rule is a table test.
 */
import {
  appPasswordMode,
  type EmulatorAccount,
  type EmulatorRepo,
  type EmulatorState,
  type EmulatorToken,
} from './state.js';

export type Credential =
  | { scheme: 'none' }
  | { scheme: 'basic'; username: string; password: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'other' };

/** Parses an Authorization header (Basic or Bearer; anything else is 'other'). */
export function parseAuthorization(header: string | undefined): Credential {
  if (!header) return { scheme: 'none' };
  const m = /^(\w+)\s+(\S+)\s*$/.exec(header);
  if (!m) return { scheme: 'other' };
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'bearer') return { scheme: 'bearer', token: m[2]! };
  if (scheme !== 'basic') return { scheme: 'other' };
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { scheme: 'basic', username: decoded, password: '' };
  return { scheme: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The texts Bitbucket Cloud sends (facts §6); each string is one line git prints as `remote: …`. */
export const GIT_MESSAGES = {
  loginFailed: [
    'Login failed due to incorrect login credentials or method.',
    'If you are unsure of which login details or login method to use, visit:',
    'https://support.atlassian.com/bitbucket-cloud/docs/log-into-or-connect-to-bitbucket-cloud/',
  ],
  mayNotHaveAccess: [
    'You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.',
  ],
  lackScopes: ['Your credentials lack one or more required privilege scopes.'],
  change3222: [
    'CHANGE-3222 - Functionality has been deprecated',
    'App passwords are deprecated and must be replaced with API tokens.',
    'https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222',
  ],
  // UNCONFIRMED wording: no public report of a push with read-only repository permission.
  noWrite: ['You do not have write access to this repository.'],
} as const;

export const API_TOKEN_GIT_USERNAME = 'x-bitbucket-api-token-auth';
export const ACCESS_TOKEN_USERNAME = 'x-token-auth';

export type Denial =
  | 'no-credentials'
  | 'login-failed'
  | 'expired'
  | 'revoked'
  | 'wrong-username'
  | 'unscoped'
  | 'app-password-retired'
  | 'missing-scope'
  | 'no-access'
  | 'read-only';

export type Operation = 'read' | 'write';

/** The token holding `secret`, if any. */
export function findToken(state: EmulatorState, secret: string): EmulatorToken | undefined {
  return state.tokens.find((t) => t.secret === secret);
}

/** The account owning a personal token. */
export function ownerOf(state: EmulatorState, token: EmulatorToken): EmulatorAccount | undefined {
  return state.accounts.find((a) => a.username === token.account);
}

/** 'expired' / 'revoked' if the token no longer works at `now`, else undefined. */
export function deadReason(token: EmulatorToken, now: Date): 'expired' | 'revoked' | undefined {
  if (token.revoked) return 'revoked';
  if (token.expires && new Date(token.expires) <= now) return 'expired';
  return undefined;
}

const LEGACY_IMPLIES: Record<string, string[]> = {
  'repository:write': ['repository'],
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write', 'repository'],
  project: ['repository'],
  'snippet:write': ['snippet'],
  'issue:write': ['issue'],
  'pipeline:write': ['pipeline'],
  'pipeline:variable': ['pipeline', 'pipeline:write'],
  'runner:write': ['runner'],
};

/** Legacy (OAuth / access-token) scopes plus everything they imply (facts §3.2); admin implies nothing. */
export function expandLegacyScopes(scopes: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (s: string) => {
    if (out.has(s)) return;
    out.add(s);
    for (const implied of LEGACY_IMPLIES[s] ?? []) visit(implied);
  };
  scopes.forEach(visit);
  return out;
}

/** True when an access token's resource (repository / project / workspace) covers `repo`. */
export function coversRepo(token: EmulatorToken, repo: EmulatorRepo): boolean {
  const r = token.resource;
  if (!r || r.workspace !== repo.workspace) return false;
  if (r.type === 'workspace') return true;
  if (r.type === 'project') return r.project !== undefined && r.project === repo.project;
  return r.repo === repo.slug;
}

export function findRepo(state: EmulatorState, workspace: string, slug: string): EmulatorRepo | undefined {
  return state.repositories.find((r) => r.workspace === workspace && r.slug === slug);
}

/** Granular scopes a git operation needs from an API token (none implied). */
export function gitGranularScopes(op: Operation): string[] {
  return op === 'read'
    ? ['read:repository:bitbucket']
    : ['read:repository:bitbucket', 'write:repository:bitbucket'];
}

export interface GitDecision {
  status: number;
  outcome: 'ok' | Denial;
  /** Body lines (text/plain); git prints them as `remote: …`. */
  lines: readonly string[];
  /** REMOTE_USER for git http-backend when allowed: the account, or the access token's id. */
  remoteUser?: string;
  tokenId?: string;
}

const deny = (status: number, outcome: Denial, lines: readonly string[], tokenId?: string): GitDecision => ({
  status,
  outcome,
  lines,
  tokenId,
});

/** Decides a git smart-HTTP request (Basic only) for `operation` on workspace/slug. */
export function decideGit(
  state: EmulatorState,
  now: Date,
  req: { authorization?: string; workspace: string; slug: string; operation: Operation },
): GitDecision {
  const cred = parseAuthorization(req.authorization);
  if (cred.scheme === 'none') return deny(401, 'no-credentials', GIT_MESSAGES.loginFailed);
  if (cred.scheme !== 'basic') return deny(401, 'login-failed', GIT_MESSAGES.loginFailed);
  const token = findToken(state, cred.password);
  if (!token) return deny(401, 'login-failed', GIT_MESSAGES.loginFailed);
  const id = token.id;
  const repo = findRepo(state, req.workspace, req.slug);
  const noAccess = () =>
    deny(state.settings?.noAccessStatus ?? 403, 'no-access', GIT_MESSAGES.mayNotHaveAccess, id);

  // An app password is recognised as one before anything else: the 410 is what users actually see.
  if (token.kind === 'app-password' && appPasswordMode(state, now) !== 'valid') {
    return deny(410, 'app-password-retired', GIT_MESSAGES.change3222, id);
  }
  const dead = deadReason(token, now);
  if (dead) return deny(401, dead, GIT_MESSAGES.loginFailed, id);

  if (token.kind === 'access-token') {
    // Other usernames: UNCONFIRMED (facts §5); rejected like a wrong username for an API token.
    if (cred.username !== ACCESS_TOKEN_USERNAME)
      return deny(401, 'wrong-username', GIT_MESSAGES.mayNotHaveAccess, id);
    if (!repo || !coversRepo(token, repo)) return noAccess();
    const need = req.operation === 'read' ? 'repository' : 'repository:write';
    if (!expandLegacyScopes(token.scopes ?? []).has(need))
      return deny(403, 'missing-scope', GIT_MESSAGES.lackScopes, id);
    return { status: 200, outcome: 'ok', lines: [], remoteUser: token.id, tokenId: id };
  }

  const account = ownerOf(state, token);
  if (!account) return deny(401, 'login-failed', GIT_MESSAGES.loginFailed, id);
  if (token.kind === 'app-password') {
    // App passwords "do not support email address as a username" (facts §7).
    if (cred.username !== account.username) return deny(401, 'wrong-username', GIT_MESSAGES.loginFailed, id);
    if (token.scopes?.length) {
      const need = req.operation === 'read' ? 'repository' : 'repository:write';
      if (!expandLegacyScopes(token.scopes).has(need))
        return deny(403, 'missing-scope', GIT_MESSAGES.lackScopes, id);
    }
  } else {
    if (cred.username !== account.username && cred.username !== API_TOKEN_GIT_USERNAME) {
      return deny(401, 'wrong-username', GIT_MESSAGES.mayNotHaveAccess, id);
    }
    const scopes = token.scopes ?? [];
    if (scopes.length === 0) return deny(401, 'unscoped', GIT_MESSAGES.mayNotHaveAccess, id);
    if (!gitGranularScopes(req.operation).every((s) => scopes.includes(s))) {
      return deny(403, 'missing-scope', GIT_MESSAGES.lackScopes, id);
    }
  }
  const permission = repo?.permissions[account.username];
  if (!permission) return noAccess();
  if (req.operation === 'write' && permission === 'read')
    return deny(403, 'read-only', GIT_MESSAGES.noWrite, id);
  return { status: 200, outcome: 'ok', lines: [], remoteUser: account.username, tokenId: id };
}
