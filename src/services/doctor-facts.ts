/**
 * Gathers doctor's facts: one `git config` call, one `git credential fill` per distinct credential lookup, and
 * the plain-text stores. Read-only; never prompts.
 */
import { basename, delimiter, dirname, resolve } from 'node:path';
import { classifySecret, isTokenLike } from '../core/credential/secret-class.js';
import {
  reachesAskPass,
  type DoctorFacts,
  type EmailGuess,
  type RemoteFacts,
  type SecretUse,
} from '../core/doctor/facts.js';
import type { Endpoints } from '../core/endpoints.js';
import type { Location } from '../core/model.js';
import { helperKind, helpersFor, signsInInteractively } from '../core/parse/credential-helpers.js';
import { configGet, remotesFrom, type ConfigEntry } from '../core/parse/git-config.js';
import { effectiveRemoteUrls, rewriteUrl } from '../core/parse/insteadof.js';
import { gitUsernameFor } from '../core/token/usernames.js';
import { netrcCredentialFor, type NetrcEntry } from '../core/parse/netrc.js';
import { originOf, parseRemoteUrl, withoutCredentials, type RemoteUrl } from '../core/parse/remote-url.js';
import { gitCanPrompt } from '../git/terminal.js';
import { pushesToBitbucket, resolveNeed } from '../core/credential/need.js';
import {
  helperSearchPath,
  isHelperRunnable,
  isKeychainHelper,
  probeKeychainHelper,
} from '../git/helper-program.js';
import { helperUsername } from '../core/places/remote-url.js';
import { registerSecret } from '../core/secret-registry.js';
import { isInRepository, readGitConfig } from '../git/config.js';
import { askCredential, fillCredential, type AskResult, type FillResult } from '../git/credential.js';
import { askPassKind, askPassProgram } from '../core/places/askpass.js';
import { defaultStorePaths, readCredentialStores, readNetrcFiles } from '../sources/credential-files.js';
import { readExtraHeaders } from './extra-headers.js';
import { answerFromStores, storeFilesOf, type StoreQuestion } from '../core/doctor/store-answer.js';
import type { StoredCredential } from '../core/parse/credential-store.js';
import type { UnusableHelper } from '../core/places/helper-chain.js';

export interface GatherOptions {
  cwd: string;
  endpoints: Endpoints;
  env: NodeJS.ProcessEnv;
  email?: string;
  /** `--need`, when given. */
  need?: string;
  /** `--ask-askpass`: let git ask the askpass program where it would (it may show a dialog). */
  askAskPass?: boolean;
  /** `bbauth doctor URL`: judge this clone URL as the one remote, instead of the repository's. */
  url?: string;
  /** With `url` and `--with-token`: the token to judge for it, instead of what git would find. */
  token?: string;
  now: Date;
}

function repositoryRoot(config: ConfigEntry[], cwd: string): string | undefined {
  const local = config.find((e) => e.scope === 'local' && e.origin.startsWith('file:'));
  if (!local) return undefined;
  const file = resolve(cwd, local.origin.slice('file:'.length));
  const gitDir = dirname(file);
  return basename(gitDir) === '.git' ? dirname(gitDir) : gitDir;
}

function isBitbucketRemote(url: RemoteUrl, endpoints: Endpoints): boolean {
  const bb = new URL(endpoints.bitbucketUrl);
  if (url.scheme === 'ssh') return url.host?.toLowerCase() === bb.hostname.toLowerCase();
  return (url.scheme === 'https' || url.scheme === 'http') && originOf(url) === bb.origin;
}

/** Expands each configured remote into fetch/push URL entries after insteadOf rewriting. */
function expandRemotes(config: ConfigEntry[], endpoints: Endpoints): Omit<RemoteFacts, 'candidates'>[] {
  const out: Omit<RemoteFacts, 'candidates'>[] = [];
  for (const r of remotesFrom(config)) {
    const { fetch, push } = effectiveRemoteUrls(r, config);
    const fetchUrl = fetch[0];
    if (fetchUrl === undefined) continue;
    const entries: [string, RemoteFacts['direction'], string][] = [];
    if (push.length === 1 && push[0] === fetchUrl) entries.push([fetchUrl, 'both', `remote.${r.name}.url`]);
    else {
      entries.push([fetchUrl, 'fetch', `remote.${r.name}.url`]);
      const pushKey = r.pushUrls.length > 0 ? `remote.${r.name}.pushurl` : `remote.${r.name}.url`;
      for (const p of push) if (p !== fetchUrl) entries.push([p, 'push', pushKey]);
    }
    for (const [raw, direction, configKey] of entries) {
      const url = parseRemoteUrl(raw);
      registerSecret(url.password);
      const origin = config.find((e) => e.key === configKey)?.origin;
      const clean =
        url.scheme === 'http' || url.scheme === 'https' ? withoutCredentials(url, url.username) : raw;
      out.push({
        name: r.name,
        direction,
        url,
        configKey,
        ...(origin ? { configOrigin: origin } : {}),
        bitbucket: isBitbucketRemote(url, endpoints),
        chain: helpersFor(clean, config),
      });
    }
  }
  return out;
}

