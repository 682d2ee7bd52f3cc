/**
 * Which username fits which credential on which surface (facts §0, §1, §2, §5, §4.6). Git over HTTPS wants the
 * Bitbucket username or `x-bitbucket-api-token-auth` with an API token and `x-token-auth` with an access token;
 * the REST API wants the Atlassian email with an API token. The email for git is the classic mistake: Jenkins,
 * Composer and the REST docs all use it, and git then answers 401.
 */
import type { CredentialKind } from '../model.js';
import { isTokenLike } from './secret-class.js';
import { ACCESS_TOKEN_USERNAME, API_TOKEN_GIT_USERNAME } from '../token/usernames.js';

export type Surface = 'git' | 'rest';

export interface PairingVerdict {
  ok: boolean;
  findingId?:
    | 'email-as-git-username'
    | 'wrong-static-username'
    | 'access-token-username'
    | 'rest-username-not-email'
    | 'token-in-username-field';
  /** One sentence, never containing a secret (a token-like username is not repeated). */
  reason?: string;
  suggestedUsername?: string;
}

export { ACCESS_TOKEN_USERNAME, API_TOKEN_GIT_USERNAME };

/** `local@domain`: one '@' with something on both sides and no whitespace. */
export function looksLikeEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(s.trim());
}

/** Whether `username` fits a credential of `kind` on `surface`; a missing username is left to the helper. */
export function checkPairing(
  kind: CredentialKind,
  username: string | undefined,
  surface: Surface,
): PairingVerdict {
  if (username === undefined || username === '') {
    return { ok: true, reason: 'No username given: git takes it from the credential helper or a prompt.' };
  }
  if (isTokenLike(username)) {
    return {
      ok: false,
      findingId: 'token-in-username-field',
      reason: 'The username field holds a token; the token belongs in the password field.',
      ...suggestion(kind, surface),
    };
  }
  return surface === 'git' ? checkGit(kind, username.trim()) : checkRest(kind, username.trim());
}

function suggestion(kind: CredentialKind, surface: Surface): { suggestedUsername?: string } {
  if (kind === 'access-token') return { suggestedUsername: ACCESS_TOKEN_USERNAME };
  if (kind === 'api-token' && surface === 'git') return { suggestedUsername: API_TOKEN_GIT_USERNAME };
  return {};
}

function checkGit(kind: CredentialKind, username: string): PairingVerdict {
  switch (kind) {
    case 'api-token':
      if (looksLikeEmail(username)) {
        return {
          ok: false,
          findingId: 'email-as-git-username',
          reason:
            'Git over HTTPS refuses the Atlassian email with an API token (401); it wants the Bitbucket username or x-bitbucket-api-token-auth.',
          suggestedUsername: API_TOKEN_GIT_USERNAME,
        };
      }
      if (username === ACCESS_TOKEN_USERNAME) {
        return {
          ok: false,
          findingId: 'wrong-static-username',
          reason:
            'x-token-auth is the username for access tokens; an API token needs x-bitbucket-api-token-auth or the Bitbucket username.',
          suggestedUsername: API_TOKEN_GIT_USERNAME,
        };
      }
      return { ok: true };
    case 'access-token':
      if (username === ACCESS_TOKEN_USERNAME) return { ok: true };
      if (username === API_TOKEN_GIT_USERNAME) {
        return {
          ok: false,
          findingId: 'wrong-static-username',
          reason:
            'x-bitbucket-api-token-auth is the username for API tokens; an access token needs x-token-auth.',
          suggestedUsername: ACCESS_TOKEN_USERNAME,
        };
      }
      return {
        ok: false,
        findingId: 'access-token-username',
        reason: 'A repository, project or workspace access token only works with the username x-token-auth.',
        suggestedUsername: ACCESS_TOKEN_USERNAME,
      };
    case 'app-password':
      // Dead since 2026-07-28 whatever the username; the email never worked with app passwords either.
      if (looksLikeEmail(username)) {
        return {
          ok: false,
          findingId: 'email-as-git-username',
          reason:
            'App passwords never accepted the email as username; its replacement, an API token, does not either.',
          suggestedUsername: API_TOKEN_GIT_USERNAME,
        };
      }
      return { ok: true };
    default:
      // Legacy, Data Center and unknown secrets (account passwords, OAuth tokens): no offline rule applies.
      return { ok: true };
  }
}

function checkRest(kind: CredentialKind, username: string): PairingVerdict {
  if (kind === 'api-token' && !looksLikeEmail(username)) {
    return {
      ok: false,
      findingId: 'rest-username-not-email',
      reason:
        'The REST API accepts an API token only with the Atlassian account email as username (401 otherwise).',
    };
  }
  if (kind === 'access-token' && username !== ACCESS_TOKEN_USERNAME) {
    // REST wants Bearer; clients such as Composer turn x-token-auth Basic credentials into Bearer, others do not.
    return {
      ok: false,
      findingId: 'access-token-username',
      reason:
        'An access token is sent as Authorization: Bearer to the REST API, or as x-token-auth by clients that convert it.',
      suggestedUsername: ACCESS_TOKEN_USERNAME,
    };
  }
  return { ok: true };
}
