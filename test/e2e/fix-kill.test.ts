/**
 * `kill -9` at random points during `bbauth fix` never corrupts .git/config: after each kill the file is
 * byte-for-byte what it was before or what a completed fix leaves, git still reads it, and running fix again
 * finishes the job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { BIN, runCli } from '../helpers/cli.js';
import { emuUrl, makeRepo, storeLine } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const ITERATIONS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bbauth fix under kill -9', () => {
  it(`leaves .git/config as before or as after, ${ITERATIONS} random kills`, async () => {
    const flags = ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];
    // A case that rewrites .git/config and stores a credential: the URL secret moves into the helper.
    const spec = () => ({ remote: emuUrl(world, 'alice', world.secret('alice-rw')), commit: true });
    const reference = await makeRepo(world, spec());
    const original = readFileSync(join(reference.dir, '.git', 'config'), 'utf8');
    const started = Date.now();
    const done = await runCli(['fix', '--yes', '--helper', 'store', ...flags], {
      cwd: reference.dir,
      env: reference.env,
    });
    const fullMs = Date.now() - started;
    expect(done.code, done.stderr).toBe(0);
    const fixed = readFileSync(join(reference.dir, '.git', 'config'), 'utf8');
    expect(fixed).not.toBe(original);

    const outcomes = { before: 0, after: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const c = await makeRepo(world, spec());
      const child = spawn(process.execPath, [BIN, 'fix', '--yes', '--helper', 'store', ...flags], {
        cwd: c.dir,
        env: c.env,
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.on('close', r));
      await sleep(Math.floor(Math.random() * fullMs));
      child.kill('SIGKILL');
      await exited;
      // git children outlive their killed parent; let them finish their own atomic write.
      await sleep(300);
      const now = readFileSync(join(c.dir, '.git', 'config'), 'utf8');
      expect([original, fixed]).toContain(now);
      outcomes[now === original ? 'before' : 'after']++;
      const list = await gitAsync(world.sandbox, ['config', '--list'], { cwd: c.dir, env: c.env });
      expect(list.code).toBe(0);
      const again = await runCli(['fix', '--yes', '--helper', 'store', ...flags], { cwd: c.dir, env: c.env });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(readFileSync(join(c.dir, '.git', 'config'), 'utf8')).toBe(fixed);
    }
    expect(outcomes.before + outcomes.after).toBe(ITERATIONS);
  });

  it(`never leaves the store without a Bitbucket credential, and the next run cleans up, ${ITERATIONS} random kills`, async () => {
    const flags = ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];
    // A retired app password in the store: fix stores the new token, then erases the old one.
    const spec = () => ({
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const fixArgs = [BIN, 'fix', '--yes', '--with-token', '--helper', 'store', ...flags];
    const reference = await makeRepo(world, spec());
    const started = Date.now();
    const done = await runCli(fixArgs.slice(1), {
      cwd: reference.dir,
      env: reference.env,
      input: world.secret('alice-rw'),
    });
    const fullMs = Date.now() - started;
    expect(done.code, done.stderr).toBe(0);
    const host = new URL(world.emulator.gitUrl).hostname;
    for (let i = 0; i < ITERATIONS; i++) {
      const c = await makeRepo(world, spec());
      const child = spawn(process.execPath, fixArgs, {
        cwd: c.dir,
        env: c.env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.stdin.end(world.secret('alice-rw'));
      const exited = new Promise((r) => child.on('close', r));
      await sleep(Math.floor(Math.random() * fullMs));
      child.kill('SIGKILL');
      await exited;
      await sleep(300);
      const store = readFileSync(join(c.home, '.git-credentials'), 'utf8');
      // git writes the port's colon percent-encoded (127.0.0.1%3a4242); the hostname is enough.
      expect(store.split('\n').filter((l) => l.includes(`@${host}`)).length).toBeGreaterThan(0);
      const again = await runCli(fixArgs.slice(1), {
        cwd: c.dir,
        env: c.env,
        input: world.secret('alice-rw'),
      });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      const debris = [c.home, join(c.home, '.config', 'bbauth')].flatMap((d) =>
        readdirSync(d).filter((f) => /\.bbauth-\d+-[0-9a-f]{8}\.tmp$|\.lock\.(new|stale)-/.test(f)),
      );
      expect(debris).toEqual([]);
      const fetch = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: c.dir, env: c.env });
      expect(fetch.code, fetch.stderr).toBe(0);
    }
  });
});