/** A clone URL given to doctor, as the one remote `url` (after insteadOf, as git clone would rewrite it). */
function urlRemote(
  raw: string,
  config: ConfigEntry[],
  endpoints: Endpoints,
): Omit<RemoteFacts, 'candidates'> {
  const url = parseRemoteUrl(rewriteUrl(raw, config, false));
  registerSecret(url.password);
  const clean = url.scheme === 'http' || url.scheme === 'https' ? withoutCredentials(url, url.username) : raw;
  return {
    name: 'url',
    direction: 'both',
    url,
    configKey: 'URL',
    bitbucket: isBitbucketRemote(url, endpoints),
    chain: helpersFor(clean, config),
  };
}

/** `scheme://[user@]host[:port]/`: what a helper is asked when the path does not matter. */
function helperQuestion(url: RemoteUrl, username: string | undefined): string {
  const host = url.host?.includes(':') ? `[${url.host}]` : (url.host ?? '');
  const user = username === undefined ? '' : `${encodeURIComponent(username)}@`;
  return `${url.scheme}://${user}${host}${url.port ? `:${url.port}` : ''}/`;
}

/** The username git asks the helpers with (a token in the username field: a stand-in, see helperUsername). */
function askedUsername(url: RemoteUrl): string | undefined {
  if (url.username && isTokenLike(url.username)) registerSecret(url.username);
  return helperUsername(url.username);
}

function netrcUse(netrc: { path: string; entries: NetrcEntry[] }[], url: RemoteUrl): SecretUse | undefined {
  for (const rc of netrc) {
    const found = netrcCredentialFor(rc.entries, url.host ?? '', url.username);
    if (found) {
      const { entry: e, username } = found;
      return {
        secret: e.password!,
        username,
        source: 'netrc',
        location: { file: rc.path, line: e.line, host: url.host },
        class: classifySecret(e.password!),
      };
    }
  }
  return undefined;
}

function helperUse(fill: FillResult, chain: RemoteFacts['chain'], location: Location): SecretUse {
  const helper = chain.helpers.map((h) => h.name).join(', ') || 'unknown';
  return {
    secret: fill.password!,
    username: fill.username,
    source: 'helper',
    helper,
    location: { ...location, helper },
    class: classifySecret(fill.password!),
  };
}

function emailGuess(opts: GatherOptions, config: ConfigEntry[]): EmailGuess | undefined {
  if (opts.email) return { value: opts.email, source: 'flag' };
  if (opts.env.BBAUTH_EMAIL) return { value: opts.env.BBAUTH_EMAIL, source: 'env' };
  const user = configGet(config, 'user.email')?.value;
  return user ? { value: user, source: 'git-config' } : undefined;
}

/** The askpass program git would run (git's order), and what kind it is. */
function askPassOf(config: ConfigEntry[], env: NodeJS.ProcessEnv): DoctorFacts['askPass'] {
  const found = askPassProgram(configGet(config, 'core.askpass')?.value, env);
  return found && { ...found, kind: askPassKind(found.program, env) };
}

/** The question git asks helpers (and the askpass program) for a remote: its username, and the path if useHttpPath. */
function questionFor(r: Pick<RemoteFacts, 'url' | 'chain'>): string {
  return r.chain.useHttpPath
    ? withoutCredentials(r.url, askedUsername(r.url))
    : helperQuestion(r.url, askedUsername(r.url));
}

/**
 * `--ask-askpass`: for each remote where git gets as far as the askpass program, git asks it (once per distinct
 * question, as it would), and its answer joins the remote's candidates after everything git tries first.
 */
async function askTheAskPass(
  remotes: RemoteFacts[],
  facts: DoctorFacts,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const asked = new Map<string, Promise<AskResult>>();
  await Promise.all(
    remotes.map(async (r) => {
      if (!r.bitbucket || r.url.scheme === 'ssh' || !reachesAskPass(facts, r)) return;
      const question = questionFor(r);
      if (!asked.has(question)) asked.set(question, askCredential(question, facts.cwd, env));
      const got = await asked.get(question)!;
      if (!got.answered) {
        r.askPassAnswer = { answered: false, why: got.why };
        return;
      }
      const use: SecretUse = {
        secret: got.fill.password!,
        username: got.fill.username,
        source: 'askpass',
        location: {
          remote: r.name,
          configKey: r.configKey,
          ...(facts.repository ? { repository: facts.repository } : {}),
        },
        class: classifySecret(got.fill.password!),
      };
      r.candidates.push(use);
      r.askPassAnswer = { answered: true, use };
    }),
  );
}

