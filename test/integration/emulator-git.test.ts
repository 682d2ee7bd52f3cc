/**
 * The emulator matrix (issue 2 §3) with the REAL git client: clone / fetch / push for every credential kind and
 * username, asserting git's exit status and the `remote:` lines git prints from the server's body.
 *
 * What git 2.39 shows (measured): on a failed ref discovery it prints a text/plain body as `remote: …` lines
 * for every status, then 401 → `fatal: Authentication failed for '<url>/'`, 404 → `fatal: repository '<url>/'
 * not found`, anything else (403, 410) → `fatal: unable to access '<url>/': The requested URL returned error: N`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mintSecret } from '../../src/core/token/format.js';
import { demoState } from '../../src/emulator/state.js';
import {
  gitAsync,
  gitWithCredential,
  withEmulator,
  type EmulatorWorld,
  type GitRun,
} from '../helpers/emulator.js';

const MAY_NOT =
  'remote: You may not have access to this repository or it no longer exists in this workspace.';
const LOGIN = 'remote: Login failed due to incorrect login credentials or method.';
const SCOPES = 'remote: Your credentials lack one or more required privilege scopes.';

/** What git must print (all of it) and its exit status. */
type Expect = { code: number; stderr: string[] };
const OK: Expect = { code: 0, stderr: [] };
const AUTH: Expect = { code: 128, stderr: [MAY_NOT, 'fatal: Authentication failed for'] };
const LOGIN_FAILED: Expect = { code: 128, stderr: [LOGIN, 'fatal: Authentication failed for'] };
const SCOPE: Expect = { code: 128, stderr: [SCOPES, 'The requested URL returned error: 403'] };
const NO_ACCESS_403: Expect = { code: 128, stderr: [MAY_NOT, 'The requested URL returned error: 403'] };
const NO_ACCESS_404: Expect = { code: 128, stderr: [MAY_NOT, "' not found"] };
const NO_WRITE: Expect = {
  code: 128,
  stderr: ['remote: You do not have write access', 'The requested URL returned error: 403'],
};
const GONE: Expect = {
  code: 128,
  stderr: [
    'remote: CHANGE-3222 - Functionality has been deprecated',
    'remote: App passwords are deprecated and must be replaced with API tokens.',
    'remote: https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222',
    'The requested URL returned error: 410',
  ],
};

let world: EmulatorWorld;
let seed: string;
let n = 0;

type Op = 'clone' | 'fetch' | 'push';

/** Runs one git operation against `repo` with one credential; `secret` is a token id or a literal secret. */
function runOp(w: EmulatorWorld, op: Op, repo: string, username: string, tokenId: string): Promise<GitRun> {
  const secret = tokenId.startsWith('literal:') ? tokenId.slice(8) : w.secret(tokenId);
  const url = w.repoUrl(repo);
  const cred = { username, secret };
  if (op === 'clone') return gitWithCredential(w, ['clone', '--quiet', url, `clone-${++n}`], cred);
  if (op === 'fetch') return gitWithCredential(w, ['fetch', '--quiet', url, 'main'], cred, { cwd: seed });
  return gitWithCredential(w, ['push', '--quiet', url, `HEAD:refs/heads/case-${++n}`], cred, { cwd: seed });
}

function check(run: GitRun, expected: Expect, secret?: string): void {
  expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: expected.code });
  for (const line of expected.stderr) expect(run.stderr).toContain(line);
  if (expected.code === 0) expect(run.stderr).not.toContain('fatal:');
  if (secret) expect(run.stderr).not.toContain(secret);
}

async function seedClone(w: EmulatorWorld): Promise<string> {
  const dir = `${w.sandbox.home}/seed-${++n}`;
  const run = await gitWithCredential(w, ['clone', '--quiet', w.repoUrl('acme/web'), dir], {
    username: 'alice',
    secret: w.secret('alice-rw'),
  });
  expect(run.stderr).toBe('');
  // A local commit, so every push has something new to send.
  expect(
    (await gitAsync(w.sandbox, ['commit', '--allow-empty', '-q', '-m', 'work'], { cwd: dir })).code,
  ).toBe(0);
  return dir;
}

beforeAll(async () => {
  const state = demoState();
  // A fixed clock: after the app-password retirement, before the demo tokens' expiry.
  state.settings = { now: '2026-09-01T00:00:00Z' };
  world = await withEmulator(state);
  seed = await seedClone(world);
});
afterAll(() => world?.close());

const unknown = `literal:${mintSecret('api-token')}`;

