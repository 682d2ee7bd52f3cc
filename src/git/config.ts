/** Reads git's whole effective configuration, with origins and scopes, in one git call. */
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
