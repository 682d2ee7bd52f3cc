/** Where a new API token comes from: the page and the one sentence every "you need a new token" message uses. */

/** Where Atlassian API tokens are created. */
export const TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';

/** The one sentence every "you need a new token" message uses. */
export const NEW_TOKEN_ADVICE =
  `Create an API token with scopes at ${TOKEN_PAGE} ("Create API token with scopes" → Bitbucket): ` +
  'read:repository:bitbucket, plus write:repository:bitbucket to push';

/** The same for a repository, project or workspace access token, which replaces only another one. */
export const ACCESS_TOKEN_ADVICE =
  'Create a new access token in the repository, project or workspace settings (Access tokens) with the scopes ' +
  'it needs: repository, plus repository:write to push';
