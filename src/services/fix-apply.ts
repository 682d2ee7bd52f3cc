/**
 * Executes a fix plan: one bbauth run at a time (a lock), every file it may touch backed up first, git config
 * changed only through git (which writes config.lock then renames: atomic), our own file edits atomic too.
 * A kill at any point leaves each file as it was or as it should be.
 */
import { chmod, readFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AbortError, BugError, UsageError } from '../core/errors.js';
import type { Endpoints } from '../core/endpoints.js';
import { removeNetrcEntry, removeStoreLine } from '../core/fix/edit-files.js';
import type { FixPlan, FixStep } from '../core/fix/plan-types.js';
import { stepGitArgs } from '../core/steps/commands.js';
import { setConfig, unsetConfig } from '../git/config.js';
import { runGit } from '../git/run-git.js';
import { removeDebris, writeFileAtomic } from '../store/atomic.js';
import { configDir } from '../store/config-dir.js';
import { acquirePidLock } from '../store/pid-lock.js';
import { defaultStorePaths } from '../sources/credential-files.js';
import { createBackup, removeIncompleteBackups, restoreBackup } from './fix-backup.js';
import { storeToken, type HelperOption } from './store-token.js';

export interface ApplyOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  /** Repository's local config file, when inside one. */
  localConfig?: string;
  helper?: string;
  chooseHelper?: (options: HelperOption[]) => Promise<string>;
  /** Secrets fix proved dead: stored entries holding them are replaced, the rest left alone. */
  replaces?: readonly string[];
  now: Date;
  /** Called after each step, for progress. */
  onStep?: (step: FixStep) => void;
}

/** The global config file `git config --global` writes. */
export async function globalConfigPath(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.GIT_CONFIG_GLOBAL) return env.GIT_CONFIG_GLOBAL;
  const home = env.HOME ?? '';
  return join(home, '.gitconfig');
}

/** Every file the plan may change, for the backup. */
export async function filesTouched(plan: FixPlan, opts: ApplyOptions): Promise<string[]> {
  const files = [await globalConfigPath(opts.env), ...defaultStorePaths(opts.env)];
  if (opts.localConfig) files.push(opts.localConfig);
  for (const s of plan.steps) {
    if (s.action === 'unset-config' || s.action === 'remove-file-entry' || s.action === 'restrict-file-mode')
      files.push(s.file);
  }
  return files;
}

async function git(args: string[], opts: ApplyOptions): Promise<void> {
  const res = await runGit(args, { cwd: opts.cwd, env: opts.env });
  if (res.code !== 0) throw new AbortError(`git ${args.join(' ')} failed: ${res.stderr.trim()}`);
}

async function runStep(step: FixStep, secrets: Map<string, string>, opts: ApplyOptions): Promise<void> {
  switch (step.action) {
    case 'store-credential': {
      const secret = secrets.get(step.secretRef);
      if (!secret) throw new BugError(`plan refers to ${step.secretRef}, which is not in memory`);
      await storeToken({
        cwd: opts.cwd,
        env: opts.env,
        endpoints: opts.endpoints,
        secret,
        kind: step.kind,
        ...(opts.helper ? { helper: opts.helper } : {}),
        ...(opts.chooseHelper ? { chooseHelper: opts.chooseHelper } : {}),
        ...(opts.replaces ? { replaces: opts.replaces } : {}),
      });
      return;
    }
    case 'set-remote-url':
      return git(stepGitArgs(step)!, opts);
    case 'unset-config':
      // A key that is already gone is the goal reached.
      await unsetConfig({ file: step.file }, step.key, opts);
      return;
    case 'set-config':
      // --replace-all: a key set twice (two files merged by hand, an old tool) would make a plain set fail.
      return setConfig({ scope: step.scope }, step.key, step.value, { ...opts, replaceAll: true });
    case 'restrict-file-mode':
      await chmod(step.file, 0o600);
      return;
    case 'remove-file-entry': {
      const text = await readFile(step.file, 'utf8');
      const next =
        step.what === 'netrc' ? removeNetrcEntry(text, step.line) : removeStoreLine(text, step.line);
      await writeFileAtomic(step.file, next);
      return;
    }
  }
}

// Storing the credential first: if that fails (helper refuses, no helper chosen), nothing else has changed.
const ORDER: FixStep['action'][] = [
  'store-credential',
  'set-remote-url',
  'unset-config',
  'remove-file-entry',
  'restrict-file-mode',
  'set-config',
];

/** Applies the plan under a lock, after a backup. Returns the backup folder. */
export async function applyPlan(
  plan: FixPlan,
  secrets: Map<string, string>,
  opts: ApplyOptions,
): Promise<string> {
  const dir = configDir(opts.env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lockPath = join(dir, 'fix.lock');
  const lock = await acquirePidLock(lockPath);
  if ('heldBy' in lock) {
    throw new AbortError(`another bbauth fix is running (process ${lock.heldBy}); nothing was changed.`, [
      `Wait for it to finish. If it is not running, delete ${lockPath}.`,
    ]);
  }
  const { release } = lock;
  try {
    const touched = await filesTouched(plan, opts);
    // What an earlier, killed run left behind goes first: its temp files and its half-made backup.
    await removeDebris([dir, ...touched.map((f) => dirname(f))]);
    await removeIncompleteBackups(opts.env);
    const backup = await createBackup(touched, opts.cwd, opts.env, opts.now);
    const steps = [...plan.steps].sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
    // Removing file entries by line number must go bottom-up so earlier line numbers stay valid.
    steps.sort((a, b) =>
      a.action === 'remove-file-entry' && b.action === 'remove-file-entry' && a.file === b.file
        ? b.line - a.line
        : 0,
    );
    try {
      for (const step of steps) {
        await runStep(step, secrets, opts);
        opts.onStep?.(step);
      }
    } catch (e) {
      // All or nothing: every file the run changed goes back to what the backup holds (a failing step may
      // have changed a file before it failed, so this does not depend on how many steps finished).
      const { restored, removed } = await restoreBackup(backup, { onlyChanged: true });
      const what = [...restored, ...removed.map((f) => `${f} (removed)`)];
      if (what.length === 0) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new AbortError(
        `${msg.replace(/\.?$/, '')}; bbauth rolled back this run: ${what.join(', ')} restored from the backup.`,
        e instanceof AbortError || e instanceof UsageError ? e.nextSteps : [],
        { cause: e },
      );
    }
    return backup;
  } finally {
    await release();
  }
}
