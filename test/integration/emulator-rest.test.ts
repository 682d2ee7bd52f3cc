/**
 * The emulator's REST listener (facts §2, §5, §6, §10.5), fault injection and request recording, with plain
 * curl-like requests (fetch).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mintSecret } from '../../src/core/token/format.js';
import { classifyResponse } from '../../src/core/probe/outcome.js';
import { accountIds, demoState } from '../../src/emulator/state.js';
import { gitWithCredential, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';

let world: EmulatorWorld;

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

async function get(path: string, authorization?: string, base = world.emulator.apiUrl) {
  const res = await fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> };
}

const asEmail = (id: string) => basic('alice@example.com', world.secret(id));
const asBearer = (id: string) => `Bearer ${world.secret(id)}`;

beforeAll(async () => {
  const state = demoState();
  state.settings = { now: '2026-09-01T00:00:00Z', adminKey: 'admin-key-for-tests' };
  state.tokens.push({
    id: 'web-repo-webhook',
    kind: 'access-token',
    secret: mintSecret('access-token'),
    scopes: ['webhook'],
    resource: { type: 'repository', workspace: 'acme', repo: 'web' },
  });
  world = await withEmulator(state);
});
afterAll(() => world?.close());

describe('GET /2.0/user', () => {
  test('Basic email:API token with read:user:bitbucket → the account', async () => {
    const r = await get('/2.0/user', asEmail('alice-rw'));
    expect(r.status).toBe(200);
    const ids = accountIds({ username: 'alice', email: 'alice@example.com' });
    expect(r.json).toMatchObject({
      type: 'user',
      username: 'alice',
      display_name: 'Alice Example',
      ...{ uuid: ids.uuid, account_id: ids.accountId },
    });
  });

  test.each([
    ['Bitbucket username', () => basic('alice', world.secret('alice-rw'))],
    ['unscoped token', () => asEmail('alice-unscoped')],
    ['expired token', () => asEmail('alice-expired')],
    ['revoked token', () => asEmail('alice-revoked')],
    ['retired app password', () => basic('alice', world.secret('alice-app-password'))],
    ['access token as Basic x-token-auth', () => basic('x-token-auth', world.secret('web-repo-read'))],
    ['no credentials', () => undefined],
  ])('%s → 401 plain-text "Login failed" with the Basic challenge', async (_name, auth) => {
    const r = await get('/2.0/user', auth());
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Bitbucket.org HTTP"');
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/^Login failed due to incorrect login credentials or method\.\n/);
    expect(r.text).toContain('https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication');
  });

  test('Bearer API token → 401 JSON "Token is invalid, expired, or not supported for this endpoint."', async () => {
    const r = await get('/2.0/user', asBearer('alice-rw'));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      type: 'error',
      error: { message: 'Token is invalid, expired, or not supported for this endpoint.' },
    });
  });

  test('missing read:user:bitbucket → 403 with detail.granted/required', async () => {
    const r = await get('/2.0/user', asEmail('alice-read'));
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      type: 'error',
      error: {
        message: 'Your credentials lack one or more required privilege scopes.',
        detail: { granted: ['read:repository:bitbucket'], required: ['read:user:bitbucket'] },
      },
    });
  });

  test('access token → 403, scope headers still present', async () => {
    const r = await get('/2.0/user', asBearer('web-repo-write'));
    expect(r.status).toBe(403);
    expect(r.headers.get('x-credential-type')).toBe('repo_access_token');
    expect(r.headers.get('x-oauth-scopes')).toBe('repository:write');
  });

  test('app password works only while valid, and only with the Bitbucket username', async () => {
    const settings = world.emulator.state.settings!;
    settings.appPasswords = 'valid';
    try {
      expect((await get('/2.0/user', basic('alice', world.secret('alice-app-password')))).status).toBe(200);
      expect((await get('/2.0/user', asEmail('alice-app-password'))).status).toBe(401);
      settings.appPasswords = 'brownout';
      expect((await get('/2.0/user', basic('alice', world.secret('alice-app-password')))).status).toBe(401);
    } finally {
      delete settings.appPasswords;
    }
  });
});

describe('GET /2.0/repositories/{ws}/{slug}', () => {
  test('API token with read:repository:bitbucket → 200 with a clone link to the git listener', async () => {
    const r = await get('/2.0/repositories/acme/web', asEmail('alice-read'));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ full_name: 'acme/web', project: { key: 'WEB' } });
    expect(JSON.stringify(r.json)).toContain(`${world.emulator.gitUrl}/acme/web.git`);
  });

  test('API token without the repository scope → 403 naming the required scope', async () => {
    const r = await get('/2.0/repositories/acme/web', asEmail('alice-user-only'));
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ error: { detail: { required: ['read:repository:bitbucket'] } } });
  });

  test.each([
    ['web-repo-read', 'repo_access_token', 'repository'],
    ['web-repo-pr', 'repo_access_token', 'pullrequest'],
    ['acme-project-read', 'project_access_token', 'repository'],
    ['acme-workspace-write', 'workspace_access_token', 'repository:write'],
  ])('Bearer %s → 200 with x-credential-type %s', async (id, type, scopes) => {
    const r = await get('/2.0/repositories/acme/web', asBearer(id));
    expect(r.status).toBe(200);
    expect(r.headers.get('x-credential-type')).toBe(type);
    expect(r.headers.get('x-oauth-scopes')).toBe(scopes);
  });

  test('access token without a repository scope → 403 with granted/required', async () => {
    const r = await get('/2.0/repositories/acme/web', asBearer('web-repo-webhook'));
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ error: { detail: { granted: ['webhook'], required: ['repository'] } } });
  });

  test('no access (other account, other resource, missing repo) → noAccessStatus, 403 then 404', async () => {
    const cases = [
      () => get('/2.0/repositories/acme/secret', asEmail('alice-rw')),
      () => get('/2.0/repositories/acme/secret', asBearer('web-repo-read')),
      () => get('/2.0/repositories/acme/nope', asEmail('alice-rw')),
    ];
    for (const c of cases) expect((await c()).status).toBe(403);
    world.emulator.state.settings!.noAccessStatus = 404;
    try {
      for (const c of cases) expect((await c()).status).toBe(404);
    } finally {
      delete world.emulator.state.settings!.noAccessStatus;
    }
  });
});

describe('GET /2.0/user/workspaces, the removed endpoints, and the admin token listing', () => {
  test.each(['/2.0/workspaces', '/2.0/repositories?role=member', '/2.0/user/permissions/repositories'])(
    '%s is gone: 410 CHANGE-2770 for any caller (facts §11), which bbauth does not read as an app password',
    async (path) => {
      for (const auth of [asEmail('alice-rw'), undefined]) {
        const r = await get(path, auth);
        expect(r.status).toBe(410);
        expect(r.text).toMatch(/CHANGE-2770 - Functionality has been deprecated/);
        expect(classifyResponse(r.status, {}, r.text).kind).toBe('unexpected');
      }
    },
  );

  test('needs read:workspace:bitbucket; lists the workspaces the account can see', async () => {
    const ok = await get('/2.0/user/workspaces', asEmail('alice-rw'));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ size: 1, values: [{ workspace: { slug: 'acme' } }] });
    const denied = await get('/2.0/user/workspaces', asEmail('alice-read'));
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ error: { detail: { required: ['read:workspace:bitbucket'] } } });
  });

  test('admin key lists an account’s API tokens with expiry and last access, never secrets', async () => {
    await get('/2.0/user', asEmail('alice-rw'));
    const { accountId } = accountIds({ username: 'alice', email: 'alice@example.com' });
    const path = `/users/${encodeURIComponent(accountId)}/manage/api-tokens`;
    expect((await get(path, 'Bearer wrong-key')).status).toBe(401);
    const r = await get(path, 'Bearer admin-key-for-tests');
    expect(r.status).toBe(200);
    const list = r.json as unknown as { id: string; expiry: string; lastAccess: string | null }[];
    expect(list.map((t) => t.id)).toContain('alice-expired');
    expect(list.map((t) => t.id)).not.toContain('alice-revoked');
    expect(list.find((t) => t.id === 'alice-rw')).toMatchObject({
      expiry: '2027-01-15T09:00:00Z',
      lastAccess: '2026-09-01T00:00:00.000Z',
    });
    expect(r.text).not.toContain('ATATT');
    expect(world.emulator.requests.at(-1)).toMatchObject({ surface: 'admin', status: 200 });
  });
});

describe('git listener over plain HTTP', () => {
  test('401 carries the Basic realm challenge and the text git prints', async () => {
    const r = await get('/acme/web.git/info/refs?service=git-upload-pack', undefined, world.emulator.gitUrl);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Bitbucket.org HTTP"');
    const gone = await get(
      '/acme/web.git/info/refs?service=git-upload-pack',
      basic('alice', world.secret('alice-app-password')),
      world.emulator.gitUrl,
    );
    expect(gone.status).toBe(410);
    expect(gone.text).toBe(
      'CHANGE-3222 - Functionality has been deprecated\n' +
        'App passwords are deprecated and must be replaced with API tokens.\n' +
        'https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222\n',
    );
  });
  test('a push is judged as a push whatever the query string says', async () => {
    const res = await fetch(
      `${world.emulator.gitUrl}/acme/web.git/git-receive-pack?service=git-upload-pack`,
      {
        method: 'POST',
        headers: {
          authorization: basic('alice', world.secret('alice-read')),
          'content-type': 'application/x-git-receive-pack-request',
        },
        body: '0000',
      },
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Your credentials lack one or more required privilege scopes.\n');
    expect(world.emulator.requests.at(-1)).toMatchObject({ service: 'git-receive-pack', status: 403 });
  });
});

describe('faults and request recording', () => {
  test('429 with Retry-After for the next N requests, then normal service', async () => {
    world.emulator.setFaults({ rateLimit: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i++) {
      const r = await get('/2.0/user', asEmail('alice-rw'));
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('7');
    }
    expect((await get('/2.0/user', asEmail('alice-rw'))).status).toBe(200);
  });

  test('5xx (503 by default, or as configured)', async () => {
    world.emulator.setFaults({ serverError: { count: 1 } });
    expect((await get('/2.0/user', asEmail('alice-rw'))).status).toBe(503);
    world.emulator.setFaults({ serverError: { count: 1, status: 502 } });
    expect((await get('/2.0/user', asEmail('alice-rw'))).status).toBe(502);
    expect((await get('/2.0/user', asEmail('alice-rw'))).status).toBe(200);
  });

  test('dropped connection: no HTTP answer at all, recorded with status 0', async () => {
    world.emulator.setFaults({ dropConnections: 1 });
    await expect(get('/2.0/user', asEmail('alice-rw'))).rejects.toThrow();
    expect(world.emulator.requests.at(-1)).toMatchObject({ surface: 'rest', status: 0 });
    expect((await get('/2.0/user', asEmail('alice-rw'))).status).toBe(200);
  });

  test('delay applies to every response until cleared', async () => {
    world.emulator.setFaults({ delayMs: 300 });
    const t0 = Date.now();
    expect((await get('/2.0/user', asEmail('alice-rw'))).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    world.emulator.setFaults({});
    const t1 = Date.now();
    await get('/2.0/user', asEmail('alice-rw'));
    expect(Date.now() - t1).toBeLessThan(280);
  });

  test('faults hit the git listener too: real git reports the 503', async () => {
    world.emulator.setFaults({ serverError: { count: 1 } });
    const run = await gitWithCredential(world, ['ls-remote', world.repoUrl('acme/web')], {
      username: 'alice',
      secret: world.secret('alice-rw'),
    });
    expect(run.code).toBe(128);
    expect(run.stderr).toContain('The requested URL returned error: 503');
  });

  test('REST requests are recorded with the Basic username and token id, never the secret', async () => {
    const before = world.emulator.requests.length;
    await get('/2.0/repositories/acme/web', asEmail('alice-read'));
    await get('/2.0/repositories/acme/web', asBearer('web-repo-read'));
    const [a, b] = world.emulator.requests.slice(before);
    expect(a).toMatchObject({
      surface: 'rest',
      method: 'GET',
      path: '/2.0/repositories/acme/web',
      username: 'alice@example.com',
      tokenId: 'alice-read',
      status: 200,
    });
    expect(b).toMatchObject({ tokenId: 'web-repo-read', status: 200 });
    expect(b!.username).toBeUndefined();
    const log = JSON.stringify(world.emulator.requests);
    for (const t of world.emulator.state.tokens) expect(log).not.toContain(t.secret);
  });
});
