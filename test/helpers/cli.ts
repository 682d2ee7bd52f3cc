/**
 * Runs the built bbauth binary as a user would (a child process, asynchronously so an in-process emulator keeps
 * answering), in a sandbox environment, and checks that no planted secret leaks into its output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { spawnCollect, type Run } from './spawn.js';

export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../../dist/cli/', import.meta.url));

/**
 * A folder to put first on PATH, where `bbauth` and `git-credential-bbauth` run the built binaries, as an
 * `npm install -g bbauth` would provide: git finds `credential.helper = bbauth` as `git credential-bbauth`.
 */
export function binDir(root: string): string {
  const dir = join(root, 'bin');
  mkdirSync(dir, { recursive: true });
  for (const [name, file] of [
    ['bbauth', 'main.js'],
    ['git-credential-bbauth', 'git-credential-bbauth.js'],
  ] as const) {
    writeFileSync(join(dir, name), `#!/bin/sh\nexec "${process.execPath}" "${DIST_CLI}${file}" "$@"\n`, {
      mode: 0o755,
    });
  }
  return dir;
}

export type CliRun = Run;

/** Runs `bbauth <args>` with `env`, optional stdin, in `cwd`. */
export function runCli(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<CliRun> {
  return spawnCollect(process.execPath, [BIN, ...args], opts);
}

/**
 * Every 8-character window of a secret (raw or URL-encoded, either hex case: git writes %3d) that appears in
 * `text`, except windows within the public token prefix. A fingerprint shows 6 + 4 characters and never matches; a partly masked
 * token (its "=" and checksum tail left visible) does.
 */
export function secretFragmentsIn(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    const encoded = encodeURIComponent(s);
    for (const form of new Set([s, encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())])) {
      // The 12-character prefixes (ATATT3xFfGF0, ATCTT3xFfGN0) are public and shared by every token: windows
      // wholly inside them say nothing about a secret (docs quote them), so start where a window reaches past.
      const start = /^AT(ATT|CTT)3xFfG[FN]0/.test(form) ? 5 : 1;
      for (let i = start; i + 8 <= form.length; i++) {
        const window = form.slice(i, i + 8);
        if (text.includes(window)) found.push(window);
      }
    }
  }
  return found;
}

/** Canary: no part of any secret (see secretFragmentsIn) appears in stdout or stderr. */
export function expectNoSecrets(run: CliRun, secrets: readonly string[]): void {
  expect(
    secretFragmentsIn(run.stdout + '\n' + run.stderr, secrets),
    'part of a planted secret leaked into output',
  ).toEqual([]);
}
