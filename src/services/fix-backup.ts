/**
 * Backups for `bbauth fix` and `bbauth fix --undo`. Before any change, every file a fix may touch is copied
 * (mode 0600, folder 0700: they may hold the very secrets being moved) into bbauth's config dir with a manifest
 * written last, so a half-made backup (a crash mid-copy) is never mistaken for a whole one. Undo restores each
 * file byte for byte, deletes files the fix created, then removes the backup.
 */
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError } from '../core/errors.js';
import { writeFileAtomic } from '../store/atomic.js';
import { configDir } from '../store/config-dir.js';

interface ManifestEntry {
  path: string;
  existed: boolean;
  mode?: number;
  copy?: string;
}

interface Manifest {
  schemaVersion: 1;
  createdAt: string;
  cwd: string;
  files: ManifestEntry[];
}

/** Where every backup folder lives. */
export function backupsRoot(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'backups');
}

/** Copies each file (or records that it does not exist). Returns the backup folder. */
export async function createBackup(
  paths: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<string> {
  const dir = join(backupsRoot(env), `${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const files: ManifestEntry[] = [];
  for (const [i, path] of [...new Set(paths)].entries()) {
    let content: Buffer;
    let mode: number;
    try {
      content = await readFile(path);
      mode = (await stat(path)).mode & 0o777;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        files.push({ path, existed: false });
        continue;
      }
      throw new AbortError(`cannot back up ${path}: ${(e as Error).message}; nothing was changed.`);
    }
    const copy = `file-${i}`;
    await writeFileAtomic(join(dir, copy), content, 0o600);
    files.push({ path, existed: true, mode, copy });
  }
  const manifest: Manifest = { schemaVersion: 1, createdAt: now.toISOString(), cwd, files };
  await writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2), 0o600);
  return dir;
}

/** The newest complete backup folder, if any. */
export async function latestBackup(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(backupsRoot(env))).sort().reverse();
  } catch {
    return undefined;
  }
  for (const name of names) {
    try {
      await stat(join(backupsRoot(env), name, 'manifest.json'));
      return join(backupsRoot(env), name);
    } catch {
      // incomplete (interrupted) backup: skip
    }
  }
  return undefined;
}

/** Whether `path` holds exactly `content` with `mode`. */
async function sameFile(path: string, content: Buffer, mode: number | undefined): Promise<boolean> {
  try {
    const [now, st] = await Promise.all([readFile(path), stat(path)]);
    return now.equals(content) && (mode === undefined || (st.mode & 0o777) === mode);
  } catch {
    return false;
  }
}

/** Restores every file of a backup byte for byte and removes the backup. Returns the paths restored. */
export async function restoreBackup(
  dir: string,
  opts: { onlyChanged?: boolean } = {},
): Promise<{ restored: string[]; removed: string[] }> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const restored: string[] = [];
  const removed: string[] = [];
  for (const f of manifest.files) {
    if (f.existed && f.copy) {
      const copy = await readFile(join(dir, f.copy));
      if (opts.onlyChanged && (await sameFile(f.path, copy, f.mode))) continue;
      await writeFileAtomic(f.path, copy, f.mode);
      restored.push(f.path);
    } else if (!f.existed) {
      try {
        await rm(f.path);
        removed.push(f.path);
      } catch {
        // still absent: nothing to undo
      }
    }
  }
  await rm(dir, { recursive: true, force: true });
  return { restored, removed };
}

/**
 * Deletes backup folders a killed fix left without a manifest (never complete, so never usable by --undo, but
 * holding copies of secrets). Only under the fix lock: a running fix's folder has no manifest yet either.
 */
export async function removeIncompleteBackups(env: NodeJS.ProcessEnv): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(backupsRoot(env));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(backupsRoot(env), name);
    try {
      await stat(join(dir, 'manifest.json'));
    } catch {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}

/** Deletes every backup (they may hold old secrets). Returns how many. */
export async function purgeBackups(env: NodeJS.ProcessEnv): Promise<number> {
  let names: string[] = [];
  try {
    names = await readdir(backupsRoot(env));
  } catch {
    return 0;
  }
  await rm(backupsRoot(env), { recursive: true, force: true });
  return names.length;
}
