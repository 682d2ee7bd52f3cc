/**
 * Reading one file for scan: synchronous open/fstat/read into one reused buffer. The crawl calls this from
 * fdir's filter callback, so files are processed as they are found (memory stays flat however big the tree)
 * and no per-file buffer is allocated. O_NONBLOCK plus the regular-file check keep a FIFO or device (reached
 * through a symlink) from hanging the scan.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type ReadOutcome = { ok: true; length: number } | { ok: false; reason: string };

/** One reusable buffer per scan, sized to the cap. */
export function createReadBuffer(maxFileSize: number): Buffer {
  return Buffer.allocUnsafe(Math.max(1, maxFileSize));
}

/** Reads `path` into `buf` if it is a regular file no larger than `buf.length`. Never throws. */
export function readIntoBuffer(path: string, buf: Buffer): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    // fdir hands names as UTF-8 strings; a name that is not valid UTF-8 cannot be opened again by that string.
    if (path.includes('\uFFFD')) return { ok: false, reason: 'file name is not valid UTF-8' };
    return { ok: false, reason: errorReason(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      return {
        ok: false,
        reason: st.isDirectory() ? 'symlink to a directory (not followed)' : 'not a regular file',
      };
    if (st.size > buf.length)
      return { ok: false, reason: `larger than the size cap (${st.size} > ${buf.length} bytes)` };
    let length = 0;
    while (length < buf.length) {
      const n = readSync(fd, buf, length, buf.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { ok: true, length };
  } catch (e) {
    return { ok: false, reason: errorReason(e) };
  } finally {
    closeSync(fd);
  }
}

/** `EACCES: permission denied` without the path (the caller has it). */
export function errorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `${err.code}: permission denied`;
  if (err.code === 'ENOENT') return 'ENOENT: vanished during the scan';
  if (err.code === 'ELOOP') return 'ELOOP: symlink loop';
  return err.code ? `${err.code}: unreadable` : 'unreadable';
}

/** Reads a small text file (git config, `.git` pointer); undefined when missing or unreadable. */
export function readSmallText(path: string, buf: Buffer): string | undefined {
  const r = readIntoBuffer(path, buf);
  return r.ok ? buf.toString('utf8', 0, r.length) : undefined;
}
