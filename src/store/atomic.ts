/**
 * Atomic file replacement: write a sibling temp file, fsync it, rename it over the target, fsync the folder.
 * A crash (even kill -9) at any point leaves either the old file or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './pid-lock.js';

/** The temp files writeFileAtomic makes, and the lock files' private twins: `…-<pid>-<8 hex>`. */
const DEBRIS = [/^\..+\.bbauth-(\d+)-[0-9a-f]{8}\.tmp$/, /\.lock\.(?:new|stale)-(\d+)-[0-9a-f]{8}$/];

/**
 * Deletes what a killed bbauth left in these folders: temp files (which may hold a secret on its way into a
 * store) and half-made lock files, whose writing process is no longer alive. Returns the paths removed.
 */
export async function removeDebris(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = DEBRIS.map((re) => re.exec(name)?.[1]).find(Boolean);
      if (!pid || processAlive(Number(pid))) continue;
      await rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}

/** Replaces `path` with `data` atomically, keeping its mode (or `mode` for a new file). */
export async function writeFileAtomic(path: string, data: string | Buffer, mode?: number): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.bbauth-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let keepMode = mode;
  if (keepMode === undefined) {
    try {
      keepMode = (await stat(path)).mode & 0o777;
    } catch {
      keepMode = 0o644;
    }
  }
  const fh = await open(tmp, 'wx', keepMode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  // The umask may have narrowed the mode at creation; set it exactly.
  await chmod(tmp, keepMode);
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  try {
    const d = await open(dir, 'r');
    await d.sync().catch(() => {});
    await d.close();
  } catch {
    // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
  }
}
