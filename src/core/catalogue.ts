/**
 * The finding ids of ../shared/diagnoses.md. They are a public contract (JSON, SARIF ruleId, docs page names):
 * add freely, never rename or reuse.
 */
import type { Severity } from './model.js';

export const CATALOGUE = {
  // Where a secret lives
  'secret-in-remote-url': { severity: 'warning', title: 'A remote URL carries a password or token' },
  'token-in-username-field': { severity: 'warning', title: 'A token sits where the username goes' },
  'plaintext-credential-store': {
    severity: 'warning',
    title: 'A plain-text credential store holds a Bitbucket secret',
  },
  'secret-in-netrc': { severity: 'warning', title: '.netrc holds a Bitbucket secret' },
  'secret-in-file': { severity: 'warning', title: 'A file holds a Bitbucket secret or credentialed URL' },
  'authorization-extraheader': {
    severity: 'warning',
    title: 'http.extraHeader sends an Authorization header',
  },
  // What the credential is
  'app-password': { severity: 'error', title: 'Bitbucket app password (removed 2026-07-28)' },
  'token-checksum-mismatch': {
    severity: 'error',
    title: 'Token checksum does not match (truncated or altered)',
  },
  'token-malformed': { severity: 'error', title: 'Token has stray characters or wrong encoding' },
  'legacy-secret': { severity: 'warning', title: 'Bare 20/24-character legacy secret' },
  'datacenter-token-on-cloud': {
    severity: 'error',
    title: 'Bitbucket Data Center token used for Bitbucket Cloud',
  },
  'unknown-secret': { severity: 'info', title: 'Secret bbauth cannot classify offline' },
  // Username and credential pairing
  'email-as-git-username': { severity: 'error', title: 'Atlassian email used as the git username' },
  'wrong-static-username': { severity: 'error', title: 'Static username does not fit the credential' },
  'access-token-username': { severity: 'error', title: 'Access token used without x-token-auth' },
  'rest-username-not-email': {
    severity: 'error',
    title: 'API token used for REST without the Atlassian email',
  },
  'bearer-with-api-token': { severity: 'error', title: 'API token sent as Bearer' },
  'url-username-mismatch': { severity: 'warning', title: 'URL username differs from the stored credential' },
  // What the server says
  'app-password-retired': { severity: 'error', title: 'Server answered 410 CHANGE-3222' },
  'credential-rejected': { severity: 'error', title: 'Server rejected the credential (401)' },
  'missing-scope': { severity: 'error', title: 'Token lacks a required scope (403)' },
  'push-not-permitted': { severity: 'error', title: 'Fetch works but push is refused' },
  'no-repository-access': { severity: 'error', title: 'Valid credential, no access to the repository' },
  'unscoped-token': { severity: 'error', title: 'API token created without scopes' },
  'rate-limited': { severity: 'warning', title: 'Server rate-limited the check (429)' },
  'network-unreachable': { severity: 'warning', title: 'Bitbucket could not be reached' },
  // Credential helpers and caches
  'no-credential-helper': { severity: 'warning', title: 'No credential helper for Bitbucket' },
  'stale-cached-credential': { severity: 'error', title: 'Helper returns a credential the server refuses' },
  'credential-in-url-overrides-helper': {
    severity: 'warning',
    title: 'Password in the URL bypasses the helper',
  },
  'gcm-validation-trap': {
    severity: 'warning',
    title: 'Git Credential Manager re-validates API tokens and re-prompts',
  },
  'helper-order': { severity: 'warning', title: 'Stored token is never reached because of helper order' },
  // Lifetime
  'token-expires-soon': { severity: 'warning', title: 'Token expires soon' },
  'token-expired': { severity: 'error', title: 'Token has expired' },
  // Not HTTPS
  'ssh-remote': { severity: 'info', title: 'Remote uses SSH' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type FindingId = keyof typeof CATALOGUE;

export const FINDING_IDS = Object.keys(CATALOGUE) as FindingId[];

/** Path of the docs page for a finding id, relative to the package root. */
export function docsPathFor(id: FindingId): string {
  return `docs/diagnoses/${id}.md`;
}
