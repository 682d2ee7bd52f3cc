/**
 * Gathers doctor's facts: one `git config` call, one `git credential fill` per distinct credential lookup, and
 * the plain-text stores. Read-only; never prompts.
 */
import { dirname, basename, resolve } from 'node:path';
import { classifySecret, isTokenLike } from '../core/classify/secret.js';
import type { DoctorFacts, EmailGuess, RemoteFacts, SecretUse } from '../core/doctor/facts.js';
import type { Endpoints } from '../core/endpoints.js';
import type { Location } from '../core/model.js';
import { helpersFor } from '../core/parse/credential-helpers.js';
import { configGet, remotesFrom, type ConfigEntry } from '../core/parse/git-config.js';
import { effectiveRemoteUrls } from '../core/parse/insteadof.js';
import type { NetrcEntry } from '../core/parse/netrc.js';
import { originOf, parseRemoteUrl, withoutCredentials, type RemoteUrl } from '../core/parse/remote-url.js';
import { registerSecret } from '../core/secret-registry.js';
import { isInRepository, readGitConfig } from '../git/config.js';
import { fillCredential, type FillResult } from '../git/credential.js';
import { defaultStorePaths, readCredentialStores, readNetrcFiles } from '../sources/credential-files.js';
import { readExtraHeaders } from './extra-headers.js';

export interface GatherOptions {
  cwd: string;
  endpoints: Endpoints;
  env: NodeJS.ProcessEnv;
  email?: string;
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

/** The URL's username, unless it is a token pasted into the username field (never hand that to helpers). */
function safeUsername(url: RemoteUrl): string | undefined {
  if (url.username && isTokenLike(url.username)) {
    registerSecret(url.username);
    return undefined;
  }
  return url.username;
}

function netrcUse(netrc: { path: string; entries: NetrcEntry[] }[], url: RemoteUrl): SecretUse | undefined {
  for (const rc of netrc) {
    const e =
      rc.entries.find(
        (x) => x.machine === url.host && x.password && (!url.username || x.login === url.username),
      ) ?? rc.entries.find((x) => x.machine === 'default' && x.password);
    if (e?.password) {
      return {
        secret: e.password,
        username: e.login,
        source: 'netrc',
        location: { file: rc.path, line: e.line, host: url.host },
        class: classifySecret(e.password),
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

/** Reads everything doctor needs. */
export async function gatherDoctorFacts(opts: GatherOptions): Promise<DoctorFacts> {
  const { cwd, env, endpoints } = opts;
  const config = await readGitConfig(cwd, env);
  const repository = isInRepository(config) ? repositoryRoot(config, cwd) : undefined;
  const storePaths = [...defaultStorePaths(env), ...storeFilesFromConfig(config, env)];
  const [stores, netrc] = await Promise.all([readCredentialStores(storePaths), readNetrcFiles(env)]);
  const fills = new Map<string, Promise<FillResult | undefined>>();
  const fill = (url: string) => {
    if (!fills.has(url)) fills.set(url, fillCredential(url, cwd, env));
    return fills.get(url)!;
  };
  const remotes: RemoteFacts[] = [];
  for (const r of expandRemotes(config, endpoints)) {
    const candidates: SecretUse[] = [];
    const httpish = r.url.scheme === 'https' || r.url.scheme === 'http';
    if (r.bitbucket && httpish) {
      const location: Location = {
        remote: r.name,
        configKey: r.configKey,
        ...(repository ? { repository } : {}),
      };
      candidates.push(...readExtraHeaders(config, withoutCredentials(r.url), location));
      if (r.url.password) {
        candidates.push({
          secret: r.url.password,
          username: r.url.username,
          source: 'url',
          location,
          class: classifySecret(r.url.password),
        });
      } else {
        const fromNetrc = netrcUse(netrc, r.url);
        if (fromNetrc) candidates.push(fromNetrc);
      }
      if (r.chain.helpers.length > 0) {
        // useHttpPath decides whether the helper sees the path; git strips it itself otherwise.
        const got = await fill(withoutCredentials(r.url, safeUsername(r.url)));
        if (got?.password) candidates.push(helperUse(got, r.chain, location));
      }
    }
    remotes.push({ ...r, candidates });
  }
  const hostChain = helpersFor(endpoints.bitbucketUrl + '/', config);
  const hostCandidates: SecretUse[] = [];
  if (!remotes.some((r) => r.bitbucket && r.url.scheme !== 'ssh') && hostChain.helpers.length > 0) {
    const got = await fill(endpoints.bitbucketUrl + '/');
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
    stores: stores.map((s) => ({ path: s.path, entries: s.entries })),
    netrc: netrc.map((n) => ({ path: n.path, entries: n.entries })),
    env: { GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS: env.GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS },
    now: opts.now,
  };
  if (repository) facts.repository = repository;
  const email = emailGuess(opts, config);
  if (email) facts.email = email;
  return facts;
}

/** `store --file PATH` helpers name extra plain-text files. */
function storeFilesFromConfig(config: ConfigEntry[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const e of config) {
    if (!/^credential\.(.*\.)?helper$/.test(e.key) || !e.value) continue;
    const m = /^store\b.*--file(?:=|\s+)("([^"]+)"|'([^']+)'|(\S+))/.exec(e.value.trim());
    const path = m?.[2] ?? m?.[3] ?? m?.[4];
    if (path) out.push(path.replace(/^~(?=\/)/, env.HOME ?? '~'));
  }
  return out;
}