// [name, username, token id, repo, clone, fetch, push]
const matrix: [string, string, string, string, Expect, Expect, Expect][] = [
  ['API token, Bitbucket username', 'alice', 'alice-rw', 'acme/web', OK, OK, OK],
  ['API token, x-bitbucket-api-token-auth', 'x-bitbucket-api-token-auth', 'alice-rw', 'acme/web', OK, OK, OK],
  ['API token, email as username', 'alice@example.com', 'alice-rw', 'acme/web', AUTH, AUTH, AUTH],
  ['API token, x-token-auth', 'x-token-auth', 'alice-rw', 'acme/web', AUTH, AUTH, AUTH],
  ['API token, another username', 'bob', 'alice-rw', 'acme/web', AUTH, AUTH, AUTH],
  ['unscoped API token', 'alice', 'alice-unscoped', 'acme/web', AUTH, AUTH, AUTH],
  ['read-only API token', 'alice', 'alice-read', 'acme/web', OK, OK, SCOPE],
  ['write-only API token', 'alice', 'alice-write-only', 'acme/web', SCOPE, SCOPE, SCOPE],
  ['read:user-only API token', 'alice', 'alice-user-only', 'acme/web', SCOPE, SCOPE, SCOPE],
  ['expired API token', 'alice', 'alice-expired', 'acme/web', LOGIN_FAILED, LOGIN_FAILED, LOGIN_FAILED],
  ['revoked API token', 'alice', 'alice-revoked', 'acme/web', LOGIN_FAILED, LOGIN_FAILED, LOGIN_FAILED],
  ['unknown API token', 'alice', unknown, 'acme/web', LOGIN_FAILED, LOGIN_FAILED, LOGIN_FAILED],
  ['retired app password', 'alice', 'alice-app-password', 'acme/web', GONE, GONE, GONE],
  ['retired app password, email', 'alice@example.com', 'alice-app-password', 'acme/web', GONE, GONE, GONE],
  ['repo access token (repository:write)', 'x-token-auth', 'web-repo-write', 'acme/web', OK, OK, OK],
  ['repo access token (repository)', 'x-token-auth', 'web-repo-read', 'acme/web', OK, OK, SCOPE],
  ['repo access token (pullrequest ⇒ repository)', 'x-token-auth', 'web-repo-pr', 'acme/web', OK, OK, SCOPE],
  ['project access token (repository)', 'x-token-auth', 'acme-project-read', 'acme/web', OK, OK, SCOPE],
  [
    'workspace access token (repository:write)',
    'x-token-auth',
    'acme-workspace-write',
    'acme/web',
    OK,
    OK,
    OK,
  ],
  ['access token, Bitbucket username', 'alice', 'web-repo-write', 'acme/web', AUTH, AUTH, AUTH],
  [
    'access token, x-bitbucket-api-token-auth',
    'x-bitbucket-api-token-auth',
    'web-repo-write',
    'acme/web',
    AUTH,
    AUTH,
    AUTH,
  ],
  [
    'repo access token, other repository',
    'x-token-auth',
    'web-repo-write',
    'acme/secret',
    NO_ACCESS_403,
    NO_ACCESS_403,
    NO_ACCESS_403,
  ],
  [
    'project access token, other project',
    'x-token-auth',
    'acme-project-read',
    'acme/secret',
    NO_ACCESS_403,
    NO_ACCESS_403,
    NO_ACCESS_403,
  ],
  [
    'API token, no repository access',
    'alice',
    'alice-rw',
    'acme/secret',
    NO_ACCESS_403,
    NO_ACCESS_403,
    NO_ACCESS_403,
  ],
  [
    'API token, repository does not exist',
    'alice',
    'alice-rw',
    'acme/nope',
    NO_ACCESS_403,
    NO_ACCESS_403,
    NO_ACCESS_403,
  ],
  ['read permission only', 'bob', 'bob-rw', 'acme/web', OK, OK, NO_WRITE],
];

describe('git matrix (noAccessStatus 403, app passwords retired)', () => {
  test.each(matrix)('%s', async (_name, username, tokenId, repo, clone, fetch, push) => {
    const secret = tokenId.startsWith('literal:') ? tokenId.slice(8) : world.secret(tokenId);
    check(await runOp(world, 'clone', repo, username, tokenId), clone, secret);
    check(await runOp(world, 'fetch', repo, username, tokenId), fetch, secret);
    check(await runOp(world, 'push', repo, username, tokenId), push, secret);
  });
});

