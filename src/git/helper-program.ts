/**
 * Whether git can run a configured credential helper at all: git prints "'credential-x' is not a git command"
 * for a missing one and goes on as if it held nothing, so a missing keychain helper looks like an empty one.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { helperProgram } from '../core/parse/credential-helpers.js';
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
