/**
 * Reading one file for scan: synchronous open/read/close into one reused buffer, three system calls for a
 * small file. The crawl calls this from fdir's filter callback, so files are processed as they are found
 * (memory stays flat however big the tree) and no per-file buffer is allocated. O_NONBLOCK keeps a FIFO or
 * device reached through a symlink from hanging the scan; an endless device just fills the buffer (too big).
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

export type ReadOutcome = { ok: true; length: number } | { ok: false; reason: string };

/** One reusable buffer per scan, one byte over the cap (a full buffer means the file is too big). */
export function createReadBuffer(maxFileSize: number): Buffer {
  return Buffer.allocUnsafe(Math.max(1, maxFileSize) + 1);
}

/** Reads `path` into `buf` if it is no larger than `buf.length - 1` bytes. Never throws. */
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
    // No fstat: a short read is EOF for a regular file, a directory fails with EISDIR, and a FIFO opened
    // non-blocking reads nothing. The buffer is one byte larger than the cap, so a full buffer means "too big".
    let length = 0;
    for (;;) {
      const n = readSync(fd, buf, length, buf.length - length, length);
      length += n;
      if (n === 0 || length === buf.length) break;
      if (length < 65536) break; // small files come in one read
    }
    if (length === buf.length)
      return { ok: false, reason: `larger than the size cap (${buf.length - 1} bytes)` };
    return { ok: true, length };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { ok: false, reason: 'symlink to a directory (not followed)' };
    if (code === 'EAGAIN') return { ok: false, reason: 'not a regular file' };
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
