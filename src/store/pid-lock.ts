/**
 * A lock file holding the owner's PID and host. Created with O_EXCL; a lock whose owner on this host is no
 * longer alive (killed with -9, crashed) is taken over at once, so an interrupted run never blocks the next one.
 * (mtime-based locks such as proper-lockfile can only time out, which after a kill -9 means waiting.)
 */
import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';

interface Owner {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or returns the live owner's PID. */
export async function acquirePidLock(
  path: string,
): Promise<{ release: () => Promise<void> } | { heldBy: number }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner));
      await fh.close();
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(await readFile(path, 'utf8')) as Owner;
    } catch {
      // Empty or half-written: its writer died between create and write.
    }
    if (owner && owner.host === hostname() && alive(owner.pid)) return { heldBy: owner.pid };
    if (owner && owner.host !== hostname()) return { heldBy: owner.pid };
    await rm(path, { force: true });
  }
  return { heldBy: -1 };
}
