/**
 * Atomic file replacement: write a sibling temp file, fsync it, rename it over the target, fsync the folder.
 * A crash (even kill -9) at any point leaves either the old file or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
