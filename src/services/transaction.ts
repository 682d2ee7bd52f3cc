/**
 * One change to the user's files, all or nothing, shared by `bbauth fix` and `bbauth rotate`: under the fix lock
 * (one such run at a time), after what a killed run left is cleaned up and every file it may touch is backed up.
 * If the change throws, every file it changed goes back to the backup, the undo steps it registered (a helper
 * entry put back) run, and the error says what was restored. `bbauth fix --undo` restores the backup later.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AbortError, UsageError } from '../core/errors.js';
import { removeDebris } from '../store/atomic.js';
import { configDir } from '../store/config-dir.js';
import { acquirePidLock } from '../store/pid-lock.js';
import { createBackup, removeIncompleteBackups, restoreBackup } from './fix-backup.js';

export interface Transaction {
  /** Something to undo if a later part of the change fails; returns what it put back, for the message. */
  onRollback(undo: () => Promise<string>): void;
}

export interface TransactionOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
}

/** Runs `change` as one transaction over `files`. Returns the backup folder. */
export async function changeFiles(
  files: readonly string[],
  opts: TransactionOptions,
  change: (tx: Transaction) => Promise<void>,
): Promise<string> {
  const dir = configDir(opts.env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lockPath = join(dir, 'fix.lock');
  const lock = await acquirePidLock(lockPath);
  if ('heldBy' in lock) {
    throw new AbortError(
      `another bbauth fix or rotate is running (process ${lock.heldBy}); nothing was changed.`,
      [`Wait for it to finish. If it is not running, delete ${lockPath}.`],
    );
  }
  try {
    // What an earlier, killed run left behind goes first: its temp files and its half-made backup.
    await removeDebris([dir, ...files.map((f) => dirname(f))]);
    await removeIncompleteBackups(opts.env);
    const backup = await createBackup(files, opts.cwd, opts.env, opts.now);
    const undos: (() => Promise<string>)[] = [];
    try {
      await change({ onRollback: (undo) => void undos.push(undo) });
    } catch (e) {
      // A failing step may have changed a file before it failed, so this does not depend on how far it got.
      const { restored, removed } = await restoreBackup(backup, { onlyChanged: true });
      const files = [...restored, ...removed.map((f) => `${f} (removed)`)];
      const others: string[] = [];
      for (const undo of undos.reverse()) others.push(await undo());
      if (files.length === 0 && others.length === 0) throw e;
      const msg = (e instanceof Error ? e.message : String(e)).replace(/\.?$/, '');
      const what = [
        ...(files.length > 0 ? [`${files.join(', ')} restored from the backup`] : []),
        ...others,
      ].join('; ');
      throw new AbortError(
        `${msg}; bbauth rolled back this run: ${what}.`,
        e instanceof AbortError || e instanceof UsageError ? e.nextSteps : [],
        { cause: e },
      );
    }
    return backup;
  } finally {
    await lock.release();
  }
}