/** Reads everything doctor needs. */
export async function gatherDoctorFacts(opts: GatherOptions): Promise<DoctorFacts> {
  const { cwd, env, endpoints } = opts;
  const config = await readGitConfig(cwd, env);
  const entries = opts.url ? [urlRemote(opts.url, config, endpoints)] : expandRemotes(config, endpoints);
  // Started before the fills and awaited last: a keychain probe waits on a keyring as long as a fill does.
  const unusable = unusableHelpers(helpersFor(endpoints.bitbucketUrl + '/', config), entries, cwd, env);
  unusable.catch(() => {}); // rejects again where it is awaited; never unhandled if a fill fails first
  // A URL to check stands alone: the repository bbauth runs in (if any) is not part of the question.
  const repository = !opts.url && isInRepository(config) ? repositoryRoot(config, cwd) : undefined;
  // Default files are always read: a store file is a finding even when no helper points at it any more.
  const storePaths = [...new Set([...defaultStorePaths(env), ...storeFilesFromConfig(config, env)])];
  const [stores, netrc] = await Promise.all([readCredentialStores(storePaths), readNetrcFiles(env)]);
  // One `git credential fill` per distinct question a helper would actually be asked: git drops the path
  // unless credential.useHttpPath is set, so remotes of the same host and username share one call. All run at once.
  const fills = new Map<string, Promise<FillResult | undefined>>();
  const storeFiles = new Map(stores.map((s) => [s.path, s.entries]));
  const fill = (url: string, chain: RemoteFacts['chain']): Promise<FillResult | undefined> => {
    const local = answerStoreOnly(url, chain, storeFiles, env);
    if (local !== undefined) return Promise.resolve(local ?? undefined);
    // A sign-in helper (git-credential-oauth) would open a browser and wait: doctor asks only the others.
    const quiet = chain.helpers.some((h) => signsInInteractively(h.name))
      ? chain.helpers.filter((h) => !signsInInteractively(h.name)).map((h) => h.name)
      : undefined;
    const key = quiet ? `${url}\u0000${quiet.join('\u0000')}` : url;
    if (!fills.has(key))
      fills.set(key, quiet?.length === 0 ? Promise.resolve(undefined) : fillCredential(url, cwd, env, quiet));
    return fills.get(key)!;
  };
  const pending = entries.map(async (r): Promise<RemoteFacts> => {
    const candidates: SecretUse[] = [];
    const httpish = r.url.scheme === 'https' || r.url.scheme === 'http';
    if (!r.bitbucket || !httpish) return { ...r, candidates };
    if (opts.token !== undefined) {
      const given = classifySecret(opts.token);
      candidates.push({
        secret: opts.token,
        username: r.url.username ?? gitUsernameFor(given.kind),
        source: 'given',
        location: { remote: r.name, configKey: r.configKey },
        class: given,
      });
      return { ...r, candidates };
    }
    const location: Location = {
      remote: r.name,
      configKey: r.configKey,
      ...(repository ? { repository } : {}),
    };
    candidates.push(...readExtraHeaders(config, withoutCredentials(r.url), location));
    if (r.url.password) {
      // git sends the URL's password and never asks a helper, so there is nothing to fill.
      candidates.push({
        secret: r.url.password,
        username: r.url.username,
        source: 'url',
        location,
        class: classifySecret(r.url.password),
      });
      return { ...r, candidates };
    }
    const fromNetrc = netrcUse(netrc, r.url);
    if (fromNetrc) candidates.push(fromNetrc);
    if (r.chain.helpers.length > 0) {
      const got = await fill(questionFor(r), r.chain);
      if (got?.password) candidates.push(helperUse(got, r.chain, location));
    }
    return { ...r, candidates };
  });
  const remotes = await Promise.all(pending);
  const hostChain = helpersFor(endpoints.bitbucketUrl + '/', config);
  const hostCandidates: SecretUse[] = [];
  if (!remotes.some((r) => r.bitbucket && r.url.scheme !== 'ssh') && hostChain.helpers.length > 0) {
    const got = await fill(endpoints.bitbucketUrl + '/', hostChain);
    if (got?.password)
      hostCandidates.push(helperUse(got, hostChain, { host: new URL(endpoints.bitbucketUrl).host }));
  }
  const facts: DoctorFacts = {
    cwd,
    endpoints,
    config,
    remotes,
    hostChain,
    hostCandidates,
    stores: stores.map(({ path, entries, mode }) =>
      mode === undefined ? { path, entries } : { path, entries, mode },
    ),
    netrc: netrc.map(({ path, entries, mode }) =>
      mode === undefined ? { path, entries } : { path, entries, mode },
    ),
    env: { GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS: env.GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS },
    need: resolveNeed(opts.need, config, pushesToBitbucket(remotes)),
    now: opts.now,
  };
  if (repository) facts.repository = repository;
  const email = emailGuess(opts, config);
  if (email) facts.email = email;
  const askPass = askPassOf(config, env);
  if (askPass) facts.askPass = askPass;
  facts.terminal = gitCanPrompt(env);
  if (opts.askAskPass && askPass) await askTheAskPass(remotes, facts, env);
  const unrunnable = await unusable;
  if (unrunnable.length > 0) facts.unrunnable = unrunnable;
  return facts;
}

