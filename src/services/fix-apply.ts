/**
 * Executes a fix plan as one transaction (transaction.ts: the lock, the backup, all or nothing); git config
 * changed only through git (which writes config.lock then renames: atomic), our own file edits atomic too.
 * A kill at any point leaves each file as it was or as it should be.
 */
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError, BugError, UsageError } from '../core/errors.js';
import type { Endpoints } from '../core/endpoints.js';
import { removeNetrcEntry, removeStoreLine, setComposerHttpBasic } from '../core/fix/edit-files.js';
import type { FixPlan, FixStep } from '../core/fix/plan-types.js';
import { stepGitArgs } from '../core/steps/commands.js';
import { addConfig, setConfig, unsetConfig } from '../git/config.js';
import { isKeychainHelper, probeKeychainStore } from '../git/helper-program.js';
import { runGit } from '../git/run-git.js';
import { writeFileAtomic } from '../store/atomic.js';
import { defaultStorePaths } from '../sources/credential-files.js';
import { changeFiles } from './transaction.js';
import { storeToken, type HelperOption } from './store-token.js';

export interface ApplyOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  /** Repository's local config file, when inside one. */
  localConfig?: string;
  /** `fix --all`: the local config file of every repository the plan changes. */
  localConfigs?: readonly string[];
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
  files.push(...(opts.localConfigs ?? []));
  for (const s of plan.steps) {
    if (
      s.action === 'unset-config' ||
      s.action === 'remove-file-entry' ||
      s.action === 'restrict-file-mode' ||
      s.action === 'rewrite-composer-auth'
    )
      files.push(s.file);
  }
  return [...new Set(files)];
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
        username: step.username,
        ...(opts.helper ? { helper: opts.helper } : {}),
        ...(opts.chooseHelper ? { chooseHelper: opts.chooseHelper } : {}),
        ...(opts.replaces ? { replaces: opts.replaces } : {}),
      });
      return;
    }
    case 'set-remote-url':
      return git(stepGitArgs(step)!, opts);
    case 'use-helper': {
      // Before anything is written: a keychain that cannot keep a token here leaves everything as it was.
      const failed = isKeychainHelper(step.helper)
        ? await probeKeychainStore(step.helper, opts.cwd, opts.env)
        : undefined;
      if (failed)
        throw new UsageError(
          `credential helper "${step.helper}" cannot keep a token here (${failed.said ?? `exit ${failed.code}`}); nothing was changed.`,
          ['Choose another with --helper (store, cache, or a keychain that runs here), then run again.'],
        );
      const key = `credential.${step.origin}.helper`;
      await setConfig({ scope: 'global' }, key, '', { ...opts, replaceAll: true });
      await addConfig({ scope: 'global' }, key, step.helper, opts);
      return;
    }
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
    case 'rewrite-composer-auth': {
      const secret = secrets.get(step.secretRef);
      if (!secret) throw new BugError(`plan refers to ${step.secretRef}, which is not in memory`);
      const next = setComposerHttpBasic(await readFile(step.file, 'utf8'), step.host, step.username, secret);
      if (next === undefined)
        throw new AbortError(`${step.file} is no longer a JSON object; it was left as it is.`, [
          'Fix the file by hand (Composer reads it as JSON), then run again.',
        ]);
      await writeFileAtomic(step.file, next);
      return;
    }
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
  'use-helper',
  'store-credential',
  'set-remote-url',
  'unset-config',
  'remove-file-entry',
  'restrict-file-mode',
  'rewrite-composer-auth',
  'set-config',
];

/** Applies the plan as one transaction (lock, backup, all or nothing). Returns the backup folder. */
export async function applyPlan(
  plan: FixPlan,
  secrets: Map<string, string>,
  opts: ApplyOptions,
): Promise<string> {
  const steps = [...plan.steps].sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
  // Removing file entries by line number must go bottom-up so earlier line numbers stay valid.
  steps.sort((a, b) =>
    a.action === 'remove-file-entry' && b.action === 'remove-file-entry' && a.file === b.file
      ? b.line - a.line
      : 0,
  );
  return changeFiles(await filesTouched(plan, opts), opts, async () => {
    for (const step of steps) {
      await runStep(step, secrets, opts);
      opts.onStep?.(step);
    }
  });
}
