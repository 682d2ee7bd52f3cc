/** The static git usernames Bitbucket documents; probing, pairing and advice all use these two. */
import type { CredentialKind } from '../model.js';

/** The static git username Atlassian documents for API tokens (facts §1.1). */
export const API_TOKEN_GIT_USERNAME = 'x-bitbucket-api-token-auth';
/** The static username for access tokens and OAuth tokens (facts §4.5, §5). */
export const ACCESS_TOKEN_USERNAME = 'x-token-auth';

/** The static git username that fits a credential kind: x-token-auth for access tokens, else the API-token one. */
export function gitUsernameFor(kind: CredentialKind | undefined): string {
  return kind === 'access-token' ? ACCESS_TOKEN_USERNAME : API_TOKEN_GIT_USERNAME;
}
