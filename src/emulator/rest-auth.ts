/**
 * REST authentication (facts §2, §5, §6, §10.5), pure: Basic email:API-token, Bearer access tokens, the exact
 * 401/403 bodies and the scope-revealing headers. The router in rest.ts only maps URLs to needs.
 */
import {
  coversRepo,
  deadReason,
  expandLegacyScopes,
  findToken,
  GIT_MESSAGES,
  ownerOf,
  parseAuthorization,
} from './auth.js';
import {
  appPasswordMode,
  type EmulatorAccount,
  type EmulatorRepo,
  type EmulatorState,
  type EmulatorToken,
} from './state.js';

export interface RestReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What an endpoint needs: granular scopes for API tokens, a legacy scope for access tokens (or none at all). */
export interface RestNeed {
  granular: string[];
  /** Legacy scope an access token / app password needs; 'forbidden' = access tokens never pass (GET /2.0/user). */
  legacy: string | 'forbidden' | null;
  /** The repository the endpoint reads; undefined = not repository-bound. Null = asked for one that does not exist. */
  repo?: EmulatorRepo | null;
  /** For the no-access body. */
  repoName?: string;
}

export type RestAuth =
  | { ok: true; token: EmulatorToken; account?: EmulatorAccount; headers: Record<string, string> }
  | { ok: false; reply: RestReply; tokenId?: string };

const REALM = 'realm="Bitbucket.org HTTP"';

export const REST_LOGIN_FAILED = [
  'Login failed due to incorrect login credentials or method.',
  'For information on authentication methods for Bitbucket Cloud APIs, visit:',
  '    https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication',
  'If you are unsure of which login details or login method to use, visit:',
  '    https://support.atlassian.com/bitbucket-cloud/docs/log-into-or-connect-to-bitbucket-cloud/',
].join('\n');

export const TOKEN_INVALID = 'Token is invalid, expired, or not supported for this endpoint.';

/** A Bitbucket-style JSON error reply. */
export function jsonError(status: number, message: string, extra: object = {}, headers = {}): RestReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ type: 'error', error: { message, ...extra } }),
  };
}

const loginFailed = (): RestReply => ({
  status: 401,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': `Basic ${REALM}` },
  body: `${REST_LOGIN_FAILED}\n`,
});

const tokenInvalid = () => jsonError(401, TOKEN_INVALID, {}, { 'www-authenticate': `OAuth ${REALM}` });

const lackScopes = (granted: readonly string[], required: readonly string[], headers = {}) =>
  jsonError(
    403,
    GIT_MESSAGES.lackScopes[0],
    { detail: { granted: [...granted], required: [...required] } },
    headers,
  );

function noAccess(state: EmulatorState, need: RestNeed, headers = {}): RestReply {
  const status = state.settings?.noAccessStatus ?? 403;
  return jsonError(
    status,
    GIT_MESSAGES.mayNotHaveAccess[0],
    { detail: { repository: need.repoName } },
    headers,
  );
}

const CREDENTIAL_TYPE = { repository: 'repo_access_token', project: 'project_access_token' } as const;

function bearer(state: EmulatorState, now: Date, secret: string, need: RestNeed): RestAuth {
  const token = findToken(state, secret);
  // API tokens and app passwords are Basic-only; Bearer gets the OAuth-style 401 (facts §2).
  if (!token || token.kind !== 'access-token')
    return { ok: false, reply: tokenInvalid(), tokenId: token?.id };
  if (deadReason(token, now)) return { ok: false, reply: tokenInvalid(), tokenId: token.id };
  const scopes = token.scopes ?? [];
  const headers = {
    'x-credential-type':
      CREDENTIAL_TYPE[token.resource?.type as 'repository' | 'project'] ?? 'workspace_access_token',
    'x-oauth-scopes': scopes.join(', '),
  };
  const fail = (reply: RestReply): RestAuth => ({ ok: false, reply, tokenId: token.id });
  // Access tokens act as a pseudo-user and cannot read /2.0/user (403 with the headers; facts §5).
  if (need.legacy === 'forbidden') return fail(lackScopes(scopes, ['account'], headers));
  if (need.repo !== undefined && (!need.repo || !coversRepo(token, need.repo))) {
    return fail(noAccess(state, need, headers));
  }
  if (need.legacy && !expandLegacyScopes(scopes).has(need.legacy)) {
    return fail(lackScopes(scopes, [need.legacy], headers));
  }
  return { ok: true, token, headers };
}

function basic(
  state: EmulatorState,
  now: Date,
  username: string,
  password: string,
  need: RestNeed,
): RestAuth {
  const token = findToken(state, password);
  const account = token && ownerOf(state, token);
  if (!token || !account) return { ok: false, reply: loginFailed(), tokenId: token?.id };
  const fail = (reply: RestReply): RestAuth => ({ ok: false, reply, tokenId: token.id });
  if (deadReason(token, now)) return fail(loginFailed());
  if (token.kind === 'app-password') {
    if (appPasswordMode(state, now) !== 'valid' || username !== account.username) return fail(loginFailed());
    const granted = token.scopes ?? [];
    if (granted.length && need.legacy && need.legacy !== 'forbidden') {
      if (!expandLegacyScopes(granted).has(need.legacy)) return fail(lackScopes(granted, [need.legacy]));
    }
  } else {
    // REST wants the Atlassian email; the Bitbucket username is refused (facts §2). Unscoped tokens never work.
    if (username.toLowerCase() !== account.email.toLowerCase()) return fail(loginFailed());
    const granted = token.scopes ?? [];
    if (granted.length === 0) return fail(loginFailed());
    const missing = need.granular.filter((s) => !granted.includes(s));
    if (missing.length) return fail(lackScopes(granted, need.granular));
  }
  if (need.repo !== undefined && (!need.repo || !need.repo.permissions[account.username])) {
    return fail(noAccess(state, need));
  }
  return { ok: true, token, account, headers: {} };
}

/** Authenticates one REST request against `need`. */
export function authenticateRest(
  state: EmulatorState,
  now: Date,
  authorization: string | undefined,
  need: RestNeed,
): RestAuth {
  const cred = parseAuthorization(authorization);
  if (cred.scheme === 'bearer') return bearer(state, now, cred.token, need);
  if (cred.scheme === 'basic') return basic(state, now, cred.username, cred.password, need);
  return { ok: false, reply: loginFailed() };
}
