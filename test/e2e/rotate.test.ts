/**
 * `bbauth rotate` end to end, with real git against the emulator: an API token recorded by `bbauth login` (with
 * an expiry close enough for check-expiry to warn) lives in five kinds of place — a remote URL in .git/config,
 * ~/.git-credentials, ~/.netrc, a Composer auth.json and a .env file. A new token replaces it in every one of
 * them, git fetches with it, check-expiry stops warning about the old one, and `bbauth fix --undo` puts every
 * file back byte for byte. A new token that does not work changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSecret } from '../../src/core/token/format.js';
import { fingerprint } from '../../src/core/redact.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { emuUrl, gitHost, makeRepo } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const secrets = () => world.emulator.state.tokens.map((t) => t.secret);
let n = 0;

/** A second working token for alice, as a user creates one on the token page. */
function newTokenFor(id: string): string {
  const base = world.emulator.state.tokens.find((t) => t.id === id)!;
  const secret = mintSecret('api-token');
  world.emulator.state.tokens.push({ ...base, id: `${id}-new-${++n}`, secret });
  return secret;
}

/** The machine: two repositories (token in the URL; token in the store) and three more files holding it. */
async function machine() {
  const old = world.secret('alice-rw');
  const inUrl = await makeRepo(world, { remote: emuUrl(world, 'alice', old), commit: true });
  const viaStore = await makeRepo(world, { remote: emuUrl(world), commit: true });
  // Same HOME for both: the second repository's store, .netrc and the rest live there.
  const env = { ...inUrl.env };
  const home = inUrl.home;
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const login = await runCli(
    ['login', '--with-token', '--helper', 'store', '--expires', soon, ...emulatorFlags(world)],
    { cwd: viaStore.dir, env, input: `${old}\n` },
  );
  expect(login.code, login.stderr).toBe(0);
  const host = new URL(`http://${gitHost(world)}`).hostname;
  const files = {
    store: join(home, '.git-credentials'),
    netrc: world.sandbox.write(
      join(home, '.netrc'),
      `machine ${host}\nlogin alice\npassword ${old}\n`,
      0o600,
    ),
    composer: world.sandbox.write(
      join(home, 'shop', 'auth.json'),
      JSON.stringify({ 'http-basic': { [host]: { username: 'alice@example.com', password: old } } }, null, 2),
      0o600,
    ),
    dotenv: world.sandbox.write(join(home, 'app', '.env'), `BITBUCKET_API_TOKEN=${old}\nOTHER=1\n`, 0o600),
    config: join(inUrl.dir, '.git', 'config'),
  };
  expect(readFileSync(files.store, 'utf8')).toContain('x-bitbucket-api-token-auth');
  return { old, inUrl, viaStore, env, home, files };
}

const rotate = (cwd: string, env: NodeJS.ProcessEnv, token: string, paths: string[], extra: string[] = []) =>
  runCli(['rotate', '--with-token', ...extra, ...emulatorFlags(world), ...paths], {
    cwd,
    env,
    input: `${token}\n`,
  });

describe('bbauth rotate', () => {
  it('replaces the old token in five kinds of place, git fetches, check-expiry stops warning, --undo restores', async () => {
    const m = await machine();
    const next = newTokenFor('alice-rw');
    const before = Object.fromEntries(Object.entries(m.files).map(([k, f]) => [k, readFileSync(f)]));
    const warned = await runCli(['check-expiry', '--json'], { cwd: m.home, env: m.env });
    expect(warned.stdout).toContain('token-expires-soon');

    const run = await rotate(m.viaStore.dir, m.env, next, [m.home, m.inUrl.dir]);
    expectNoSecrets(run, [...secrets(), next]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`Rotated ${fingerprint(m.old)} → ${fingerprint(next)}`);
    for (const [k, f] of Object.entries(m.files)) {
      const text = decodeURIComponent(readFileSync(f, 'utf8'));
      expect(text, k).not.toContain(m.old);
      expect(text, k).toContain(next);
    }
    expect(readFileSync(m.files.dotenv, 'utf8')).toContain('OTHER=1');
    // bbauth's own records name both tokens by fingerprint only.
    const records = readFileSync(join(m.home, '.config', 'bbauth', 'records.json'), 'utf8');
    for (const s of [m.old, next]) expect(records).not.toContain(s.slice(12, 40));
    for (const repo of [m.inUrl, m.viaStore]) {
      const git = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: m.env });
      expect(git.code, git.stderr).toBe(0);
    }
    const after = await runCli(['check-expiry', '--json'], { cwd: m.home, env: m.env });
    const report = JSON.parse(after.stdout) as {
      findings: { id: string }[];
      rows: { fingerprint: string; state: string; replacedBy?: string }[];
    };
    expect(report.findings.map((f) => f.id)).not.toContain('token-expires-soon');
    expect(report.rows.find((r) => r.fingerprint === fingerprint(m.old))).toMatchObject({
      state: 'retired',
      replacedBy: fingerprint(next),
    });

    const undo = await runCli(['fix', '--undo'], { cwd: m.home, env: m.env });
    expect(undo.code, undo.stderr).toBe(0);
    for (const [k, f] of Object.entries(m.files)) expect(readFileSync(f).equals(before[k]!), k).toBe(true);
  });

  it('a token only a credential helper holds (nothing scanned holds it): replaced through the helper', async () => {
    const m = await machine();
    const next = newTokenFor('alice-rw');
    // Only the repository that gets it from the helper is scanned: the store file is not among the paths.
    const run = await rotate(m.viaStore.dir, m.env, next, [m.viaStore.dir], ['--json']);
    expectNoSecrets(run, [...secrets(), next]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      applied: boolean;
      places: { kind: string; username?: string }[];
    };
    expect(result.applied).toBe(true);
    expect(result.places).toEqual([
      expect.objectContaining({ kind: 'helper', username: 'x-bitbucket-api-token-auth' }),
    ]);
    expect(decodeURIComponent(readFileSync(m.files.store, 'utf8'))).toContain(next);
    const git = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: m.viaStore.dir, env: m.env });
    expect(git.code, git.stderr).toBe(0);
  });

  it('a new token Bitbucket refuses changes nothing', async () => {
    const m = await machine();
    const before = Object.fromEntries(Object.entries(m.files).map(([k, f]) => [k, readFileSync(f)]));
    const run = await rotate(m.viaStore.dir, m.env, world.secret('alice-unscoped'), [m.home, m.inUrl.dir]);
    expectNoSecrets(run, secrets());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/does not work .*nothing was changed/);
    for (const [k, f] of Object.entries(m.files)) expect(readFileSync(f).equals(before[k]!), k).toBe(true);
  });

  it('--dry-run lists the places and changes nothing; a token on the command line is refused', async () => {
    const m = await machine();
    const next = newTokenFor('alice-rw');
    const before = readFileSync(m.files.netrc);
    const dry = await rotate(m.viaStore.dir, m.env, next, [m.home, m.inUrl.dir], ['--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { applied: boolean; places: { kind: string; where: string }[] };
    expect(plan.applied).toBe(false);
    expect(plan.places.map((p) => p.where)).toEqual(expect.arrayContaining(Object.values(m.files)));
    expect(readFileSync(m.files.netrc).equals(before)).toBe(true);
    const argv = await runCli(['rotate', next, ...emulatorFlags(world)], { cwd: m.home, env: m.env });
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/visible in `ps`/);
    expect(argv.stderr).not.toContain(next);
  });
});
