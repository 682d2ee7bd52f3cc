/**
 * `kill -9` at random points during `bbauth fix --all`: every file is what it was or what a completed run leaves
 * (the store file, which git rewrites once per credential, is always complete and never without a Bitbucket
 * entry), and the next run finishes the job and cleans up what the killed one left.
 *
 * The number of kills comes from BBAUTH_KILL_RUNS (default 6, what CI runs); `BBAUTH_KILL_RUNS=200 npx vitest run
 * test/e2e/fix-all-kill.test.ts` is the long run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import type { EmulatorWorld } from '../helpers/emulator.js';
import {
  fetchAndPush,
  fixAllArgs,
  machine,
  machineWorld,
  snapshot,
  type Machine,
} from '../helpers/machine.js';

const RUNS = Number(process.env.BBAUTH_KILL_RUNS ?? 6);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let world: EmulatorWorld;
beforeAll(async () => {
  world = await machineWorld();
});
// Closing waits for the sandbox of every killed run to be removed: long after a long run.
afterAll(async () => world?.close(), 300_000);

const args = () => fixAllArgs(world);

/** The files the run writes itself (the store file is git's, one write per credential). */
const own = (m: Machine) => m.files.filter((f) => !f.endsWith('.git-credentials'));

/** Starts `fix --all` on the machine; `changing` settles when its backup folder appears (the change begins). */
function start(m: Machine) {
  const p = spawn(process.execPath, [BIN, ...args()], {
    cwd: m.home,
    env: m.env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  p.stdin.end(world.secret('alice-rw'));
  const exited = new Promise<number | null>((r) => p.on('close', r));
  let gone = false;
  void exited.then(() => (gone = true));
  const backups = join(m.home, '.config', 'bbauth', 'backups');
  const changing = (async () => {
    while (!gone && !(existsSync(backups) && readdirSync(backups).length > 0)) await sleep(2);
  })();
  return { process: p, exited, changing };
}

async function timed(m: Machine): Promise<{ code: number | null; fullMs: number; changeMs: number }> {
  const t0 = Date.now();
  const run = start(m);
  await run.changing;
  const t1 = Date.now();
  const code = await run.exited;
  const t2 = Date.now();
  return { code, fullMs: t2 - t0, changeMs: t2 - t1 };
}

describe('bbauth fix --all under kill -9', () => {
  it(
    `leaves every file old or new and never an empty store, ${RUNS} random kills`,
    async () => {
      const reference = await machine(world);
      const original = snapshot(reference);
      // How long the whole run takes, and how long its change (from the backup on) takes.
      const timing = await timed(reference);
      expect(timing.code).toBe(0);
      const fixed = snapshot(reference);
      // Paths differ per HOME; contents do not (one emulator, one set of tokens).
      const at = (s: Map<string, string | undefined>, i: number) => s.get(reference.files[i]!);
      const host = new URL(world.emulator.gitUrl).hostname;
      const outcomes = { before: 0, between: 0, after: 0 };
      for (let i = 0; i < RUNS; i++) {
        const m = await machine(world);
        const child = start(m);
        // Every other kill lands while files change; the rest anywhere in the run.
        if (i % 2 === 0) {
          await child.changing;
          await sleep(Math.floor(Math.random() * timing.changeMs));
        } else await sleep(Math.floor(Math.random() * timing.fullMs));
        child.process.kill('SIGKILL');
        await child.exited;
        // git children outlive their killed parent; let them finish their own atomic write.
        await sleep(300);
        const now = snapshot(m);
        let [old, fresh] = [0, 0];
        for (const f of own(m)) {
          const j = m.files.indexOf(f);
          const text = now.get(f);
          expect([at(original, j), at(fixed, j)], f).toContain(text);
          if (text === at(original, j)) old++;
          if (text === at(fixed, j)) fresh++;
        }
        const store = now.get(join(m.home, '.git-credentials')) ?? '';
        expect(store.split('\n').filter((l) => l.includes(`@${host}`)).length, store).toBeGreaterThan(0);
        outcomes[old === own(m).length ? 'before' : fresh === own(m).length ? 'after' : 'between']++;

        const again = await runCli(args(), { cwd: m.home, env: m.env, input: world.secret('alice-rw') });
        expect(again.code, again.stdout + again.stderr).toBe(0);
        const dirs = [
          m.home,
          join(m.home, '.config', 'bbauth'),
          join(m.home, '.config', 'composer'),
          ...m.files.map(dirname),
        ];
        const debris = [...new Set(dirs)]
          .filter((d) => existsSync(d))
          .flatMap((d) =>
            readdirSync(d).filter((f) => /\.bbauth-\d+-[0-9a-f]{8}\.tmp$|\.lock\.(new|stale)-/.test(f)),
          );
        expect(debris).toEqual([]);
        // Incomplete backups (no manifest) are gone too.
        const backups = join(m.home, '.config', 'bbauth', 'backups');
        for (const b of existsSync(backups) ? readdirSync(backups) : [])
          expect(existsSync(join(backups, b, 'manifest.json')), b).toBe(true);
        for (const repo of Object.keys(m.repos) as (keyof Machine['repos'])[]) {
          const r = await fetchAndPush(world, m, repo);
          expect(r.fetch, `${repo}: ${r.stderr}`).toBe(0);
        }
        expect(readFileSync(m.files[3]!, 'utf8')).toBe(at(fixed, 3));
      }
      expect(outcomes.before + outcomes.between + outcomes.after).toBe(RUNS);
      console.log(`fix --all under kill -9: ${JSON.stringify(outcomes)} of ${RUNS}`);
    },
    60_000 + RUNS * 15_000,
  );
});
