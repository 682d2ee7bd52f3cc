/**
 * The cheap test every file goes through before any decoding or regex: a few Buffer.indexOf() calls over the
 * raw bytes. Almost no file on a machine mentions Bitbucket or holds an Atlassian-shaped token, so this is
 * where scan spends most of its time, and why it must not allocate.
 */

// 'itbucket' catches bitbucket and Bitbucket; 'ITBUCKET' catches BITBUCKET_* variables.
const NEEDLES = ['ATATT', 'ATCTT', 'ATBB', 'BBDC-', 'itbucket', 'ITBUCKET', 'x-token-auth'].map((s) =>
  Buffer.from(s, 'latin1'),
);

/** True when the first `length` bytes of `buf` contain a literal that a Bitbucket secret or URL must have. */
export function mayMentionBitbucket(buf: Buffer, length = buf.length): boolean {
  const view = length === buf.length ? buf : buf.subarray(0, length);
  for (const n of NEEDLES) if (view.indexOf(n) >= 0) return true;
  return false;
}

/** git's own heuristic: a NUL byte in the first 8 KiB means binary. */
export function looksBinary(buf: Buffer, length = buf.length): boolean {
  return buf.subarray(0, Math.min(length, 8192)).indexOf(0) >= 0;
}
