/**
 * `bbauth scan`: crawl the given paths (default: HOME and the global git config), test every file's raw bytes
 * against the prefilter, parse or detect what matches, read every repository's config (with includes) without
 * spawning git, and assemble one report. Read-only and offline; every secret read is registered for masking.
 */
import { statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Endpoints } from '../core/endpoints.js';
import { loadConfigWithIncludes, type IncludeContext } from '../core/scan/config-includes.js';
import type { FileConfigEntry } from '../core/scan/git-config-file.js';
import { mayMentionBitbucket } from '../core/scan/prefilter.js';
import { jenkinsFindings, repoFindings } from '../core/scan/repo-findings.js';
import { buildScanReport } from '../core/scan/report.js';
import { bareHost } from '../core/scan/text-detect.js';
import type { ScanItem, ScanReport } from '../core/scan/types.js';
import { extraHeaderItems } from '../core/scan/extra-header.js';
import { registerSecret } from '../core/secret-registry.js';
import { expiryFindings, knownExpiry } from '../core/expiry.js';
import { findRecord, noteSeen, type RecordsFile } from '../store/records.js';
import { planVerify, verifyFindings } from '../core/scan/verify.js';
import { finding } from '../core/findings/build.js';
import type { ProbeResult } from '../core/probe/outcome.js';
import { gatherEvidence } from './probe.js';
import {
  emptyPass,
  partitionRoot,
  runFilePass,
  scanTextInto,
  type CrawlUnit,
  type PassOptions,
  type PassResult,
} from '../scan/file-pass.js';
import { createReadBuffer, errorReason, readSmallText } from '../scan/read-file.js';
import { discoverRepositories } from '../scan/repositories.js';
import { foldOwnBackups } from '../core/scan/own-backups.js';
import { backupsRoot } from './fix-backup.js';

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export interface ScanOptions {
  /** Folders or files to scan; empty = HOME plus the global git config files. */
  paths: string[];
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  excludes: string[];
  maxFileSize: number;
  /** Ask Bitbucket about each distinct credential once (network). */
  verify?: boolean;
  /** Threads for the file pass (1 = this thread only; worker threads need the built dist/). */
  threads?: number;
  /** Called every few hundred files (for a progress line on a TTY). */
  onProgress?: (files: number) => void;
  /** Days before a recorded expiry to warn (token-expires-soon); default 30. */
  warnDays?: number;
  now?: Date;
  /** The host name the report carries (an inventory name); default the machine's. */
  label?: string;
  /** The version of bbauth that scanned, carried in the report. */
  bbauthVersion?: string;
}

/** The account running the scan: the OS's answer, else the environment's. */
function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? '';
  }
}

/** token-expires-soon / token-expired for every secret found that bbauth has a record of, at each place. */
function expiryItems(items: readonly ScanItem[], records: RecordsFile, opts: ScanOptions): ScanItem[] {
  if (records.credentials.length === 0) return [];
  const out: ScanItem[] = [];
  for (const it of items) {
    const record = it.secret === undefined ? undefined : findRecord(records, it.secret);
    if (!record) continue;
    const findings = expiryFindings([record], opts.now ?? new Date(), opts.warnDays ?? 30).map((f) => ({
      ...f,
      location: it.location,
    }));
    if (findings.length > 0) out.push({ ...it, findings });
  }
  return out;
}

/** The global git config files git reads (git-config(1) FILES), in order. */
export function globalConfigPaths(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? '';
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(xdg, 'git', 'config'), env.GIT_CONFIG_GLOBAL || join(home, '.gitconfig')];
}

/** Bitbucket host names (no port, no brackets) for the web/git origin and the API. */
function hostsOf(endpoints: Endpoints): string[] {
  const names = [endpoints.bitbucketUrl, endpoints.apiUrl].map((u) => bareHost(new URL(u).host));
  return [...new Set(names)];
}

const VERIFY_CONCURRENCY = 4;

