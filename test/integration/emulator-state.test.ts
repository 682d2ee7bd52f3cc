/** The emulator's state file, its demo state, and the pure git decision on inputs real git never sends. */
import { afterAll, describe, expect, test } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { hasValidChecksum, mintSecret } from '../../src/core/token/format.js';
import { decideGit, expandLegacyScopes, parseAuthorization } from '../../src/emulator/auth.js';
import { appPasswordMode, demoState, loadState } from '../../src/emulator/state.js';
import { createSandbox } from '../helpers/sandbox.js';

const sandbox = createSandbox('bbauth-emu-state-');
afterAll(() => sandbox.cleanup());

describe('demoState', () => {
  test('fresh, checksum-valid tokens of every kind with unique ids', () => {
    const a = demoState();
    const b = demoState();
    expect(new Set(a.tokens.map((t) => t.id)).size).toBe(a.tokens.length);
    for (const t of a.tokens) expect(hasValidChecksum(t.secret)).toBe(true);
    expect(a.tokens[0]!.secret).not.toBe(b.tokens[0]!.secret);
    expect(new Set(a.tokens.map((t) => t.kind))).toEqual(
      new Set(['api-token', 'app-password', 'access-token']),
    );
    expect(a.accounts[0]).toMatchObject({ username: 'alice', email: 'alice@example.com' });
  });

  test('app passwords retire on 2026-07-28 unless a setting overrides the clock', () => {
    const s = demoState();
    expect(appPasswordMode(s, new Date('2026-07-27T23:59:59Z'))).toBe('valid');
    expect(appPasswordMode(s, new Date('2026-07-28T00:00:00Z'))).toBe('retired');
    s.settings = { appPasswords: 'valid' };
    expect(appPasswordMode(s, new Date('2027-01-01T00:00:00Z'))).toBe('valid');
  });
});

describe('loadState', () => {
  test('round-trips a valid file', async () => {
    const state = demoState();
    const file = sandbox.write('state-ok.json', JSON.stringify(state));
    expect(await loadState(file)).toEqual(state);
  });

  test('bad JSON → AbortError naming the file, with any secret in V8’s snippet masked', async () => {
    const secret = mintSecret('api-token');
    const file = sandbox.write('state-bad.json', `{"tokens": [${secret}]}`);
    const error = await loadState(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('not valid JSON');
    expect((error as Error).message).not.toContain(secret);
  });

  test.each([
    ['[]', 'expected a JSON object'],
    ['{"accounts": [], "tokens": []}', '"repositories" must be an array'],
    ['{"accounts": [{"username": "a"}], "tokens": [], "repositories": []}', 'accounts[0]'],
    [
      '{"accounts": [], "tokens": [{"id": "x", "secret": "s", "kind": "pat"}], "repositories": []}',
      'tokens[0]',
    ],
    [
      '{"accounts": [], "tokens": [{"id": "x", "secret": "s", "kind": "api-token"}, {"id": "x", "secret": "t", "kind": "api-token"}], "repositories": []}',
      'used twice',
    ],
    [
      '{"accounts": [], "tokens": [], "repositories": [{"workspace": "..", "slug": "x", "permissions": {}}]}',
      'invalid',
    ],
  ])('bad shape %s → %s', async (text, message) => {
    const file = sandbox.write(`state-${Math.random().toString(36).slice(2)}.json`, text);
    await expect(loadState(file)).rejects.toThrow(message);
  });

  test('missing file → AbortError naming it', async () => {
    await expect(loadState(`${sandbox.root}/nope.json`)).rejects.toThrow(/nope\.json/);
  });
});

describe('pure git decision', () => {
  const state = demoState();
  const now = new Date('2026-09-01T00:00:00Z');
  const secret = (id: string) => state.tokens.find((t) => t.id === id)!.secret;
  const req = (authorization: string | undefined, operation: 'read' | 'write' = 'read') => ({
    authorization,
    workspace: 'acme',
    slug: 'web',
    operation,
  });

  test('Bearer and other schemes are not git credentials → 401', () => {
    expect(decideGit(state, now, req(`Bearer ${secret('alice-rw')}`))).toMatchObject({ status: 401 });
    expect(decideGit(state, now, req('Negotiate abc'))).toMatchObject({ status: 401 });
    expect(decideGit(state, now, req(undefined))).toMatchObject({ status: 401, outcome: 'no-credentials' });
  });

  test('REMOTE_USER is the account for personal tokens and the token id for access tokens', () => {
    const basic = (u: string, id: string) => `Basic ${Buffer.from(`${u}:${secret(id)}`).toString('base64')}`;
    expect(decideGit(state, now, req(basic('alice', 'alice-rw'), 'write'))).toMatchObject({
      status: 200,
      remoteUser: 'alice',
    });
    expect(decideGit(state, now, req(basic('x-token-auth', 'web-repo-write'), 'write'))).toMatchObject({
      status: 200,
      remoteUser: 'web-repo-write',
    });
  });

  test('parseAuthorization keeps colons in the password', () => {
    const header = `Basic ${Buffer.from('u:a:b').toString('base64')}`;
    expect(parseAuthorization(header)).toEqual({ scheme: 'basic', username: 'u', password: 'a:b' });
  });

  test('legacy scope implications follow facts §3.2; admin implies nothing', () => {
    expect([...expandLegacyScopes(['pullrequest:write'])].sort()).toEqual(
      ['pullrequest', 'pullrequest:write', 'repository', 'repository:write'].sort(),
    );
    expect(expandLegacyScopes(['repository:admin']).has('repository')).toBe(false);
  });
});
