/**
 * Plain-text places git and curl read Bitbucket secrets from: the `store` helper's files and .netrc.
 * Missing files are normal; unreadable ones are reported, not fatal.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCredentialStore, type StoredCredential } from '../core/parse/credential-store.js';
import { parseNetrc, type NetrcEntry } from '../core/parse/netrc.js';
import { registerSecret } from '../core/secret-registry.js';

export interface FileRead<T> {
  path: string;
  entries: T[];
  /** Set when the file exists but could not be read. */
  error?: string;
  /** Permission bits (`0o644`), when it could be read. */
  mode?: number;
}

async function readOptional(path: string): Promise<string | undefined | { error: string }> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { error: `${code ?? 'error'}: ${(e as Error).message}` };
  }
}

/** Default locations of the `store` helper's files (git-credential-store(1)). */
export function defaultStorePaths(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? '';
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(home, '.git-credentials'), join(xdg, 'git', 'credentials')];
}

/** Reads each existing file once, parses it, and registers every password in it for masking. */
async function readParsed<T extends { password?: string }>(
  paths: Iterable<string>,
  parse: (text: string) => T[],
): Promise<FileRead<T>[]> {
  const out: FileRead<T>[] = [];
  for (const path of new Set(paths)) {
    const text = await readOptional(path);
    if (text === undefined) continue;
    if (typeof text !== 'string') {
      out.push({ path, entries: [], error: text.error });
      continue;
    }
    const entries = parse(text);
    for (const e of entries) registerSecret(e.password);
    const mode = await stat(path).then(
      (s) => s.mode & 0o777,
      () => undefined,
    );
    out.push(mode === undefined ? { path, entries } : { path, entries, mode });
  }
  return out;
}

/** Reads and parses credential-store files. */
export function readCredentialStores(paths: readonly string[]): Promise<FileRead<StoredCredential>[]> {
  return readParsed(paths, parseCredentialStore);
}

/** Reads ~/.netrc and ~/_netrc (curl, and so git, read them). */
export function readNetrcFiles(env: NodeJS.ProcessEnv): Promise<FileRead<NetrcEntry>[]> {
  const home = env.HOME ?? '';
  return readParsed([join(home, '.netrc'), join(home, '_netrc')], parseNetrc);
}
