/**
 * Puts a token where git will find it, through git's own credential protocol: the token approved with the
 * username that fits its kind first, then the host's other entries settled (dead or replaced ones get the new
 * token under their own username, or are erased where git cannot use that username; working ones stay), then
 * read back (`git credential fill`) to prove the helper kept it. Configures a host-scoped helper when none
 * applies or none that applies can keep a token here.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError, UsageError } from '../core/errors.js';
import { gcmWorkaroundSteps } from '../core/steps/commands.js';
import type { Endpoints } from '../core/endpoints.js';
import { gitUsernameFor } from '../core/findings/advice.js';
import type { CredentialKind } from '../core/model.js';
import { helperKind, helpersFor } from '../core/parse/credential-helpers.js';
import { configGet } from '../core/parse/git-config.js';
import { addConfig, readGitConfig, setConfig } from '../git/config.js';
import { approveCredential, fillCredential, rejectCredential } from '../git/credential.js';
import {
  helperSearchPath,
  isKeychainHelper,
  probeKeychainStore,
  type HelperFailure,
} from '../git/helper-program.js';
import type { ConfigEntry } from '../core/parse/git-config.js';
import { checkPairing, looksLikeEmail } from '../core/credential/pairing.js';
import { classifySecret } from '../core/credential/secret-class.js';
import { judgeSecret } from '../core/credential/verdict.js';
import { defaultStorePaths, readCredentialStores } from '../sources/credential-files.js';
import { storeFilesFromConfig } from './doctor-facts.js';

const GLOBAL = { scope: 'global' } as const;

export interface HelperOption {
  name: string;
  description: string;
}

export const FALLBACK_HELPERS: HelperOption[] = [
  {
    name: 'cache',
    description: 'keeps the token in memory for 15 minutes; nothing on disk, but git asks again after that',
  },
  {
    name: 'store',
    description:
      'keeps the token in ~/.git-credentials (plain text, mode 0600); works for servers and cron jobs',
  },
];

export interface StoreTokenOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  secret: string;
  kind: CredentialKind;
  /** Git username to store it under instead of the static one (API tokens: the Bitbucket username). */
  username?: string;
  /** Helper to configure when none applies (flag twin of the question). */
  helper?: string;
  /** Asks the user to pick a helper; absent without a TTY. */
  chooseHelper?: (options: HelperOption[]) => Promise<string>;
  /** Secrets known to be dead or being replaced (fix passes those it proved refused); entries holding them go. */
  replaces?: readonly string[];
  /** Whose keychain helper to look for (default: this machine's). */
  platform?: NodeJS.Platform;
}

export interface StoreTokenResult {
  username: string;
  helpers: string[];
  /** The helper bbauth configured, if it had to. */
  configured?: string;
  /** GCM's validation trap was switched off. */
  gcmValidationDisabled: boolean;
  notes: string[];
}

