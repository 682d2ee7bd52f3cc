/**
 * `bbauth scan`: crawl the given paths (default: HOME and the global git config), test every file's raw bytes
 * against the prefilter, parse or detect what matches, read every repository's config (with includes) without
 * spawning git, and assemble one report. Read-only and offline; every secret read is registered for masking.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Endpoints } from '../core/endpoints.js';
import { loadConfigWithIncludes, type IncludeContext } from '../core/scan/config-includes.js';
import { scanFileText } from '../core/scan/file-findings.js';
import type { FileConfigEntry } from '../core/scan/git-config-file.js';
import { compileExcludes } from '../core/scan/glob.js';
import {
  parseJenkinsCredentials,
  parseJenkinsJob,
  type JenkinsCredential,
  type JenkinsGitRemote,
} from '../core/scan/jenkins.js';
import { jenkinsHomeOf, needsFullParse, placeOf } from '../core/scan/places.js';
import { looksBinary, mayMentionBitbucket } from '../core/scan/prefilter.js';
import { jenkinsFindings, repoFindings } from '../core/scan/repo-findings.js';
import { buildScanReport } from '../core/scan/report.js';
import { bareHost } from '../core/scan/text-detect.js';
import type { ScanItem, ScanReport, Skipped } from '../core/scan/types.js';
import { registerSecret } from '../core/secret-registry.js';
import { crawlTree, type GitLayout } from '../scan/crawl.js';
import { createReadBuffer, errorReason, readIntoBuffer, readSmallText } from '../scan/read-file.js';
import { discoverRepositories } from '../scan/repositories.js';

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export interface ScanOptions {
  /** Folders or files to scan; empty = HOME plus the global git config files. */
  paths: string[];
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  excludes: string[];
  maxFileSize: number;
  /** Called every few hundred files (for a progress line on a TTY). */
  onProgress?: (files: number) => void;
}

type Located<T> = T & { file: string; home: string };

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

/** Runs the scan and returns the report. Never throws for unreadable files; those land in `skipped`. */
export function runScan(opts: ScanOptions): ScanReport {
  const home = opts.env.HOME ?? '';
  const hosts = hostsOf(opts.endpoints);
  const origin = opts.endpoints.bitbucketUrl;
  const buf = createReadBuffer(opts.maxFileSize);
  const items: ScanItem[] = [];
  const skipped: Skipped[] = [];
  const jenkinsCreds: Located<JenkinsCredential>[] = [];
  const jenkinsJobs: Located<JenkinsGitRemote>[] = [];
  const deferredConfigs = new Set<string>();
  let files = 0;
  let decoys = 0;
  const textCache = new Map<string, string | undefined>();
  const readText = (p: string): string | undefined => {
    if (!textCache.has(p)) textCache.set(p, readSmallText(p, buf));
    return textCache.get(p);
  };
  const skip = (path: string, reason: string): void => void skipped.push({ path, reason });

  const scanText = (path: string, text: string, skipLines?: ReadonlySet<number>): void => {
    const place = placeOf(path);
    const r = scanFileText(path, text, place, { hosts, origin, skipLines });
    decoys += r.decoys;
    items.push(...r.items);
    if (place === 'jenkins-credentials') {
      for (const c of parseJenkinsCredentials(text))
        jenkinsCreds.push({ ...c, file: path, home: jenkinsHomeOf(path) });
    } else if (place === 'jenkins-job') {
      for (const j of parseJenkinsJob(text))
        jenkinsJobs.push({ ...j, file: path, home: jenkinsHomeOf(path) });
    }
  };

  const processFile = (path: string): void => {
    files++;
    if (opts.onProgress && files % 500 === 0) opts.onProgress(files);
    const place = placeOf(path);
    if (place === 'git-config') {
      deferredConfigs.add(path); // after the repositories, so remote lines are reported once
      return;
    }
    const r = readIntoBuffer(path, buf);
    if (!r.ok) return skip(path, r.reason);
    if (!needsFullParse(place) && !mayMentionBitbucket(buf, r.length)) return;
    if (looksBinary(buf, r.length)) return skip(path, 'binary');
    scanText(path, buf.toString('utf8', 0, r.length));
  };

  const layout: GitLayout = { headDirs: new Set(), objectsDirs: new Set(), configFiles: [], gitFiles: [] };
  const excluded = compileExcludes(opts.excludes);
  const roots = opts.paths.length > 0 ? opts.paths.map((p) => resolve(p)) : [home];
  if (opts.paths.length === 0) for (const g of globalConfigPaths(opts.env)) deferredConfigs.add(g);
  for (const root of roots) {
    let isDir: boolean;
    try {
      isDir = statSync(root).isDirectory();
    } catch (e) {
      skip(root, errorReason(e));
      continue;
    }
    if (isDir) crawlTree(root, excluded, processFile, skip, layout);
    else if (root.endsWith('/config')) layout.configFiles.push(root);
    else processFile(root);
  }

  files += layout.configFiles.length + layout.gitFiles.length;
  const { repos, otherConfigs } = discoverRepositories(layout, readText);
  const covered = new Set<string>();
  for (const repo of repos) {
    const ctx: IncludeContext = { home, gitDir: repo.gitDir, load: readText };
    const entries: FileConfigEntry[] = [];
    for (const g of globalConfigPaths(opts.env)) entries.push(...loadConfigWithIncludes(g, 'global', ctx));
    for (const f of repo.configFiles) entries.push(...loadConfigWithIncludes(f, 'local', ctx));
    const r = repoFindings(repo.repository, entries, hosts, origin);
    items.push(...r.items);
    for (const c of r.covered) covered.add(c);
    for (const f of repo.configFiles) deferredConfigs.add(f);
    for (const e of entries) deferredConfigs.add(e.origin.replace(/^file:/, '')); // included files too
  }
  // Git config files get the text detectors as well (credentials in url.<base>.insteadOf, extra headers…).
  for (const path of [...deferredConfigs, ...otherConfigs]) {
    const text = readText(path);
    if (text === undefined) continue;
    if (!mayMentionBitbucket(Buffer.from(text))) continue;
    const lines = new Set<number>();
    for (const c of covered) if (c.startsWith(`${path}:`)) lines.add(Number(c.slice(path.length + 1)));
    scanText(path, text, lines);
  }
  items.push(...jenkinsFindings(jenkinsCreds, jenkinsJobs, hosts, origin));
  for (const it of items) registerSecret(it.secret);
  return buildScanReport({ items, skipped, files, repositories: repos.length, fixtureDecoys: decoys });
}
