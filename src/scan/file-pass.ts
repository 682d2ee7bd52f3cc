/**
 * The per-file half of scan: crawl, read, prefilter, detect. It runs in the main thread and, for big trees,
 * in worker threads over disjoint parts of the tree (see services/scan.ts); its result is plain data that can
 * cross a thread boundary (secrets included: they stay in this process and are registered for masking by the
 * main thread).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scanFileText } from '../core/scan/file-findings.js';
import { compileExcludes } from '../core/scan/glob.js';
import {
  parseJenkinsCredentials,
  parseJenkinsJob,
  type JenkinsCredential,
  type JenkinsGitRemote,
} from '../core/places/jenkins.js';
import { jenkinsHomeOf, needsFullParse, placeOf } from '../core/scan/places.js';
import { looksBinary, mayMentionBitbucket } from '../core/scan/prefilter.js';
import type { ScanItem, Skipped } from '../core/scan/types.js';
import { crawlTree, isSkippedDir, noteGitFile, type GitLayout } from './crawl.js';
import { createReadBuffer, readIntoBuffer } from './read-file.js';

export type Located<T> = T & { file: string; home: string };

/** A piece of work: a folder to crawl (paths relative to `base` for --exclude), or a single file. */
export type CrawlUnit = { kind: 'dir'; path: string; base: string } | { kind: 'file'; path: string };

export interface PassOptions {
  hosts: string[];
  origin: string;
  maxFileSize: number;
  excludes: string[];
}

export interface PassResult {
  items: ScanItem[];
  skipped: Skipped[];
  jenkinsCreds: Located<JenkinsCredential>[];
  jenkinsJobs: Located<JenkinsGitRemote>[];
  /** Git config files met on the way (`.gitconfig`, `git/config`), scanned after the repositories. */
  deferredConfigs: string[];
  files: number;
  decoys: number;
  layout: GitLayout;
}

/** Scans one file's text into `out` (shared by the crawl and the git config pass). */
export function scanTextInto(
  out: PassResult,
  path: string,
  text: string,
  o: Pick<PassOptions, 'hosts' | 'origin'>,
  skipLines?: ReadonlySet<number>,
): void {
  const place = placeOf(path);
  const r = scanFileText(path, text, place, { hosts: o.hosts, origin: o.origin, skipLines });
  out.decoys += r.decoys;
  for (const it of r.items) out.items.push(it);
  if (place === 'jenkins-credentials') {
    for (const c of parseJenkinsCredentials(text))
      out.jenkinsCreds.push({ ...c, file: path, home: jenkinsHomeOf(path) });
  } else if (place === 'jenkins-job') {
    for (const j of parseJenkinsJob(text))
      out.jenkinsJobs.push({ ...j, file: path, home: jenkinsHomeOf(path) });
  }
}

/** An empty result. */
export function emptyPass(): PassResult {
  return {
    items: [],
    skipped: [],
    jenkinsCreds: [],
    jenkinsJobs: [],
    deferredConfigs: [],
    files: 0,
    decoys: 0,
    layout: { headDirs: new Set(), objectsDirs: new Set(), configFiles: [], gitFiles: [] },
  };
}

/** Crawls and scans the units; `onProgress` gets the running file count. Never throws for a bad file. */
export function runFilePass(
  units: readonly CrawlUnit[],
  o: PassOptions,
  onProgress?: (files: number) => void,
): PassResult {
  const out = emptyPass();
  const buf = createReadBuffer(o.maxFileSize);
  const excluded = compileExcludes(o.excludes);
  const skip = (path: string, reason: string): void => void out.skipped.push({ path, reason });
  const processFile = (path: string): void => {
    if (noteGitFile(path, out.layout)) return;
    out.files++;
    if (onProgress && out.files % 500 === 0) onProgress(out.files);
    const place = placeOf(path);
    if (place === 'git-config') {
      out.deferredConfigs.push(path); // after the repositories, so remote lines are reported once
      return;
    }
    const r = readIntoBuffer(path, buf);
    if (!r.ok) return skip(path, r.reason);
    if (!needsFullParse(place) && !mayMentionBitbucket(buf, r.length)) return;
    if (looksBinary(buf, r.length)) return skip(path, 'binary');
    scanTextInto(out, path, buf.toString('utf8', 0, r.length), o);
  };
  for (const u of units) {
    if (u.kind === 'file') processFile(u.path);
    else crawlTree(u.path, u.base, excluded, processFile, skip, out.layout);
  }
  return out;
}

/**
 * Splits a root folder into units for `parts` threads: its top-level files stay with the first part, its
 * top-level folders are dealt out in turn. Folders the crawl would skip are dropped here already.
 */
export function partitionRoot(
  root: string,
  parts: number,
  excludes: string[],
  layout: GitLayout,
  onSkip: (path: string, reason: string) => void,
): CrawlUnit[][] {
  const out: CrawlUnit[][] = Array.from({ length: parts }, () => []);
  const excluded = compileExcludes(excludes);
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    out[0]!.push({ kind: 'dir', path: root, base: root });
    return out;
  }
  let next = 0;
  for (const e of entries) {
    const path = join(root, e.name);
    if (e.isDirectory()) {
      if (isSkippedDir(e.name, path, root, excluded, layout, onSkip)) continue;
      out[next++ % parts]!.push({ kind: 'dir', path, base: root });
    } else if (e.isFile() || e.isSymbolicLink()) {
      const name = e.name;
      if (excluded(name)) continue;
      out[0]!.push({ kind: 'file', path });
    }
  }
  return out;
}
