/**
 * The finding ids of the diagnosis catalogue (docs/diagnoses/). They are a public contract (JSON, SARIF ruleId,
 * docs page names): add freely, never rename or reuse. Each id has a category, the section of the catalogue it
 * stands in, so rules that act on "every finding about what a secret is" ask the catalogue instead of keeping
 * their own lists. Imports nothing: the model builds on it, never the other way round.
 */

export type Severity = 'error' | 'warning' | 'info';

/** The catalogue's sections. */
export type Category =
  | 'place' // where a secret lives (offline)
  | 'secret' // what the credential is (offline)
  | 'pairing' // username and credential pairing (offline)
  | 'server' // what the server says (online)
  | 'helper' // credential helpers and caches
  | 'lifetime' // expiry
  | 'transport'; // not HTTPS

interface Entry {
  severity: Severity;
  category: Category;
  title: string;
  /** The finding proves Bitbucket refuses its credential, wherever it is sent from. */
  provesDead?: true;
}

export const CATALOGUE = {
  // Where a secret lives
  'secret-in-remote-url': {
    severity: 'warning',
    category: 'place',
    title: 'A remote URL carries a password or token',
  },
  'token-in-username-field': {
    severity: 'warning',
    category: 'place',
    title: 'A token sits where the username goes',
  },
  'plaintext-credential-store': {
    severity: 'warning',
    category: 'place',
    title: 'A plain-text credential store holds a Bitbucket secret',
  },
  'secret-in-netrc': { severity: 'warning', category: 'place', title: '.netrc holds a Bitbucket secret' },
  'secret-in-file': {
    severity: 'warning',
    category: 'place',
    title: 'A file holds a Bitbucket secret or credentialed URL',
  },
  'bbauth-backup': {
    severity: 'info',
    category: 'place',
    title: "bbauth's own backup of a fix holds copies of secrets",
  },
  'authorization-extraheader': {
    severity: 'warning',
    category: 'place',
    title: 'http.extraHeader sends an Authorization header',
  },
  // What the credential is
  'app-password': {
    severity: 'error',
    category: 'secret',
    provesDead: true,
    title: 'Bitbucket app password (removed 2026-07-28)',
  },
  'token-checksum-mismatch': {
    severity: 'error',
    category: 'secret',
    provesDead: true,
    title: 'Token checksum does not match (truncated or altered)',
  },
  'token-malformed': {
    severity: 'error',
    category: 'secret',
    provesDead: true,
    title: 'Token has stray characters or wrong encoding',
  },
  'legacy-secret': {
    severity: 'warning',
    category: 'secret',
    provesDead: true,
    title: 'Bare 20/24-character legacy secret',
  },
  'datacenter-token-on-cloud': {
    severity: 'error',
    category: 'secret',
    provesDead: true,
    title: 'Bitbucket Data Center token used for Bitbucket Cloud',
  },
  'unknown-secret': { severity: 'info', category: 'secret', title: 'Secret bbauth cannot classify offline' },
  // Username and credential pairing
  'email-as-git-username': {
    severity: 'error',
    category: 'pairing',
    title: 'Atlassian email used as the git username',
  },
  'wrong-static-username': {
    severity: 'error',
    category: 'pairing',
    title: 'Static username does not fit the credential',
  },
  'access-token-username': {
    severity: 'error',
    category: 'pairing',
    title: 'Access token used without x-token-auth',
  },
  'rest-username-not-email': {
    severity: 'error',
    category: 'pairing',
    title: 'API token used for REST without the Atlassian email',
  },
  'bearer-with-api-token': { severity: 'error', category: 'pairing', title: 'API token sent as Bearer' },
  'url-username-mismatch': {
    severity: 'warning',
    category: 'pairing',
    title: 'URL username differs from the stored credential',
  },
  // What the server says
  'app-password-retired': {
    severity: 'error',
    category: 'server',
    provesDead: true,
    title: 'Server answered 410 CHANGE-3222',
  },
  'credential-rejected': {
    severity: 'error',
    category: 'server',
    provesDead: true,
    title: 'Server rejected the credential (401)',
  },
  'missing-scope': { severity: 'error', category: 'server', title: 'Token lacks a required scope (403)' },
  'push-not-permitted': { severity: 'error', category: 'server', title: 'Fetch works but push is refused' },
  'no-repository-access': {
    severity: 'error',
    category: 'server',
    title: 'Valid credential, no access to the repository',
  },
  'unscoped-token': { severity: 'error', category: 'server', title: 'API token created without scopes' },
  'rate-limited': { severity: 'warning', category: 'server', title: 'Server rate-limited the check (429)' },
  'network-unreachable': { severity: 'warning', category: 'server', title: 'Bitbucket could not be reached' },
  'unexpected-response': {
    severity: 'warning',
    category: 'server',
    title: 'Something other than Bitbucket answered (portal, proxy, wrong URL)',
  },
  // Credential helpers and caches
  'no-credential-helper': {
    severity: 'warning',
    category: 'helper',
    title: 'No credential helper for Bitbucket',
  },
  'stale-cached-credential': {
    severity: 'error',
    category: 'helper',
    title: 'Helper returns a credential the server refuses',
  },
  'credential-in-url-overrides-helper': {
    severity: 'warning',
    category: 'helper',
    title: 'Password in the URL bypasses the helper',
  },
  'gcm-validation-trap': {
    severity: 'warning',
    category: 'helper',
    title: 'Git Credential Manager re-validates API tokens and re-prompts',
  },
  'helper-order': {
    severity: 'warning',
    category: 'helper',
    title: 'Stored token is never reached because of helper order',
  },
  'helper-not-runnable': {
    severity: 'error',
    category: 'helper',
    title: 'A configured credential helper cannot run, or cannot reach its keyring',
  },
  'no-credential': {
    severity: 'error',
    category: 'helper',
    title: 'git has no credential and no terminal to ask on',
  },
  'askpass-credential': {
    severity: 'warning',
    category: 'helper',
    title: 'git asks an askpass program for the credential',
  },
  'credential-erased': {
    severity: 'error',
    category: 'helper',
    title: 'git erased the stored credential after a 401',
  },
  // Lifetime
  'token-expires-soon': { severity: 'warning', category: 'lifetime', title: 'Token expires soon' },
  'token-expired': { severity: 'error', category: 'lifetime', title: 'Token has expired' },
  // Not HTTPS
  'ssh-remote': { severity: 'info', category: 'transport', title: 'Remote uses SSH' },
  'ssh-key-rejected': {
    severity: 'error',
    category: 'transport',
    title: 'Bitbucket accepted none of the SSH keys offered',
  },
  'ssh-host-key-changed': {
    severity: 'error',
    category: 'transport',
    title: "ssh refuses bitbucket.org's host key",
  },
  'gcm-credential-too-large': {
    severity: 'error',
    category: 'helper',
    title: "Git Credential Manager cannot store Bitbucket's OAuth token",
  },
} as const satisfies Record<string, Entry>;

export type FindingId = keyof typeof CATALOGUE;

export const FINDING_IDS = Object.keys(CATALOGUE) as FindingId[];

/** True when the id stands in `category`. */
export function inCategory(id: FindingId, category: Category): boolean {
  return CATALOGUE[id].category === category;
}

/** True when a finding with this id proves its credential dead (fix then removes it everywhere). */
export function provesDead(id: FindingId): boolean {
  return (CATALOGUE[id] as Entry).provesDead === true;
}

/** Path of the docs page for a finding id, relative to the package root. */
export function docsPathFor(id: FindingId): string {
  return `docs/diagnoses/${id}.md`;
}