/** One request per distinct credential, a few at a time; request() itself honours Retry-After on 429. */
async function verifyItems(
  items: readonly ScanItem[],
  endpoints: Endpoints,
  works: Set<string>,
): Promise<ScanItem[]> {
  const origin = endpoints.bitbucketUrl;
  const targets = planVerify(items, origin);
  const out: ScanItem[] = [];
  let down: ProbeResult | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < targets.length && !down) {
      const t = targets[next++]!;
      const subject = {
        kind: t.kind,
        username: t.username,
        push: false,
        ...(t.surface === 'git' ? { repoUrl: t.repoUrl! } : { email: t.username }),
      };
      const ev = await gatherEvidence(subject, t.secret, 'once', { apiUrl: endpoints.apiUrl });
      const r = ev.fetch ?? ev.identity;
      if (!r) continue;
      if (r.outcome.kind === 'network') down = r;
      if (r.outcome.kind === 'ok') works.add(t.secret);
      const findings = verifyFindings(t, r, origin);
      if (findings.length > 0)
        out.push({ secret: t.secret, kind: t.kind, location: t.locations[0]!, findings });
    }
  };
  await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, targets.length) }, lane));
  if (down?.outcome.kind === 'network') {
    const o = down.outcome;
    out.push({
      location: { host: o.host },
      findings: [
        finding(
          'network-unreachable',
          `${o.host} could not be reached (${o.errorKind}${o.proxy ? ` via proxy ${o.proxy}` : ''}); the remaining credentials stay unchecked, offline findings still stand.`,
          { host: o.host },
          {
            summary:
              'Check the network or proxy settings (HTTPS_PROXY, NO_PROXY) and run scan --verify again.',
            commands: [],
          },
        ),
      ],
    });
  }
  return out;
}

/** Runs the file pass over `parts` (the first in this thread, the rest in worker threads) and merges. */
async function runParts(
  parts: CrawlUnit[][],
  o: PassOptions,
  onProgress?: (n: number) => void,
): Promise<PassResult> {
  const others = parts.slice(1).filter((p) => p.length > 0);
  const workers = others.map(
    (units) =>
      new Promise<PassResult>((resolveResult, reject) => {
        const w = new Worker(new URL('../scan/worker.js', import.meta.url), {
          workerData: { units, options: o },
        });
        w.once('message', (r: PassResult) => resolveResult(r));
        w.once('error', reject);
      }),
  );
  const results = [runFilePass(parts[0] ?? [], o, onProgress), ...(await Promise.all(workers))];
  const out = results[0]!;
  for (const r of results.slice(1)) {
    out.items.push(...r.items);
    out.skipped.push(...r.skipped);
    out.jenkinsCreds.push(...r.jenkinsCreds);
    out.jenkinsJobs.push(...r.jenkinsJobs);
    out.deferredConfigs.push(...r.deferredConfigs);
    out.files += r.files;
    out.decoys += r.decoys;
    for (const d of r.layout.headDirs) out.layout.headDirs.add(d);
    for (const d of r.layout.objectsDirs) out.layout.objectsDirs.add(d);
    out.layout.configFiles.push(...r.layout.configFiles);
    out.layout.gitFiles.push(...r.layout.gitFiles);
  }
  return out;
}

/** What the crawl found: every item (secrets in memory), what it skipped, and how much it read. */
interface Collected {
  items: ScanItem[];
  skipped: PassResult['skipped'];
  files: number;
  repositories: number;
  /** Each repository's work tree (or git dir, when bare), as found. */
  repositoryPaths: string[];
  /** What was crawled: the given paths, or HOME and the global git config files. */
  roots: string[];
  decoys: number;
}

/**
 * Every Bitbucket secret in the given paths, by place, with the secret itself (in memory only): what scan reports
 * and what rotate replaces. Offline; never throws for unreadable files.
 */
export async function scanItems(opts: ScanOptions): Promise<ScanItem[]> {
  return (await collect(opts)).items;
}

/** What `bbauth fix --all` starts from: every repository in the given paths, and every secret by place. */
export async function scanMachine(opts: ScanOptions): Promise<{ items: ScanItem[]; repositories: string[] }> {
  const found = await collect(opts);
  return { items: found.items, repositories: found.repositoryPaths };
}

/** Runs the scan and returns the report. Never throws for unreadable files; those land in `skipped`. */
export async function runScan(opts: ScanOptions): Promise<ScanReport> {
  const found = await collect(opts);
  // Every token found gets its first sighting recorded: its expiry is bounded from it.
  const host = new URL(opts.endpoints.bitbucketUrl).host;
  const records = await noteSeen(
    found.items.flatMap((it) => (it.secret && it.kind ? [{ secret: it.secret, kind: it.kind, host }] : [])),
    opts.env,
    opts.now ?? new Date(),
  );
  const works = new Set<string>();
  if (opts.verify) found.items.push(...(await verifyItems(found.items, opts.endpoints, works)));
  found.items.push(...expiryItems(found.items, records, opts));
  const fleetKey = opts.env.BBAUTH_FLEET_KEY;
  return buildScanReport({
    origin: {
      host: opts.label ?? hostname(),
      user: currentUser(opts.env),
      scannedAt: (opts.now ?? new Date()).toISOString(),
      bbauthVersion: opts.bbauthVersion ?? '',
      roots: found.roots,
    },
    ...(fleetKey ? { fleetKey } : {}),
    expiryOf: (secret) => {
      const r = findRecord(records, secret);
      return r ? knownExpiry(r) : undefined;
    },
    works,
    items: found.items,
    skipped: found.skipped,
    files: found.files,
    repositories: found.repositories,
    fixtureDecoys: found.decoys,
  });
}

