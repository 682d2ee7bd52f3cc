/**
 * `bbauth report`: reads scan (and doctor) JSON files, one at a time, and merges them into one fleet report
 * (core/fleet/merge.ts). Folders are walked for `*.json`; inputs are read in name order so the same inputs
 * give the same report.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fdir } from 'fdir';
import { AbortError } from '../core/errors.js';
import { FleetMerger, InvalidInput } from '../core/fleet/merge.js';
import type { FleetReport } from '../core/fleet/model.js';

/** Larger than any one machine's scan JSON has reason to be; a bigger file is refused, not read. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface ReportOptions {
  inputs: string[];
  /** List bad inputs in the report instead of stopping at the first. */
  skipInvalid: boolean;
  bbauthVersion: string;
  now?: Date;
}

/** Every input file: files as given, folders walked for `.json` files (symlinks not followed). */
function inputFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      throw new AbortError(
        `${abs} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing was merged.`,
        [
          'Give the scan JSON files or the folder they were collected into (bbauth scan --format json --output FILE).',
        ],
      );
    }
    if (!isDir) {
      out.push(abs);
      continue;
    }
    const found = new fdir()
      .withFullPaths()
      .filter((f) => f.endsWith('.json'))
      .crawl(abs)
      .sync();
    if (found.length === 0)
      throw new AbortError(`${abs} holds no .json files; nothing was merged.`, [
        "Collect each machine's `bbauth scan --format json --output HOST.json` there first.",
      ]);
    out.push(...found.sort());
  }
  return out;
}

/** `web-1.json` → `web-1`: the host a doctor input (which names none) stands for. */
function hostFromFile(file: string): string {
  return basename(file).replace(/\.json$/i, '');
}

/** Read synchronously: thousands of small local files, one after another, are read fastest without the thread pool. */
function readInput(file: string): unknown {
  const size = statSync(file).size;
  if (size > MAX_INPUT_BYTES)
    throw new InvalidInput(`it is ${size} bytes, more than one machine's scan can be`);
  const body = readFileSync(file, 'utf8');
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new InvalidInput(`it is not JSON (${(e as Error).message})`);
  }
}

export function buildReport(opts: ReportOptions): FleetReport {
  const merger = new FleetMerger();
  for (const file of inputFiles(opts.inputs)) {
    try {
      merger.add(readInput(file), file, hostFromFile(file));
    } catch (e) {
      const reason =
        e instanceof InvalidInput
          ? e.message
          : `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      if (!opts.skipInvalid)
        throw new AbortError(`${file}: ${reason}; nothing was written.`, [
          'Remove or replace that file, or pass --skip-invalid to list it in the report and merge the rest.',
        ]);
      merger.reject(file, reason);
    }
  }
  return merger.result((opts.now ?? new Date()).toISOString(), opts.bbauthVersion);
}
