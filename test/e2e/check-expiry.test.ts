/**
 * `bbauth check-expiry` end to end: exit codes over recorded expiries, JSON, and the admin API path against the
 * emulator (settings.adminKey), where records are matched by label and updated. The key never leaves the
 * environment: not in argv, not in output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorFlags, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { emuUrl, makeRepo, storeLine } from '../helpers/repos.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { accountIds } from '../../src/emulator/state.js';
import { recordsPath, updateRecords, upsertRecord, type RecordsFile } from '../../src/store/records.js';
import { fingerprint } from '../../src/core/redact.js';
import { mintSecret } from '../../src/core/token/format.js';

const ADMIN_KEY = mintSecret('access-token');
let world: EmulatorWorld;
let n = 0;

beforeAll(async () => {
  world = await withEmulator();
  world.emulator.state.settings = { ...world.emulator.state.settings, adminKey: ADMIN_KEY };
});
afterAll(async () => world?.close());

function envWith(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...world.sandbox.env, BBAUTH_CONFIG_DIR: join(world.sandbox.root, `cfg-${++n}`), ...extra };
}

async function record(env: NodeJS.ProcessEnv, secret: string, fields: { expires?: string; label?: string }) {
  await updateRecords((f) => {
    upsertRecord(
      f,
      secret,
      { fingerprint: fingerprint(secret), kind: 'api-token', host: 'bitbucket.org', ...fields },
      new Date(),
    );
  }, env);
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('bbauth check-expiry', () => {
  it('exits 0 with nothing recorded', async () => {
    const run = await runCli(['check-expiry'], { cwd: world.sandbox.home, env: envWith() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No tokens recorded');
  });

  it('exits 1 within the window, 0 outside it, and lists days left', async () => {
    const env = envWith();
    const secret = mintSecret('api-token');
    await record(env, secret, { expires: day(10), label: 'ci' });
    const within = await runCli(['check-expiry'], { cwd: world.sandbox.home, env });
    expect(within.code).toBe(1);
    expect(within.stdout).toContain(fingerprint(secret));
    expect(within.stdout).toMatch(/expires on \d{4}-\d{2}-\d{2} \(in 10 days\)/);
    const narrow = await runCli(['check-expiry', '--days', '7'], { cwd: world.sandbox.home, env });
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toContain('10 days left');
    expectNoSecrets(within, [secret]);
  });

  it('no expiry recorded: an API token first seen 360 days ago is bounded by a year and fails --days 30', async () => {
    const env = envWith();
    const secret = mintSecret('api-token');
    await updateRecords((f) => {
      upsertRecord(
        f,
        secret,
        { fingerprint: fingerprint(secret), kind: 'api-token', host: 'bitbucket.org' },
        new Date(Date.now() - 360 * 86_400_000),
      );
    }, env);
    const run = await runCli(['check-expiry', '--days', '30'], { cwd: world.sandbox.home, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/no later than/);
    expect(run.stdout).toMatch(/an API token lives at most a year/);
    const json = JSON.parse(
      (await runCli(['check-expiry', '--json', '--days', '30'], { cwd: world.sandbox.home, env })).stdout,
    ) as { rows: { state: string; expiresBound?: boolean; daysLeft?: number }[] };
    expect(json.rows[0]).toMatchObject({ state: 'soon', expiresBound: true });
    expect(json.rows[0]!.daysLeft).toBeLessThanOrEqual(5);
    // Seen yesterday: a year to go, nothing to say.
    const fresh = envWith();
    await record(fresh, mintSecret('api-token'), {});
    expect((await runCli(['check-expiry'], { cwd: world.sandbox.home, env: fresh })).code).toBe(0);
  });

  it('a token scan or doctor meets is recorded as first seen; 360 days on, status warns and check-expiry --days 30 fails', async () => {
    const secret = world.secret('alice-rw');
    const c = await makeRepo(world, {
      remote: emuUrl(world, 'x-bitbucket-api-token-auth'),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', secret)],
    });
    const scan = await runCli(['scan', '--json', ...emulatorFlags(world)], { cwd: c.home, env: c.env });
    expect(scan.code, scan.stderr).not.toBe(2);
    const file = recordsPath(c.env);
    const seen = JSON.parse(readFileSync(file, 'utf8')) as RecordsFile;
    expect(seen.credentials.map((r) => [r.fingerprint, r.source])).toEqual([[fingerprint(secret), 'seen']]);
    const first = seen.credentials[0]!.firstSeen!;
    expect(Math.abs(Date.parse(first) - Date.now())).toBeLessThan(60_000);
    // Seen again by doctor: the first sighting stays.
    expect((await runCli(['doctor', ...emulatorFlags(world)], { cwd: c.dir, env: c.env })).code).toBe(0);
    const again = JSON.parse(readFileSync(file, 'utf8')) as RecordsFile;
    expect(again.credentials).toHaveLength(1);
    expect(again.credentials[0]!.firstSeen).toBe(first);
    // 360 days later (the records aged; the token did not change).
    const aged = new Date(Date.now() - 360 * 86_400_000).toISOString();
    for (const r of again.credentials) [r.firstSeen, r.createdAt] = [aged, aged];
    writeFileSync(file, JSON.stringify(again));
    const status = await runCli(['status', ...emulatorFlags(world)], { cwd: c.dir, env: c.env });
    expectNoSecrets(status, [secret]);
    expect(status.stdout + status.stderr).toMatch(/no later than \d{4}-\d{2}-\d{2}/);
    const check = await runCli(['check-expiry', '--days', '30'], { cwd: c.home, env: c.env });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(fingerprint(secret));
  });

  it('--unknown-fails: an access token with no expiry recorded (nothing bounds it) fails strict CI', async () => {
    const env = envWith();
    const secret = mintSecret('access-token');
    await updateRecords((f) => {
      upsertRecord(
        f,
        secret,
        { fingerprint: fingerprint(secret), kind: 'access-token', host: 'bitbucket.org' },
        new Date(),
      );
    }, env);
    expect((await runCli(['check-expiry'], { cwd: world.sandbox.home, env })).code).toBe(0);
    const strict = await runCli(['check-expiry', '--unknown-fails'], { cwd: world.sandbox.home, env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/no known or bounded expiry/);
  });

  it('reports expired tokens in JSON with the finding ids', async () => {
    const env = envWith();
    await record(env, mintSecret('api-token'), { expires: day(-3) });
    await record(env, mintSecret('api-token'), { expires: day(200) });
    await record(env, mintSecret('access-token'), {});
    const run = await runCli(['check-expiry', '--json'], { cwd: world.sandbox.home, env });
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.findings.map((f: { id: string }) => f.id)).toEqual(['token-expired']);
    expect(json.findings[0].location.file).toBe(recordsPath(env));
    // The third has no expiry recorded: as an API token first seen now, a year is its bound.
    expect(json.rows.map((r: { state: string }) => r.state)).toEqual(['expired', 'ok', 'ok']);
  });

  it('reads expiries from the admin API by label, updates the records, and keeps the key out of sight', async () => {
    const env = envWith({ BBAUTH_ADMIN_KEY: ADMIN_KEY });
    const alice = accountIds(world.emulator.state.accounts.find((a) => a.username === 'alice')!).accountId;
    world.emulator.state.tokens.find((t) => t.id === 'alice-read')!.expires = `${day(5)}T12:00:00Z`;
    await record(env, world.secret('alice-read'), { label: 'alice-read' });
    await record(env, world.secret('alice-rw'), { label: 'alice-rw' });
    const run = await runCli(
      ['check-expiry', '--account-id', `${alice},712020:nobody`, '--admin-url', world.emulator.apiUrl],
      { cwd: world.sandbox.home, env },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/"alice-read"\) expires on .* \(in [45] days\)/);
    expect(run.stdout).toContain('Updated the expiry of 2 record(s).');
    expect(run.stdout).toContain('account 712020:nobody: no such managed account');
    const file = JSON.parse(readFileSync(recordsPath(env), 'utf8')) as RecordsFile;
    expect(file.credentials.find((c) => c.label === 'alice-rw')?.expires).toBe('2027-01-15T09:00:00Z');
    expect(world.emulator.requests.some((r) => r.path.includes('/manage/api-tokens'))).toBe(true);
    expectNoSecrets(run, [ADMIN_KEY, world.secret('alice-read'), world.secret('alice-rw')]);
  });

  it('refuses the key in argv, and asks for it when account ids come without one', async () => {
    const argv = await runCli(['check-expiry', '--admin-key', ADMIN_KEY], {
      cwd: world.sandbox.home,
      env: envWith(),
    });
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/not accepted/);
    expectNoSecrets(argv, [ADMIN_KEY]);
    const missing = await runCli(['check-expiry', '--account-id', 'x'], {
      cwd: world.sandbox.home,
      env: envWith(),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/BBAUTH_ADMIN_KEY/);
  });

  it('says so when the admin API refuses the key (named by --admin-key-env)', async () => {
    const env = envWith({ MY_ADMIN: mintSecret('access-token') });
    const run = await runCli(
      [
        'check-expiry',
        '--account-id',
        'x',
        '--admin-key-env',
        'MY_ADMIN',
        '--admin-url',
        world.emulator.apiUrl,
      ],
      { cwd: world.sandbox.home, env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused the admin key \(HTTP 401\)/);
    expectNoSecrets(run, [env.MY_ADMIN!]);
  });
});