async function collect(opts: ScanOptions): Promise<Collected> {
  const home = opts.env.HOME ?? '';
  const hosts = hostsOf(opts.endpoints);
  const origin = opts.endpoints.bitbucketUrl;
  const passOpts: PassOptions = { hosts, origin, maxFileSize: opts.maxFileSize, excludes: opts.excludes };
  const threads = Math.max(1, opts.threads ?? 1);
  const pre = emptyPass();
  const skip = (path: string, reason: string): void => void pre.skipped.push({ path, reason });
  const parts: CrawlUnit[][] = Array.from({ length: threads }, () => []);
  const roots = opts.paths.length > 0 ? opts.paths.map((p) => resolve(p)) : [home];
  for (const root of roots) {
    let isDir: boolean;
    try {
      isDir = statSync(root).isDirectory();
    } catch (e) {
      skip(root, errorReason(e));
      continue;
    }
    if (!isDir) parts[0]!.push({ kind: 'file', path: root });
    else if (threads === 1) parts[0]!.push({ kind: 'dir', path: root, base: root });
    else
      partitionRoot(root, threads, opts.excludes, pre.layout, skip).forEach((u, i) => parts[i]!.push(...u));
  }
  const pass = await runParts(parts, passOpts, opts.onProgress);
  pass.skipped.unshift(...pre.skipped);
  for (const d of pre.layout.objectsDirs) pass.layout.objectsDirs.add(d);
  const { layout } = pass;
  const buf = createReadBuffer(opts.maxFileSize);
  const textCache = new Map<string, string | undefined>();
  const readText = (p: string): string | undefined => {
    if (!textCache.has(p)) textCache.set(p, readSmallText(p, buf));
    return textCache.get(p);
  };
  const deferredConfigs = new Set(pass.deferredConfigs);
  if (opts.paths.length === 0) for (const g of globalConfigPaths(opts.env)) deferredConfigs.add(g);

  pass.files += layout.configFiles.length + layout.gitFiles.length;
  const { repos, otherConfigs } = discoverRepositories(layout, readText);
  const covered = new Set<string>();
  const addItems = (items: ScanItem[]): void => {
    for (const it of items) {
      pass.items.push(it);
      if (it.location.file && it.location.line) covered.add(`${it.location.file}:${it.location.line}`);
    }
  };
  if (opts.paths.length === 0) {
    const ctx: IncludeContext = { home, load: readText };
    const global = globalConfigPaths(opts.env).flatMap((g) => loadConfigWithIncludes(g, 'global', ctx));
    addItems(extraHeaderItems(global, origin));
  }
  for (const repo of repos) {
    const ctx: IncludeContext = { home, gitDir: repo.gitDir, load: readText };
    const entries: FileConfigEntry[] = [];
    for (const g of globalConfigPaths(opts.env)) entries.push(...loadConfigWithIncludes(g, 'global', ctx));
    for (const f of repo.configFiles) entries.push(...loadConfigWithIncludes(f, 'local', ctx));
    const r = repoFindings(repo.repository, entries, hosts, origin);
    pass.items.push(...r.items);
    for (const c of r.covered) covered.add(c);
    // Global headers were reported once above; a repository's own config adds its own.
    addItems(
      extraHeaderItems(
        entries.filter((e) => e.scope === 'local'),
        origin,
        repo.repository,
      ),
    );
    for (const f of repo.configFiles) deferredConfigs.add(f);
    for (const e of entries) deferredConfigs.add(e.origin.replace(/^file:/, '')); // included files too
  }
  // Git config files get the text detectors as well (credentials in url.<base>.insteadOf, extra headers…).
  for (const path of [...deferredConfigs, ...otherConfigs]) {
    const text = readText(path);
    if (text === undefined || !mayMentionBitbucket(Buffer.from(text))) continue;
    const lines = new Set<number>();
    for (const c of covered) if (c.startsWith(`${path}:`)) lines.add(Number(c.slice(path.length + 1)));
    scanTextInto(pass, path, text, passOpts, lines);
  }
  pass.items.push(...jenkinsFindings(pass.jenkinsCreds, pass.jenkinsJobs, hosts, origin));
  for (const it of pass.items) registerSecret(it.secret);
  // Copies kept on purpose for `bbauth fix --undo`: neither verified nor reported as leaks.
  return {
    items: foldOwnBackups(pass.items, backupsRoot(opts.env)),
    skipped: pass.skipped,
    files: pass.files,
    repositories: repos.length,
    repositoryPaths: repos.map((r) => r.repository),
    roots:
      opts.paths.length > 0
        ? roots
        : [...roots, ...globalConfigPaths(opts.env).filter((g) => !g.startsWith(`${home}/`))],
    decoys: pass.decoys,
  };
}
