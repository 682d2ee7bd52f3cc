/**
 * A lock file holding the owner's PID and host. It appears with its content already in it (written to a private
 * file, then hard-linked into place, which fails if the lock exists), so a reader never sees an empty lock. A lock
 * whose owner on this host is no longer alive (killed with -9, crashed) is taken over at once, so an interrupted
 * run never blocks the next one. (mtime-based locks such as proper-lockfile can only time out, which after a
 * kill -9 means waiting.)
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';

interface Owner {
  pid: number;
  host: string;
}

/** Whether a process with this PID is running on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const uniqueName = (path: string, what: string) =>
  `${path}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`;

/** Creates the lock with our content in one step; false if it exists. */
async function create(path: string): Promise<boolean> {
  const mine = uniqueName(path, 'new');
  await writeFile(mine, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner), {
    mode: 0o600,
  });
  try {
    await link(mine, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(mine, { force: true });
  }
}

async function readOwner(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Removes a lock whose owner is gone, but only if it is still that lock: it is renamed aside first, and put back
 * if what was renamed turns out to be a newer lock someone took in the meantime.
 */
async function breakStale(path: string, staleText: string): Promise<void> {
  const aside = uniqueName(path, 'stale');
  try {
    await rename(path, aside);
  } catch {
    return; // already gone
  }
  if ((await readOwner(aside)) !== staleText) await link(aside, path).catch(() => {});
  await rm(aside, { force: true });
}

/** Takes the lock or returns the live owner's PID. */
export async function acquirePidLock(
  path: string,
): Promise<{ release: () => Promise<void> } | { heldBy: number }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await create(path)) return { release: () => rm(path, { force: true }) };
    const text = await readOwner(path);
    if (text === undefined) continue; // released meanwhile
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(text) as Owner;
    } catch {
      // A lock written by an older bbauth that died between create and write.
    }
    if (owner && owner.host === hostname() && processAlive(owner.pid)) return { heldBy: owner.pid };
    if (owner && owner.host !== hostname()) return { heldBy: owner.pid };
    await breakStale(path, text);
  }
  return { heldBy: -1 };
}