describe('settings and live state', () => {
  test('noAccessStatus 404: git says "repository not found" after the same remote: line', async () => {
    world.emulator.state.settings!.noAccessStatus = 404;
    try {
      check(await runOp(world, 'clone', 'acme/secret', 'alice', 'alice-rw'), NO_ACCESS_404);
      check(await runOp(world, 'push', 'acme/secret', 'x-token-auth', 'web-repo-write'), NO_ACCESS_404);
      // Scope and auth failures keep their own statuses.
      check(await runOp(world, 'clone', 'acme/web', 'alice', 'alice-write-only'), SCOPE);
    } finally {
      delete world.emulator.state.settings!.noAccessStatus;
    }
  });

  test('app passwords: valid (username only), brownout, and retirement by the clock', async () => {
    const settings = world.emulator.state.settings!;
    try {
      settings.appPasswords = 'valid';
      check(await runOp(world, 'clone', 'acme/web', 'alice', 'alice-app-password'), OK);
      check(await runOp(world, 'push', 'acme/web', 'alice', 'alice-app-password'), OK);
      check(await runOp(world, 'fetch', 'acme/web', 'alice@example.com', 'alice-app-password'), LOGIN_FAILED);
      settings.appPasswords = 'brownout';
      check(await runOp(world, 'fetch', 'acme/web', 'alice', 'alice-app-password'), GONE);
      delete settings.appPasswords;
      settings.now = '2026-07-27T23:59:00Z';
      check(await runOp(world, 'fetch', 'acme/web', 'alice', 'alice-app-password'), OK);
      settings.now = '2026-07-28T00:00:00Z';
      check(await runOp(world, 'fetch', 'acme/web', 'alice', 'alice-app-password'), GONE);
    } finally {
      delete settings.appPasswords;
      settings.now = '2026-09-01T00:00:00Z';
    }
  });

  test('expiry follows the emulator clock; revoking takes effect on the next request', async () => {
    const settings = world.emulator.state.settings!;
    try {
      settings.now = '2025-12-31T23:00:00Z';
      check(await runOp(world, 'fetch', 'acme/web', 'alice', 'alice-expired'), OK);
    } finally {
      settings.now = '2026-09-01T00:00:00Z';
    }
    const token = world.emulator.state.tokens.find((t) => t.id === 'alice-read')!;
    check(await runOp(world, 'fetch', 'acme/web', 'alice', 'alice-read'), OK);
    token.revoked = true;
    try {
      check(await runOp(world, 'fetch', 'acme/web', 'alice', 'alice-read'), LOGIN_FAILED);
    } finally {
      token.revoked = false;
    }
  });

  test('a push lands in the bare repository, attributed to the account', async () => {
    const branch = `landed-${++n}`;
    const run = await gitWithCredential(
      world,
      ['push', '--quiet', world.repoUrl('acme/web'), `HEAD:refs/heads/${branch}`],
      { username: 'x-bitbucket-api-token-auth', secret: world.secret('alice-rw') },
      { cwd: seed },
    );
    check(run, OK);
    const bare = `${world.emulator.dataDir}/acme/web.git`;
    const local = await gitAsync(world.sandbox, ['rev-parse', 'HEAD'], { cwd: seed });
    const remote = await gitAsync(world.sandbox, ['--git-dir', bare, 'rev-parse', `refs/heads/${branch}`]);
    expect(remote.stdout.trim()).toBe(local.stdout.trim());
    const record = world.emulator.requests.findLast((r) => r.path === '/acme/web.git/git-receive-pack');
    expect(record).toMatchObject({ surface: 'git', method: 'POST', status: 200, tokenId: 'alice-rw' });
  });

  test('no credential at all: git gets the 401 challenge, finds no helper and cannot prompt', async () => {
    const run = await gitAsync(world.sandbox, ['ls-remote', world.repoUrl('acme/web')]);
    expect(run.code).toBe(128);
    expect(run.stderr).toContain("could not read Username for 'http://127.0.0.1:");
    expect(world.emulator.requests.at(-1)).toMatchObject({ status: 401, username: undefined });
  });

  test('requests are recorded with token ids and usernames, never secrets', async () => {
    const before = world.emulator.requests.length;
    check(await runOp(world, 'clone', 'acme/web', 'alice', 'alice-read'), OK);
    const mine = world.emulator.requests.slice(before);
    // git's real flow: an anonymous probe, the 401 challenge, then the retry with the helper's credential.
    expect(mine[0]).toMatchObject({
      surface: 'git',
      method: 'GET',
      path: '/acme/web.git/info/refs',
      status: 401,
    });
    expect(mine[0]!.username).toBeUndefined();
    expect(mine[1]).toMatchObject({
      service: 'git-upload-pack',
      username: 'alice',
      tokenId: 'alice-read',
      status: 200,
    });
    expect(mine.some((r) => r.method === 'POST' && r.path === '/acme/web.git/git-upload-pack')).toBe(true);
    const log = JSON.stringify(world.emulator.requests);
    for (const t of world.emulator.state.tokens) expect(log).not.toContain(t.secret);
  });
});
