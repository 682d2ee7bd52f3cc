/**
 * login/logout end to end: the built binary against the emulator, real git afterwards, isolated HOME.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { keychainFreeGitEnv } from '../helpers/keychain-free.js';
import { mintSecret } from '../../src/core/token/format.js';

let world: EmulatorWorld;
let n = 0;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

async function setup(remoteUser = 'x-bitbucket-api-token-auth', extraEnv: NodeJS.ProcessEnv = {}) {
  const home = join(world.sandbox.root, `login-home-${++n}`);
  const dir = join(world.sandbox.root, `login-repo-${n}`);
  mkdirSync(home, { recursive: true });
  const env = {
    ...world.sandbox.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    XDG_CONFIG_HOME: join(home, '.config'),
    ...extraEnv,
  };
  await gitAsync(world.sandbox, ['init', '-q', dir], { env });
  const host = new URL(world.emulator.gitUrl).host;
  await gitAsync(
    world.sandbox,
    ['remote', 'add', 'origin', `http://${encodeURIComponent(remoteUser)}@${host}/acme/web.git`],
    { cwd: dir, env },
  );
  const login = (args: string[], input: string) =>
    runCli(['login', '--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl, ...args], {
      cwd: dir,
      env,
      input,
    });
  return { home, dir, env, login };
}

const allSecrets = () => world.emulator.state.tokens.map((t) => t.secret);

describe('bbauth login', () => {
  it('checks the token, stores it in the chosen helper, and git then fetches and pushes with no prompt', async () => {
    const { dir, env, login, home } = await setup();
    const token = world.secret('alice-rw');
    const run = await login(
      ['--with-token', '--helper', 'store', '--email', 'alice@example.com', '--expires', '2099-01-01'],
      `${token}\n`,
    );
    expectNoSecrets(run, allSecrets());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Stored API token ATATT3…/);
    expect(run.stdout).toContain('read:repository:bitbucket');
    expect(run.stdout).toContain('write:repository:bitbucket');
    // The token went to the helper the user chose, under the static username.
    expect(readFileSync(join(home, '.git-credentials'), 'utf8')).toContain('x-bitbucket-api-token-auth:');
    // Records hold metadata only.
    const records = readFileSync(join(home, '.config', 'bbauth', 'records.json'), 'utf8');
    expect(records).not.toContain(token);
    expect(JSON.parse(records).credentials[0]).toMatchObject({
      kind: 'api-token',
      expires: '2099-01-01',
      email: 'alice@example.com',
    });
    // Real git now works with no prompt.
    const fetch = await gitAsync(world.sandbox, ['fetch', 'origin'], { cwd: dir, env });
    expect(fetch.code, fetch.stderr).toBe(0);
    await gitAsync(world.sandbox, ['commit', '--allow-empty', '-qm', 'x'], { cwd: dir, env });
    const push = await gitAsync(world.sandbox, ['push', 'origin', 'HEAD:refs/heads/login-test'], {
      cwd: dir,
      env,
    });
    expect(push.code, push.stderr).toBe(0);
  });

  it('undoes paste damage proven by the checksum (spaces, quotes)', async () => {
    const { login, home } = await setup();
    const token = world.secret('alice-rw');
    const run = await login(['--with-token', '--helper', 'store'], `  "${token}"  \n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/paste damage/);
    expect(readFileSync(join(home, '.git-credentials'), 'utf8')).toContain(
      encodeURIComponent(token).slice(0, 40),
    );
  });

  it.each([
    ['an app password', () => world.secret('alice-app-password'), /app password/],
    ['a truncated token', () => world.secret('alice-rw').slice(0, 150), /checksum/],
    ['a Data Center token', () => `BBDC-${'x'.repeat(44)}`, /Data Center/],
  ])('refuses %s before sending anything or storing anything (exit 2)', async (_l, token, message) => {
    const { login, home } = await setup();
    const before = world.emulator.requests.length;
    const run = await login(['--with-token', '--helper', 'store'], token());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(world.emulator.requests.length).toBe(before);
    expect(existsSync(join(home, '.git-credentials'))).toBe(false);
    expect(existsSync(join(home, '.config', 'bbauth', 'records.json'))).toBe(false);
    expectNoSecrets(run, [token()]);
  });

  it('refuses a token Bitbucket rejects (unscoped) and stores nothing (exit 1)', async () => {
    const { login, home } = await setup();
    const run = await login(['--with-token', '--helper', 'store'], world.secret('alice-unscoped'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused|nothing was stored/);
    expect(existsSync(join(home, '.git-credentials'))).toBe(false);
    expectNoSecrets(run, allSecrets());
  });

  it('without a TTY and without --helper, explains the helper choice and changes nothing (exit 2)', async () => {
    // Whatever keychain helper this machine has: without one, there is nothing to fall back on.
    const { login, home } = await setup(undefined, keychainFreeGitEnv(world.sandbox));
    const run = await login(['--with-token'], world.secret('alice-rw'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--helper store/);
    expect(run.stderr).toMatch(/--helper cache/);
    expect(existsSync(join(home, '.git-credentials'))).toBe(false);
  });

  it('a relative BBAUTH_CONFIG_DIR (records and backups in the work tree) is refused before anything changes', async () => {
    const { login, home, dir } = await setup(undefined, { BBAUTH_CONFIG_DIR: '.bbauth' });
    const run = await login(['--with-token', '--helper', 'store'], world.secret('alice-rw'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/BBAUTH_CONFIG_DIR must be an absolute path/);
    expect(existsSync(join(home, '.git-credentials'))).toBe(false);
    expect(existsSync(join(dir, '.bbauth'))).toBe(false);
    expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).not.toMatch(/helper|bbauth/);
  });

  describe('outside a repository, with no email', () => {
    const outside = async () => {
      const { home, env } = await setup();
      const dir = join(home, 'not-a-repo');
      mkdirSync(dir, { recursive: true });
      const run = (args: string[], token: string) =>
        runCli(['login', '--with-token', '--helper', 'store', ...args, ...flags()], {
          cwd: dir,
          env: { ...env, GIT_CEILING_DIRECTORIES: world.sandbox.root },
          input: `${token}\n`,
        });
      return { home, env, run };
    };
    const flags = () => ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];

    it('a revoked token is not reported as stored: nothing to check it against, nothing stored (exit 2)', async () => {
      const { home, run } = await outside();
      const r = await run([], world.secret('alice-revoked'));
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).not.toMatch(/Stored/);
      expect(r.stderr).toMatch(/nothing here to check this token against/);
      expect(r.stderr).toMatch(/--url/);
      expect(r.stderr).toMatch(/--no-verify/);
      expect(existsSync(join(home, '.git-credentials'))).toBe(false);
    });

    it('--url checks it against that repository: revoked is refused, a working one is stored and git clones', async () => {
      const { home, env, run } = await outside();
      const url = `${world.emulator.gitUrl}/acme/web.git`;
      const refused = await run(['--url', url], world.secret('alice-revoked'));
      expect(refused.code).toBe(1);
      expect(existsSync(join(home, '.git-credentials'))).toBe(false);
      const ok = await run(['--url', url], world.secret('alice-rw'));
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/checked/);
      const clone = await gitAsync(world.sandbox, ['clone', '-q', url, join(home, 'web')], { env });
      expect(clone.code, clone.stderr).toBe(0);
    });

    it('--url with a token in it is refused before anything else', async () => {
      const { run } = await outside();
      const secret = world.secret('alice-rw');
      const r = await run(
        ['--url', `${world.emulator.gitUrl.replace('://', `://alice:${secret}@`)}/acme/web.git`],
        secret,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/must not carry a password/);
      expect(r.stderr).not.toContain(secret);
    });

    it('--no-verify stores it, and says it was not checked', async () => {
      const { home, run } = await outside();
      const r = await run(['--no-verify'], world.secret('alice-rw'));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/not checked/);
      expect(existsSync(join(home, '.git-credentials'))).toBe(true);
    });
  });

  it('never takes a token as an argument', async () => {
    const { login } = await setup();
    const token = mintSecret('api-token');
    const run = await login([token], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/takes no arguments/);
    expectNoSecrets(run, [token]);
  });

  it('warns when the remote URL username would not find the stored token', async () => {
    const { login } = await setup('alice');
    const run = await login(['--with-token', '--helper', 'store'], world.secret('alice-rw'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/asks for user "alice".*bbauth fix/);
  });

  it('--username stores the token under the Bitbucket username, which git then uses without a prompt', async () => {
    const { login, home, dir, env } = await setup('alice');
    const run = await login(
      ['--with-token', '--helper', 'store', '--username', 'alice'],
      world.secret('alice-rw'),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/asks for user/);
    expect(readFileSync(join(home, '.git-credentials'), 'utf8')).toMatch(/^http:\/\/alice:/);
    const fetch = await gitAsync(world.sandbox, ['fetch', 'origin'], { cwd: dir, env });
    expect(fetch.code, fetch.stderr).toBe(0);
  });

  it.each([
    ['an email (git refuses it)', 'alice@example.com', 2],
    ['a name that is not the token owner (Bitbucket says 401)', 'bob', 1],
  ])('--username refuses %s and stores nothing', async (_l, username, code) => {
    const { login, home } = await setup();
    const run = await login(
      ['--with-token', '--helper', 'store', '--username', username],
      world.secret('alice-rw'),
    );
    expect(run.code).toBe(code);
    expect(existsSync(join(home, '.git-credentials'))).toBe(false);
    expectNoSecrets(run, allSecrets());
  });

  it('logout also removes the helper setting login added, and keeps one the user set', async () => {
    const { login, dir, env } = await setup();
    const key = `credential.${world.emulator.gitUrl}.helper`;
    await gitAsync(world.sandbox, ['config', '--global', 'credential.https://example.com.helper', 'cache'], {
      cwd: dir,
      env,
    });
    expect((await login(['--with-token', '--helper', 'store'], world.secret('alice-rw'))).code).toBe(0);
    expect(
      (
        await gitAsync(world.sandbox, ['config', '--global', '--get-all', key], { cwd: dir, env })
      ).stdout.trim(),
    ).toBe('store');
    const run = await runCli(['logout', '--bitbucket-url', world.emulator.gitUrl], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Removed ${key} = store (added by bbauth login)`);
    expect(
      (
        await gitAsync(world.sandbox, ['config', '--global', '--get-all', key], { cwd: dir, env })
      ).stdout.trim(),
    ).toBe('');
    expect(
      (
        await gitAsync(world.sandbox, ['config', '--global', 'credential.https://example.com.helper'], {
          cwd: dir,
          env,
        })
      ).stdout.trim(),
    ).toBe('cache');
  });

  it('logout erases the stored token and the records', async () => {
    const { login, home, dir, env } = await setup();
    expect((await login(['--with-token', '--helper', 'store'], world.secret('alice-rw'))).code).toBe(0);
    const run = await runCli(['logout', '--bitbucket-url', world.emulator.gitUrl], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(home, '.git-credentials'), 'utf8').trim()).toBe('');
    expect(
      JSON.parse(readFileSync(join(home, '.config', 'bbauth', 'records.json'), 'utf8')).credentials,
    ).toEqual([]);
  });
});