/** The keychain helper `platform` uses, if one is in `searchPath`: osxkeychain, Git Credential Manager, libsecret. */
export async function findKeychainHelper(
  platform: NodeJS.Platform,
  searchPath: readonly string[],
): Promise<string | undefined> {
  // Git for Windows always ships Git Credential Manager.
  if (platform === 'win32') return 'manager';
  const candidates = platform === 'darwin' ? ['osxkeychain', 'manager'] : ['libsecret', 'manager'];
  for (const name of candidates) {
    for (const dir of searchPath) {
      try {
        await access(join(dir, `git-credential-${name}`));
        return name;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Stores `secret` for the Bitbucket host. Throws UsageError when a helper must be chosen and cannot be asked. */
export async function storeToken(opts: StoreTokenOptions): Promise<StoreTokenResult> {
  const { cwd, env, endpoints } = opts;
  const origin = endpoints.bitbucketUrl;
  const { protocol, host } = new URL(origin);
  const scheme = protocol.replace(':', '');
  const notes: string[] = [];
  let config = await readGitConfig(cwd, env);
  let chain = helpersFor(`${origin}/`, config);
  let configured: string | undefined;
  // Everything below is checked before anything changes: a helper that cannot keep the token is found now,
  // not after a helper setting was written and the old credentials erased.
  const broken = await unusableKeychains(
    chain.helpers.map((h) => h.name),
    cwd,
    env,
  );
  const chainWorks = chain.helpers.some((h) => !broken.has(h.name));
  if (!chainWorks) {
    // No helper applies, or none that applies can keep a token here: one more, scoped to the Bitbucket host.
    configured = opts.helper;
    // The keychain found here is probed before it is chosen; one named by --helper or the prompt, just below.
    let probed = false;
    if (!configured) {
      const keychain = await findKeychainHelper(
        opts.platform ?? process.platform,
        await helperSearchPath(env),
      );
      if (keychain && !(await probeKeychainStore(keychain, cwd, env)))
        [configured, probed] = [keychain, true];
    }
    if (!configured && opts.chooseHelper) configured = await opts.chooseHelper(FALLBACK_HELPERS);
    if (!configured) {
      const why =
        chain.helpers.length === 0
          ? `no credential helper is configured for ${origin}, and no keychain helper was found that can keep a token here.`
          : `no configured credential helper can keep a token here (${[...broken.entries()].map(([n, f]) => `${n}: ${f.said ?? `exit ${f.code}`}`).join('; ')}); nothing was changed.`;
      throw new UsageError(why, [
        ...FALLBACK_HELPERS.map((h) => `--helper ${h.name}: ${h.description}`),
        'Run again with one of them, e.g. `bbauth login --helper store`.',
      ]);
    }
    const refused =
      !probed && isKeychainHelper(configured) ? await probeKeychainStore(configured, cwd, env) : undefined;
    if (refused) {
      throw new UsageError(
        `credential helper "${configured}" cannot keep a token here (${refused.said ?? `exit ${refused.code}`}); nothing was changed.`,
        [
          ...FALLBACK_HELPERS.map((h) => `--helper ${h.name}: ${h.description}`),
          'Run again with one of them, e.g. `bbauth login --helper store`.',
        ],
      );
    }
    await addConfig(GLOBAL, `credential.${origin}.helper`, configured, { cwd, env });
    notes.push(`configured credential.${origin}.helper = ${configured} in your global git config.`);
    config = await readGitConfig(cwd, env);
    chain = helpersFor(`${origin}/`, config);
  }
  let gcmValidationDisabled = false;
  if (chain.helpers.some((h) => helperKind(h.name) === 'gcm')) {
    const current = configGet(config, 'credential.bitbucketvalidatestoredcredentials')?.value;
    if (!/^(false|0|no|off)$/i.test(current ?? '')) {
      for (const step of gcmWorkaroundSteps())
        if (step.action === 'set-config')
          await setConfig(GLOBAL, step.key, step.value, { cwd, env, replaceAll: true });
      gcmValidationDisabled = true;
      notes.push(
        'set credential.bitbucketValidateStoredCredentials = false: Git Credential Manager would otherwise discard API tokens.',
      );
    }
  }
  const username = opts.username ?? gitUsernameFor(opts.kind);
  // The new token goes in first, and only then do the old entries go: an interruption in between leaves the
  // old and the new, never an empty store. approve replaces an entry under the same username in place.
  // Entries under other usernames belong to other repositories (a remote `https://brandon@bitbucket.org/…` asks
  // for brandon's). A working one is not bbauth's to erase. A dead one (refused, or dead by its shape) or the one
  // being replaced gets the new token under its username too, so those repositories keep working; only a
  // username git cannot use with this token (an email) is erased instead.
  const replaces = new Set(opts.replaces ?? []);
  const replaceable = (p: string | undefined) =>
    p === undefined || replaces.has(p) || judgeSecret(classifySecret(p)).dead;
  const old = await storedEntries(cwd, env, config, scheme, host);
  await approveCredential({ protocol: scheme, host, username, password: opts.secret }, cwd, env);
  const alsoUnder: string[] = [];
  for (const [u, p] of old) {
    if (u === username || p === opts.secret || !replaceable(p)) continue;
    if (!looksLikeEmail(u) && checkPairing(opts.kind, u, 'git').ok) {
      await approveCredential({ protocol: scheme, host, username: u, password: opts.secret }, cwd, env);
      alsoUnder.push(u);
    } else await rejectCredential({ protocol: scheme, host, username: u }, cwd, env);
  }
  if (alsoUnder.length > 0)
    notes.push(
      `also stored under ${alsoUnder.join(', ')}, where the replaced credential was, for remotes that ask for that username.`,
    );
  await rejectHiddenEntries(cwd, env, scheme, host, username, opts.secret, replaceable);
  const back = await fillCredential(`${scheme}://${encodeURIComponent(username)}@${host}/`, cwd, env);
  if (back?.password !== opts.secret) {
    throw new AbortError(
      `the credential helper (${chain.helpers.map((h) => h.name).join(', ')}) did not keep the token.`,
      ['Run `bbauth doctor` to see which helper answers for Bitbucket first.'],
    );
  }
  const result: StoreTokenResult = {
    username,
    helpers: chain.helpers.map((h) => h.name),
    gcmValidationDisabled,
    notes,
  };
  if (configured) result.configured = configured;
  return result;
}

/** The keychain helpers among `names` that cannot keep a credential here, with how they failed. */
async function unusableKeychains(
  names: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Map<string, HelperFailure>> {
  const out = new Map<string, HelperFailure>();
  await Promise.all(
    [...new Set(names)].filter(isKeychainHelper).map(async (n) => {
      const failed = await probeKeychainStore(n, cwd, env);
      if (failed) out.set(n, failed);
    }),
  );
  return out;
}

/**
 * The host's stored credentials by username, as far as bbauth can see without erasing anything: what
 * the helpers hand git with no username, and every entry of the store files the configuration reads.
 */
async function storedEntries(
  cwd: string,
  env: NodeJS.ProcessEnv,
  config: ConfigEntry[],
  scheme: string,
  host: string,
): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const first = await fillCredential(`${scheme}://${host}/`, cwd, env);
  if (first?.username) out.set(first.username, first.password);
  const paths = [...new Set([...defaultStorePaths(env), ...storeFilesFromConfig(config, env)])];
  for (const file of await readCredentialStores(paths))
    for (const e of file.entries)
      if (e.host === host && e.username && !out.has(e.username)) out.set(e.username, e.password);
  return out;
}

/**
 * Entries a keychain holds under usernames bbauth could not list: while the helpers still answer the host with
 * another credential that is dead or replaced, that username is erased. Bounded: a helper that keeps answering the same is left alone.
 */
async function rejectHiddenEntries(
  cwd: string,
  env: NodeJS.ProcessEnv,
  scheme: string,
  host: string,
  username: string,
  secret: string,
  replaceable: (password: string | undefined) => boolean,
): Promise<void> {
  const tried = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const got = await fillCredential(`${scheme}://${host}/`, cwd, env);
    if (!got || got.password === secret || !got.username || got.username === username) return;
    if (!replaceable(got.password)) return;
    if (tried.has(got.username)) return;
    tried.add(got.username);
    await rejectCredential({ protocol: scheme, host, username: got.username }, cwd, env);
  }
}

/** Erases every stored credential for the Bitbucket host (logout). */
export async function eraseHostCredentials(
  cwd: string,
  env: NodeJS.ProcessEnv,
  endpoints: Endpoints,
): Promise<void> {
  const { protocol, host } = new URL(endpoints.bitbucketUrl);
  await rejectCredential({ protocol: protocol.replace(':', ''), host }, cwd, env);
}
