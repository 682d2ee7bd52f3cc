import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock } from '../../src/store/pid-lock.js';

const dirs: string[] = [];
const lockIn = () => {
  const d = mkdtempSync(join(tmpdir(), 'bbauth-lock-'));
  dirs.push(d);
  return join(d, 'fix.lock');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('acquirePidLock', () => {
  it('is exclusive while the owner lives, and free after release', async () => {
    const path = lockIn();
    const first = await acquirePidLock(path);
    expect('release' in first).toBe(true);
    expect(await acquirePidLock(path)).toEqual({ heldBy: process.pid });
    if ('release' in first) await first.release();
    expect(existsSync(path)).toBe(false);
    expect('release' in (await acquirePidLock(path))).toBe(true);
  });

  it('takes over at once from an owner that died (kill -9 leaves the file behind)', async () => {
    const path = lockIn();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), host: hostname() }));
    expect('release' in (await acquirePidLock(path))).toBe(true);
  });

  it('takes over a half-written lock file', async () => {
    const path = lockIn();
    writeFileSync(path, '');
    expect('release' in (await acquirePidLock(path))).toBe(true);
  });

  it('of many racing for it at once, exactly one holds it, and nothing is left beside it', async () => {
    const path = lockIn();
    const results = await Promise.all(Array.from({ length: 40 }, () => acquirePidLock(path)));
    expect(results.filter((r) => 'release' in r)).toHaveLength(1);
    expect(readdirSync(join(path, '..'))).toEqual(['fix.lock']);
  });
});
