/**
 * Atomic file replacement: write a sibling temp file, fsync it, rename it over the target, fsync the folder.
 * A crash (even kill -9) at any point leaves either the old file or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
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

/** A path that cannot be replaced by a rename: a device, a FIFO, a socket, a folder. */
export class NotARegularFile extends Error {
  constructor(readonly path: string) {
    super(`${path} is not a regular file, so it cannot be replaced atomically`);
  }
}

/** Where a write to `path` lands: through symlinks (as git's lock files do), so a link stays a link. */
async function writeTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** A file written in full beside its target, waiting to replace it: commit() renames it over, abort() removes it. */
export interface PendingWrite {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

const WRITE_BATCH = 1 << 20;

/**
 * Writes `chunks` to a temp file beside `given` and fsyncs it, without replacing anything yet: several files can
 * be prepared and then all committed, or all aborted. The mode is kept (or `mode` for a new file). A symlink is
 * followed and its target replaced; anything that is not a regular file is refused (NotARegularFile).
 */
export async function prepareAtomic(
  given: string,
  chunks: Iterable<string | Buffer>,
  mode?: number,
): Promise<PendingWrite> {
  const path = await writeTarget(given);
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) throw new NotARegularFile(given);
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.bbauth-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const keepMode = mode ?? (existing ? existing.mode & 0o777 : 0o644);
  const fh = await open(tmp, 'wx', keepMode);
  try {
    // Large outputs arrive in many small chunks: written in batches, never held whole.
    let batch: (string | Buffer)[] = [];
    let size = 0;
    const flush = async (): Promise<void> => {
      if (batch.length > 0)
        await fh.write(Buffer.concat(batch.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))));
      batch = [];
      size = 0;
    };
    for (const c of chunks) {
      batch.push(c);
      size += c.length;
      if (size >= WRITE_BATCH) await flush();
    }
    await flush();
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  // The umask may have narrowed the mode at creation; set it exactly.
  await chmod(tmp, keepMode);
  return {
    async commit() {
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
    },
    abort: () => rm(tmp, { force: true }),
  };
}

/** Replaces `path` with `data` atomically (prepareAtomic, then commit). */
export async function writeFileAtomic(given: string, data: string | Buffer, mode?: number): Promise<void> {
  await (await prepareAtomic(given, [data], mode)).commit();
}
