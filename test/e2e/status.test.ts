/**
 * status end to end: the built binary against the emulator, with credentials put in place the way users do
 * (`bbauth login --with-token --helper store`, or a plain-text store), real git config, isolated HOME.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';

interface StatusJson {
  schemaVersion: number;
  host: string;
  online: boolean;
  remotes: { name: string; url: string; state: string; credential?: string; server: string[] }[];
  hostCredential?: { credential: string; helper: string; state: string };
  credentials: {
    id: string;
    kind: string;
    fingerprint: string;
    source: string;
    username?: string;
    state: string;
    scopesSeen: string[];
    expires?: string;
    daysLeft?: number;
    lastVerified?: string;
  }[];
  findings: { id: string }[];
}

let world: EmulatorWorld;
let n = 0;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const allSecrets = () => world.emulator.state.tokens.map((t) => t.secret);
const host = () => new URL(world.emulator.gitUrl).host;

/** A fresh HOME and, unless `repo` is false, a repository whose origin is acme/web with the static username. */
async function setup(repo = true) {
  const home = join(world.sandbox.root, `status-home-${++n}`);
  const dir = join(world.sandbox.root, `status-repo-${n}`);
  mkdirSync(home, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const env = {
    ...world.sandbox.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    XDG_CONFIG_HOME: join(home, '.config'),
  };
  if (repo) {
    await gitAsync(world.sandbox, ['init', '-q', dir], { env });
    await gitAsync(
      world.sandbox,
      ['remote', 'add', 'origin', `http://x-bitbucket-api-token-auth@${host()}/acme/web.git`],
      { cwd: dir, env },
    );
  }
  const endpoints = ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];
  const cli = (args: string[], input?: string) =>
    runCli([...args, ...endpoints], { cwd: dir, env, ...(input ? { input } : {}) });
  return { home, dir, env, cli };
}

function isoDaysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function statusJson(cli: (a: string[]) => ReturnType<typeof runCli>, extra: string[] = []) {
  const run = await cli(['status', '--json', ...extra]);
  expectNoSecrets(run, allSecrets());
  let json: StatusJson;
  try {
    json = JSON.parse(run.stdout) as StatusJson;
  } catch {
    throw new Error(`status did not print JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { run, json };
}

describe('bbauth status', () => {
  it('no expiry recorded, first seen 360 days ago: "no later than" a year after, and a warning', async () => {
    const { home, cli } = await setup();
    const login = await cli(['login', '--with-token', '--helper', 'store'], world.secret('alice-rw'));
    expect(login.code, login.stderr).toBe(0);
    // As if login had met the token 360 days ago.
    const recordsFile = join(home, '.config', 'bbauth', 'records.json');
    const file = JSON.parse(readFileSync(recordsFile, 'utf8')) as {
      credentials: { createdAt: string; firstSeen?: string }[];
    };
    const aged = new Date(Date.now() - 360 * 86_400_000).toISOString();
    file.credentials[0]!.createdAt = aged;
    file.credentials[0]!.firstSeen = aged;
    writeFileSync(recordsFile, JSON.stringify(file));
    const { json } = await statusJson(cli);
    const cred = json.credentials.find((c) => c.id === json.remotes[0]!.credential)! as unknown as {
      expiresBound?: boolean;
      expiryState?: string;
    };
    expect(cred).toMatchObject({ expiresBound: true, expiryState: 'soon' });
    const human = await cli(['status']);
    expect(human.stdout).toMatch(/no later than .* \(a year after bbauth first saw it\)/);
    expect(human.stdout).toMatch(/token-expires-soon|expires on/);
  });

  it('a token stored by login works: helper, fingerprint, scopes, days left, and lastVerified is stamped', async () => {
    const { home, cli } = await setup();
    const expires = isoDaysFromNow(20);
    const login = await cli(
      ['login', '--with-token', '--helper', 'store', '--expires', expires],
      world.secret('alice-rw'),
    );
    expect(login.code, login.stderr).toBe(0);
    const recordsFile = join(home, '.config', 'bbauth', 'records.json');
    const before = JSON.parse(readFileSync(recordsFile, 'utf8')).credentials[0].lastVerified as string;

    const { run, json } = await statusJson(cli);
    expect(run.code, run.stderr).toBe(0);
    expect(json.schemaVersion).toBe(1);
    expect(json.online).toBe(true);
    expect(json.remotes).toHaveLength(1);
    expect(json.remotes[0]).toMatchObject({ name: 'origin', state: 'works' });
    expect(json.remotes[0]!.server.join('\n')).toMatch(/fetch: HTTP 200/);
    const cred = json.credentials.find((c) => c.id === json.remotes[0]!.credential)!;
    expect(cred).toMatchObject({
      kind: 'api-token',
      source: 'helper:store',
      username: 'x-bitbucket-api-token-auth',
      expires,
      state: 'works',
    });
    expect(cred.fingerprint).toMatch(/^ATATT3…/);
    expect(cred.scopesSeen).toEqual(
      expect.arrayContaining(['read:repository:bitbucket', 'write:repository:bitbucket']),
    );
    // Date-only expiry means the end of that day (UTC): 19 or 20 whole days left depending on the hour.
    expect(cred.daysLeft).toBeGreaterThanOrEqual(19);
    expect(cred.daysLeft).toBeLessThanOrEqual(20);
    expect(json.findings.map((f) => f.id)).toContain('token-expires-soon');
    const after = JSON.parse(readFileSync(recordsFile, 'utf8')).credentials[0].lastVerified as string;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(cred.lastVerified).toBe(after);

    const human = await cli(['status']);
    expectNoSecrets(human, allSecrets());
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/origin .*acme\/web\.git/);
    expect(human.stdout).toMatch(/✓ Works/);
    expect(human.stdout).toMatch(/API token ATATT3….*username x-bitbucket-api-token-auth, from helper:store/);
    expect(human.stdout).toMatch(new RegExp(`Expires: ${expires} \\((19|20) days left\\)`));
    expect(human.stdout).toMatch(/token-expires-soon/);
    // --warn-days 5: no longer inside the warning window.
    const quiet = await statusJson(cli, ['--warn-days', '5']);
    expect(quiet.json.findings).toEqual([]);
  });

  it('an app password in the store is refused (exit 1)', async () => {
    const { home, env, dir, cli } = await setup();
    world.sandbox.write(
      join(home, '.git-credentials'),
      `http://alice:${world.secret('alice-app-password')}@${host()}\n`,
      0o600,
    );
    await gitAsync(world.sandbox, ['config', '--global', 'credential.helper', 'store'], { cwd: dir, env });
    await gitAsync(world.sandbox, ['remote', 'set-url', 'origin', `http://alice@${host()}/acme/web.git`], {
      cwd: dir,
      env,
    });
    const { run, json } = await statusJson(cli);
    expect(run.code).toBe(1);
    expect(json.remotes[0]!.state).toBe('refused');
    expect(json.remotes[0]!.server.join('\n')).toMatch(/410/);
    expect(json.credentials[0]).toMatchObject({
      kind: 'app-password',
      source: 'helper:store',
      username: 'alice',
    });

    const human = await cli(['status']);
    expectNoSecrets(human, allSecrets());
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/X Refused by Bitbucket/);
    expect(human.stdout).toMatch(/app-password-retired/);
    expect(human.stdout).toMatch(/bbauth doctor/);
  });

  it("outside a repository: shows the host's helper credential", async () => {
    const { env, dir, cli } = await setup(false);
    world.sandbox.write(
      join(env.HOME!, '.git-credentials'),
      `http://x-bitbucket-api-token-auth:${world.secret('alice-rw')}@${host()}\n`,
      0o600,
    );
    await gitAsync(world.sandbox, ['config', '--global', 'credential.helper', 'store'], { cwd: dir, env });
    const { run, json } = await statusJson(cli);
    expect(run.code, run.stderr).toBe(0);
    expect(json.remotes).toEqual([]);
    expect(json.hostCredential).toMatchObject({ helper: 'store', state: 'unchecked' });
    expect(json.credentials[0]).toMatchObject({ kind: 'api-token', usedBy: ['host'] });

    const human = await cli(['status']);
    expectNoSecrets(human, allSecrets());
    expect(human.stdout).toMatch(/outside a repository/);
    expect(human.stdout).toMatch(/credential helper\s+store/);
    expect(human.stdout).toMatch(/API token ATATT3…/);
  });

  it('outside a repository with nothing stored: not logged in (exit 1)', async () => {
    const { cli } = await setup(false);
    const run = await cli(['status']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/No credential stored .*bbauth login/);
  });

  it('--offline sends no request and does not stamp lastVerified', async () => {
    const { home, cli } = await setup();
    const login = await cli(
      ['login', '--with-token', '--helper', 'store', '--offline'],
      world.secret('alice-rw'),
    );
    expect(login.code, login.stderr).toBe(0);
    const records = () => readFileSync(join(home, '.config', 'bbauth', 'records.json'), 'utf8');
    const recordsBefore = records();
    const requests = world.emulator.requests.length;
    const { run, json } = await statusJson(cli, ['--offline']);
    expect(world.emulator.requests.length).toBe(requests);
    expect(run.code, run.stderr).toBe(0);
    expect(json.online).toBe(false);
    expect(json.remotes[0]).toMatchObject({ state: 'unchecked', server: [] });
    expect(records()).toBe(recordsBefore);
  });

  it('rejects a bad --warn-days (exit 2)', async () => {
    const { cli } = await setup();
    const run = await cli(['status', '--warn-days', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--warn-days/);
  });
});