/**
 * The helpers git skips: those it cannot run (any chain), and keychain helpers in a chain for Bitbucket that fail
 * when asked, each asked once, all at once.
 */
async function unusableHelpers(
  hostChain: RemoteFacts['chain'],
  remotes: readonly Omit<RemoteFacts, 'candidates'>[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<UnusableHelper[]> {
  const names = (chains: RemoteFacts['chain'][]) => [
    ...new Set(chains.flatMap((c) => c.helpers.map((h) => h.name))),
  ];
  const forBitbucket = [
    hostChain,
    ...remotes.filter((r) => r.bitbucket && r.url.scheme !== 'ssh').map((r) => r.chain),
  ];
  const probed = names(forBitbucket).filter(isKeychainHelper);
  const [missing, failures] = await Promise.all([
    unrunnableHelpers([hostChain, ...remotes.map((r) => r.chain)], env),
    Promise.all(probed.map((n) => probeKeychainHelper(n, cwd, env))),
  ]);
  const failed = probed.flatMap((name, i) =>
    failures[i] && !missing.includes(name) ? [{ name, failed: failures[i] }] : [],
  );
  return [...missing.map((name) => ({ name })), ...failed];
}

/**
 * The helper values of these chains that git could not run. `store` and `cache` ship with git itself; the rest
 * are looked for on PATH first, and git's exec-path is asked for (one git call) only when that is not enough.
 */
async function unrunnableHelpers(chains: RemoteFacts['chain'][], env: NodeJS.ProcessEnv): Promise<string[]> {
  const names = [...new Set(chains.flatMap((c) => c.helpers.map((h) => h.name)))].filter(
    (n) => !['store', 'cache'].includes(helperKind(n)),
  );
  if (names.length === 0) return [];
  const path = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = await Promise.all(names.map((n) => isHelperRunnable(n, path)));
  const rest = names.filter((_, i) => !onPath[i]);
  if (rest.length === 0) return [];
  const searchPath = await helperSearchPath(env);
  const runnable = await Promise.all(rest.map((n) => isHelperRunnable(n, searchPath)));
  return rest.filter((_, i) => !runnable[i]);
}

/** A store-only helper chain answered in-process (null: nothing stored); undefined: ask git. */
function answerStoreOnly(
  url: string,
  chain: RemoteFacts['chain'],
  files: ReadonlyMap<string, StoredCredential[]>,
  env: NodeJS.ProcessEnv,
): FillResult | null | undefined {
  const u = new URL(url);
  const question: StoreQuestion = { protocol: u.protocol.replace(':', ''), host: u.host };
  const username = u.username ? decodeURIComponent(u.username) : chain.username;
  if (username !== undefined) question.username = username;
  if (chain.useHttpPath && u.pathname.length > 1) question.path = decodeURIComponent(u.pathname.slice(1));
  const answer = answerFromStores(
    chain.helpers.map((h) => h.name),
    question,
    files,
    defaultStorePaths(env),
    env.HOME,
  );
  if (answer === undefined || answer === null) return answer;
  const message = { username: answer.username, password: answer.password };
  return { ...message, message };
}

/** Every file a `store` helper in the config reads (git-credential-store's own rules, see storeFilesOf). */
export function storeFilesFromConfig(config: ConfigEntry[], env: NodeJS.ProcessEnv): string[] {
  const defaults = defaultStorePaths(env);
  return config
    .filter((e) => /^credential\.(.*\.)?helper$/.test(e.key) && e.value)
    .flatMap((e) => storeFilesOf(e.value!, defaults, env.HOME) ?? []);
}
