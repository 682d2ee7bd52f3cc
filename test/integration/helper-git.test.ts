/**
 * git-credential-bbauth against real git and the emulator: `credential.helper = bbauth` resolves to
 * `git credential-bbauth` on PATH (a wrapper around dist/), helper chains with store/cache before and after it,
 * URL usernames that differ, store/erase bookkeeping, and a canary over everything the helper prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitAsync, withEmulator, type EmulatorWorld, type GitRun } from '../helpers/emulator.js';
import { binDir } from '../helpers/cli.js';
import { digestOf } from '../../src/store/records.js';
import { fingerprint } from '../../src/core/redact.js';

const DIST = fileURLToPath(new URL('../../dist/cli/', import.meta.url));
let world: EmulatorWorld;
let env: NodeJS.ProcessEnv;
let n = 0;
const printed: string[] = [];

beforeAll(async () => {
  world = await withEmulator();
  env = {
    ...world.sandbox.env,
    PATH: `${binDir(world.sandbox.root)}:${world.sandbox.env.PATH}`,
    BBAUTH_BITBUCKET_URL: world.emulator.gitUrl,
  };
});
afterAll(async () => {
  const secrets = world.emulator.state.tokens.map((t) => t.secret);
  for (const text of printed) for (const s of secrets) expect(text).not.toContain(s.slice(0, 40));
  await world?.close();
});

function records(): { credentials: Record<string, unknown>[] } {
  const file = join(world.sandbox.home, '.config', 'bbauth', 'records.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { credentials: [] };
}

async function git(args: string[], extraEnv: NodeJS.ProcessEnv = {}, helpers = ['bbauth']): Promise<GitRun> {
  const config = ['-c', 'credential.helper=', ...helpers.flatMap((h) => ['-c', `credential.helper=${h}`])];
  const run = await gitAsync(world.sandbox, [...config, ...args], { env: { ...env, ...extraEnv } });
  printed.push(run.stdout, run.stderr);
  return run;
}

function cloneUrl(user?: string, repo = 'acme/web'): string {
  const u = new URL(world.repoUrl(repo));
  if (user) u.username = encodeURIComponent(user);
  return u.toString();
}

const dest = () => join(world.sandbox.root, `clone-${++n}`);
const lastGitRequest = () => world.emulator.requests.filter((r) => r.surface === 'git').at(-1)!;

/** Runs the helper directly with `input` on stdin. */
function helper(args: string[], input: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${DIST}git-credential-bbauth.js`, ...args], {
      env: { ...env, ...extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // stdout is the protocol answer (it carries the password by design); tests check it exactly.
      printed.push(stderr);
      resolve({ code: code ?? 128, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

describe('credential.helper = bbauth with real git', () => {
  it('clones with an API token from BITBUCKET_API_TOKEN, as x-bitbucket-api-token-auth', async () => {
    const run = await git(['clone', '-q', cloneUrl(), dest()], {
      BITBUCKET_API_TOKEN: world.secret('alice-rw'),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lastGitRequest()).toMatchObject({ username: 'x-bitbucket-api-token-auth', tokenId: 'alice-rw' });
  });

  it.each(['alice', 'alice@example.com', 'x-token-auth'])(
    'replaces the URL username %j with the one the token needs',
    async (user) => {
      const run = await git(['clone', '-q', cloneUrl(user), dest()], {
        BITBUCKET_API_TOKEN: world.secret('alice-rw'),
      });
      expect(run.code, run.stderr).toBe(0);
      expect(lastGitRequest().username).toBe('x-bitbucket-api-token-auth');
    },
  );

  it('pushes with an access token from BITBUCKET_ACCESS_TOKEN, as x-token-auth', async () => {
    const dir = dest();
    const tokenEnv = { BITBUCKET_ACCESS_TOKEN: world.secret('web-repo-write') };
    expect((await git(['clone', '-q', cloneUrl(), dir], tokenEnv)).code).toBe(0);
    writeFileSync(join(dir, `f${n}.txt`), 'x\n');
    await gitAsync(world.sandbox, ['add', '.'], { cwd: dir, env });
    await gitAsync(world.sandbox, ['commit', '-qm', 'x'], { cwd: dir, env });
    const push = await gitAsync(
      world.sandbox,
      ['-c', 'credential.helper=', '-c', 'credential.helper=bbauth', 'push', '-q', 'origin', 'HEAD'],
      { cwd: dir, env: { ...env, ...tokenEnv } },
    );
    printed.push(push.stderr);
    expect(push.code, push.stderr).toBe(0);
    expect(lastGitRequest()).toMatchObject({ username: 'x-token-auth', service: 'git-receive-pack' });
  });

  it('reads --token-file from the helper config, and records that the token worked (store)', async () => {
    const file = world.sandbox.write('secrets/bb-token', `${world.secret('bob-rw')}\n`, 0o600);
    const run = await git(['clone', '-q', cloneUrl(), dest()], {}, [`bbauth --token-file ${file}`]);
    expect(run.code, run.stderr).toBe(0);
    const rec = records().credentials.find((c) => c.digest === digestOf(world.secret('bob-rw')));
    expect(rec).toMatchObject({
      kind: 'api-token',
      fingerprint: fingerprint(world.secret('bob-rw')),
      usernames: ['x-bitbucket-api-token-auth'],
      source: 'helper',
    });
    expect(rec!.lastWorked).toEqual(expect.any(String));
    expect(readFileSync(join(world.sandbox.home, '.config', 'bbauth', 'records.json'), 'utf8')).not.toContain(
      world.secret('bob-rw').slice(0, 40),
    );
  });

  it('records that git saw the credential fail (erase) and says nothing on stdout', async () => {
    const run = await git(['clone', '-q', cloneUrl(), dest()], {
      BITBUCKET_API_TOKEN: world.secret('alice-revoked'),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Authentication failed/);
    const rec = records().credentials.find((c) => c.digest === digestOf(world.secret('alice-revoked')));
    expect(rec?.lastFailed).toEqual(expect.any(String));
  });

  it('refuses an app password, says why in one line, and lets git fail without prompting', async () => {
    const pw = world.secret('alice-app-password');
    const run = await git(['clone', '-q', cloneUrl(), dest()], { BITBUCKET_API_TOKEN: pw });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`bbauth: BITBUCKET_API_TOKEN holds an app password (${fingerprint(pw)})`);
    expect(run.stderr).not.toContain(pw);
  });

  it('does not offer a token the records say has expired', async () => {
    const secret = world.secret('alice-rw');
    const dir = join(world.sandbox.home, '.config', 'bbauth');
    const before = records();
    const now = new Date().toISOString();
    const others = before.credentials.filter((c) => c.digest !== digestOf(secret));
    const expired = { digest: digestOf(secret), fingerprint: fingerprint(secret), kind: 'api-token' };
    const rest = { host: 'x', usernames: [], expires: '2020-01-01', createdAt: now, updatedAt: now };
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'records.json'),
      JSON.stringify({ schemaVersion: 1, credentials: [...others, { ...expired, ...rest }] }),
    );
    const run = await git(['clone', '-q', cloneUrl(), dest()], { BITBUCKET_API_TOKEN: secret });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('expired on 2020-01-01');
    writeFileSync(join(dir, 'records.json'), JSON.stringify(before));
  });
});

describe('helper chains', () => {
  it('store before bbauth: an empty store lets bbauth answer, and git then stores what worked', async () => {
    const file = world.sandbox.write(`store-${++n}`, '', 0o600);
    const run = await git(
      ['clone', '-q', cloneUrl(), dest()],
      { BITBUCKET_API_TOKEN: world.secret('alice-read') },
      [`store --file=${file}`, 'bbauth'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('x-bitbucket-api-token-auth:');
  });

  it('bbauth before store: with no token bbauth says why and the store answers', async () => {
    const file = world.sandbox.write(`store-${++n}`, '', 0o600);
    const origin = new URL(world.emulator.gitUrl);
    writeFileSync(
      file,
      `${origin.protocol}//alice:${encodeURIComponent(world.secret('alice-rw'))}@${origin.host}\n`,
    );
    const run = await git(['clone', '-q', cloneUrl(), dest()], {}, ['bbauth', `store --file=${file}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^bbauth: no token in BITBUCKET_API_TOKEN/m);
    expect(lastGitRequest().username).toBe('alice');
  });

  it('bbauth before cache: what bbauth offered is cached, and served later without the token', async () => {
    const socket = join(world.sandbox.root, `cache-${++n}.sock`);
    const cache = `cache --timeout=60 --socket=${socket}`;
    try {
      const first = await git(
        ['clone', '-q', cloneUrl(), dest()],
        { BITBUCKET_API_TOKEN: world.secret('alice-rw') },
        ['bbauth', cache],
      );
      expect(first.code, first.stderr).toBe(0);
      const second = await git(['clone', '-q', cloneUrl(), dest()], {}, ['bbauth', cache]);
      expect(second.code, second.stderr).toBe(0);
      expect(lastGitRequest()).toMatchObject({ username: 'x-bitbucket-api-token-auth', tokenId: 'alice-rw' });
    } finally {
      await gitAsync(world.sandbox, ['credential-cache', `--socket=${socket}`, 'exit'], { env });
    }
  });
});

describe('the protocol, directly', () => {
  const request = () => `protocol=http\nhost=${new URL(world.emulator.gitUrl).host}\n\n`;

  it('answers only protocol lines, with password_expiry_utc when the records know the expiry', async () => {
    const secret = world.secret('bob-rw');
    const dir = join(world.sandbox.home, '.config', 'bbauth');
    const before = readFileSync(join(dir, 'records.json'), 'utf8');
    const file = JSON.parse(before);
    file.credentials.find((c: { digest: string }) => c.digest === digestOf(secret)).expires = '2099-12-31';
    writeFileSync(join(dir, 'records.json'), JSON.stringify(file));
    const run = await helper(['get'], request(), { BBAUTH_TOKEN: secret });
    writeFileSync(join(dir, 'records.json'), before);
    expect(run).toEqual({
      code: 0,
      stdout: `username=x-bitbucket-api-token-auth\npassword=${secret}\npassword_expiry_utc=${Date.UTC(2099, 11, 31, 23, 59, 59) / 1000}\n`,
      stderr: '',
    });
  });

  it.each([
    ['a FIFO nobody writes to', 'fifo'],
    ['/dev/zero', '/dev/zero'],
    ['a folder', 'dir'],
  ])('does not hang on a token file that is %s: says why, answers nothing', async (_name, what) => {
    const path =
      what === 'fifo' ? join(world.sandbox.root, `fifo-${++n}`) : what === 'dir' ? world.sandbox.root : what;
    if (what === 'fifo') expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const started = Date.now();
    const run = await helper(['--token-file', path, 'get'], request());
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/not a regular file/);
  });

  it('tolerates capability[] and a url= line', async () => {
    const run = await helper(
      ['get'],
      `capability[]=authtype\ncapability[]=state\nurl=${world.repoUrl('acme/web')}\n\n`,
      { BITBUCKET_API_TOKEN: world.secret('alice-rw') },
    );
    expect(run.stdout).toMatch(/^username=x-bitbucket-api-token-auth\npassword=ATATT/);
  });

  it.each([
    ['another host', 'protocol=https\nhost=github.com\n\n'],
    ['nothing', ''],
    ['a blank line only', '\n'],
    ['binary junk', '\u0000\u00ff\u0001garbage\n=\n==\n\n'],
    ['no protocol', `host=${'x'.repeat(10)}\n\n`],
    ['a huge line', `protocol=http\nhost=${'a'.repeat(200_000)}`],
  ])('prints nothing and exits 0 for %s', async (_name, input) => {
    const run = await helper(['get'], input, { BITBUCKET_API_TOKEN: world.secret('alice-rw') });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([['store'], ['erase'], ['frobnicate'], ['--token-file', '/nonexistent', 'capability']])(
    'is silent on stdout for %j',
    async (...args) => {
      const run = await helper(
        args,
        `${request().trim()}\nusername=x\npassword=${world.secret('alice-rw')}\n\n`,
        {
          BITBUCKET_API_TOKEN: world.secret('alice-rw'),
        },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
    },
  );
});
