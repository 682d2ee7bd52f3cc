/**
 * git's configuration: the whole effective config read in one git call, and single keys written through git
 * (the only place bbauth writes git config, so every write has the same atomicity and error text).
 */
import { parseConfigList, type ConfigEntry } from '../core/parse/git-config.js';
import { AbortError } from '../core/errors.js';
import { runGit } from './run-git.js';

/**
 * `git config --list -z --show-origin --show-scope` in `cwd`. Inside a repository this includes the local
 * (and worktree) config; outside, only system/global/command. Never fails just because cwd is not a repo.
 */
export async function readGitConfig(cwd: string, env?: NodeJS.ProcessEnv): Promise<ConfigEntry[]> {
  const res = await runGit(['config', '--list', '-z', '--show-origin', '--show-scope'], { cwd, env });
  if (res.code !== 0) {
    // Exit 1 with no output is "no config at all"; anything else is a broken config file git refuses to read.
    if (res.code === 1 && res.stderr.trim() === '') return [];
    throw new AbortError(`git could not read its configuration: ${res.stderr.trim()}`, [
      'Fix the config file git names above (`git config --list --show-origin` shows them), then run bbauth again.',
    ]);
  }
  return parseConfigList(res.stdout);
}

/** True when the config was read inside a repository (a repository always has local config). */
export function isInRepository(entries: readonly ConfigEntry[]): boolean {
  return entries.some((e) => e.scope === 'local');
}

/** Which config file a write goes to: git's global or local file, or a file by path (`--file`). */
export type ConfigTarget = { scope: 'global' | 'local' } | { file: string };

export interface ConfigWriteOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

function targetArgs(target: ConfigTarget): string[] {
  return 'file' in target ? ['--file', target.file] : [`--${target.scope}`];
}

// git writes config.lock and renames it into place, so each of these is atomic; a kill leaves before or after.
async function writeConfig(
  args: string[],
  opts: ConfigWriteOptions,
  okCodes: number[] = [0],
): Promise<number> {
  const res = await runGit(['config', ...args], { cwd: opts.cwd, env: opts.env });
  if (!okCodes.includes(res.code))
    throw new AbortError(`git config ${args.join(' ')} failed: ${res.stderr.trim()}`);
  return res.code;
}

/**
 * Sets `key` to `value` (`git config KEY VALUE`; git refuses when the key has several values). `replaceAll`
 * replaces every value the key has instead (`--replace-all`).
 */
export async function setConfig(
  target: ConfigTarget,
  key: string,
  value: string,
  opts: ConfigWriteOptions & { replaceAll?: boolean } = {},
): Promise<void> {
  await writeConfig([...targetArgs(target), ...(opts.replaceAll ? ['--replace-all'] : []), key, value], opts);
}

/** Adds one more value to a multi-valued key such as `credential.<url>.helper` (`--add`). */
export async function addConfig(
  target: ConfigTarget,
  key: string,
  value: string,
  opts: ConfigWriteOptions = {},
): Promise<void> {
  await writeConfig([...targetArgs(target), '--add', key, value], opts);
}

/**
 * Removes every value of `key`, or with `value` only the values equal to it (`--unset-all`, `--fixed-value`).
 * Resolves false when there was nothing to remove (git's exit 5): the goal is reached either way.
 */
export async function unsetConfig(
  target: ConfigTarget,
  key: string,
  opts: ConfigWriteOptions & { value?: string } = {},
): Promise<boolean> {
  const args =
    opts.value === undefined
      ? [...targetArgs(target), '--unset-all', key]
      : [...targetArgs(target), '--fixed-value', '--unset-all', key, opts.value];
  return (await writeConfig(args, opts, [0, 5])) === 0;
}
