/** The static git usernames Bitbucket documents; probing, pairing and advice all use these two. */

/** The static git username Atlassian documents for API tokens (facts §1.1). */
export const API_TOKEN_GIT_USERNAME = 'x-bitbucket-api-token-auth';
/** The static username for access tokens and OAuth tokens (facts §4.5, §5). */
export const ACCESS_TOKEN_USERNAME = 'x-token-auth';
