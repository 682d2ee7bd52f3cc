/**
 * Whether git can run a configured credential helper at all: git prints "'credential-x' is not a git command"
 * for a missing one and goes on as if it held nothing, so a missing keychain helper looks like an empty one.
 * A keychain helper that is there can still fail every time (libsecret with no Secret Service to talk to, on a
 * server): git ignores a helper's failure on `get` and `store` alike, so that looks like an empty one too.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { AbortError } from '../core/errors.js';
import { helperProgram, helperWords } from '../core/parse/credential-helpers.js';
import { runGit } from './run-git.js';

/**
 * Where git looks for `git credential-<name>`: its exec-path, then the PATH of `env`. The environment bbauth
 * was given, not the process's: a test's sandbox (or a CI job's) decides what is installed.
 */
export async function helperSearchPath(env: NodeJS.ProcessEnv): Promise<string[]> {
  const execPath = (await runGit(['--exec-path'], { env })).stdout.trim();
  return [execPath, ...(env.PATH ?? '').split(delimiter)].filter(Boolean);
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when git would find and run the helper `name` (shell helpers are taken as runnable). */
export async function isHelperRunnable(name: string, searchPath: readonly string[]): Promise<boolean> {
  const p = helperProgram(name);
  if (p.via === 'shell') return true;
  if (p.via === 'path') return executable(p.path);
  for (const dir of searchPath) {
    if (await executable(join(dir, p.program))) return true;
    if (process.platform === 'win32' && (await executable(join(dir, `${p.program}.exe`)))) return true;
  }
  return false;
}

/** Helpers that keep credentials in a keyring the machine may not have (no Secret Service on a server). */
const KEYCHAIN_PROGRAMS = new Set([
  'git-credential-libsecret',
  'git-credential-gnome-keyring',
  'git-credential-osxkeychain',
  'git-credential-wincred',
]);

/** True for a `credential.helper` value git runs as one of the keychain helpers (`libsecret`, `osxkeychain`, …). */
export function isKeychainHelper(name: string): boolean {
  const p = helperProgram(name);
  return p.via === 'git' && KEYCHAIN_PROGRAMS.has(p.program);
}

/** How a helper failed when asked: its exit status and the first line it printed (what git shows the user). */
export interface HelperFailure {
  code: number;
  said?: string;
}

// A host that exists nowhere (RFC 2606): the answer can hold no secret, and nothing is stored or changed.
const PROBE_QUESTION = 'protocol=https\nhost=bbauth-probe.invalid\n\n';
const PROBE_TIMEOUT_MS = 5_000;
const SAID_MAX = 200;
const ERROR_WORDS = /\b(critical|error|fail(ed|s|ure)?|cannot|could not|unable)\b/i;

/** A line of helper stderr without GLib's `** (process:12): CRITICAL **: 17:09:01.207: ` prefix or control characters. */
function cleanLine(line: string): string {
  const text = line
    .replace(/^(?:\*\*\s*)?(?:\([^)]*\):\s*)?(?:[\w-]+\s*)?\*\*:\s*(?:\d{2}:\d{2}:\d{2}\.\d+:\s*)?/, '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return text.length > SAID_MAX ? `${text.slice(0, SAID_MAX - 1)}…` : text;
}

/** Runs `git credential-<name> <action>` the way git runs a helper, bounded. */
function runHelper(name: string, action: string, input: string, cwd: string, env: NodeJS.ProcessEnv) {
  const [first, ...rest] = helperWords(name);
  return runGit([`credential-${first ?? ''}`, ...rest, action], {
    cwd,
    env,
    input,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
}

/** What a helper's stderr says went wrong: the first error-like line, cleaned, and its exit status. */
function failureOf(r: { code: number; stderr: string }): HelperFailure {
  const lines = r.stderr.split(/\r?\n/).map(cleanLine).filter(Boolean);
  const said = lines.find((l) => ERROR_WORDS.test(l)) ?? lines[0];
  return said ? { code: r.code, said } : { code: r.code };
}

/**
 * Asks a keychain helper what git would ask it (`git credential-<name> get`) about a host that exists nowhere.
 * A working keychain answers with nothing and exit status 0; one that cannot reach its keyring exits non-zero or
 * prints an error. Returns that failure, or undefined when the helper answered (or did not within 5 s: a keyring
 * waiting on a human is not one that fails). Read-only: `get` stores nothing.
 */
export async function probeKeychainHelper(
  name: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<HelperFailure | undefined> {
  let result;
  try {
    result = await runHelper(name, 'get', PROBE_QUESTION, cwd, env);
  } catch (e) {
    if (e instanceof AbortError) return undefined;
    throw e;
  }
  const failure = failureOf(result);
  if (result.code === 0 && !(failure.said && ERROR_WORDS.test(failure.said))) return undefined;
  return failure;
}

/**
 * Whether a keychain helper can keep a credential here: a throw-away one for a host that exists nowhere is
 * stored, read back and erased (`git credential-<name> store|get|erase`). A keyring that answers `get` but has
 * nowhere to store (gnome-keyring with no login collection, no display to create one) fails here, before bbauth
 * changes anything. Returns the failure, or undefined when the credential was kept.
 */
export async function probeKeychainStore(
  name: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<HelperFailure | undefined> {
  const question = `protocol=https\nhost=bbauth-probe.invalid\nusername=bbauth-probe\n`;
  const password = `bbauth-probe-${randomBytes(8).toString('hex')}`;
  const run = (action: string, input: string) => runHelper(name, action, input, cwd, env);
  try {
    const stored = await run('store', `${question}password=${password}\n\n`);
    if (stored.code !== 0) return failureOf(stored);
    const back = await run('get', `${question}\n`);
    await run('erase', `${question}\n`);
    if (!back.stdout.includes(`password=${password}`))
      return { code: back.code, said: failureOf(back).said ?? 'it did not keep a credential it was given' };
    return undefined;
  } catch (e) {
    if (e instanceof AbortError) return { code: -1, said: 'it did not answer within 5 s' };
    throw e;
  }
}
