/**
 * The helper's fast records look-up must read exactly what src/store/records.ts writes, at the same path: it
 * exists only to keep env-paths off the helper's start-up path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupRecord, plainRecordsPath } from '../../src/helper/records-lookup.js';
import { runHelper } from '../../src/helper/run.js';
import { recordsPath, updateRecords, upsertRecord } from '../../src/store/records.js';
import { fingerprint } from '../../src/core/redact.js';
import { mintSecret } from '../../src/core/token/format.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());

describe('records look-up for the helper', () => {
  it.each([
    ['BBAUTH_CONFIG_DIR', (s: Sandbox) => ({ BBAUTH_CONFIG_DIR: join(s.root, 'cfg'), HOME: s.home })],
    ['XDG_CONFIG_HOME', (s: Sandbox) => ({ XDG_CONFIG_HOME: join(s.root, 'xdg'), HOME: s.home })],
    ['HOME on Linux', (s: Sandbox) => ({ HOME: s.home })],
  ])("uses records.ts's path with %s", (_name, make) => {
    sandbox = createSandbox();
    const env = make(sandbox);
    if (process.platform === 'linux' || !('HOME' in env && Object.keys(env).length === 1)) {
      expect(plainRecordsPath(env)).toBe(recordsPath(env));
    }
  });

  it('follows the platform rules of configDir (macOS)', () => {
    expect(plainRecordsPath({ HOME: '/Users/u' }, 'darwin')).toBe(
      '/Users/u/Library/Preferences/bbauth/records.json',
    );
  });

  it('finds the expiry records.ts wrote, by digest, and nothing for other tokens', async () => {
    sandbox = createSandbox();
    const env = { BBAUTH_CONFIG_DIR: join(sandbox.root, 'cfg') };
    const token = mintSecret('api-token');
    expect(await lookupRecord(token, env)).toBeUndefined();
    await updateRecords((f) => {
      upsertRecord(
        f,
        token,
        { fingerprint: fingerprint(token), kind: 'api-token', host: 'bitbucket.org', expires: '2027-03-01' },
        new Date(),
      );
    }, env);
    expect((await lookupRecord(token, env))?.expires).toBe('2027-03-01');
    expect(await lookupRecord(mintSecret('api-token'), env)).toBeUndefined();
  });

  it("names a corrupt file without crashing the caller's logic", async () => {
    sandbox = createSandbox();
    const env = { BBAUTH_CONFIG_DIR: sandbox.root };
    writeFileSync(join(sandbox.root, 'records.json'), '{not json');
    await expect(lookupRecord(mintSecret('api-token'), env)).rejects.toThrow(
      /records file .*records.json is corrupt/,
    );
  });
});

describe('the helper notes what worked without rewriting the records on every git operation', () => {
  const host = 'bitbucket.org';
  const store = (env: NodeJS.ProcessEnv, token: string, username: string, now: Date, action = 'store') =>
    runHelper({
      argv: [action],
      env,
      now,
      readRequest: async () => `protocol=https\nhost=${host}\nusername=${username}\npassword=${token}\n\n`,
    });
  const recordsText = (env: NodeJS.ProcessEnv) => readFileSync(recordsPath(env), 'utf8');

  it('writes lastWorked once an hour at most, and again after a failure or for a new username', async () => {
    sandbox = createSandbox();
    const token = mintSecret('api-token');
    const env = { BBAUTH_CONFIG_DIR: join(sandbox.root, 'cfg'), BBAUTH_TOKEN: token };
    const t0 = new Date('2026-12-03T10:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    await store(env, token, 'x-bitbucket-api-token-auth', t0);
    const first = recordsText(env);
    expect(JSON.parse(first).credentials[0].lastWorked).toBe(t0.toISOString());

    await store(env, token, 'x-bitbucket-api-token-auth', at(30));
    expect(recordsText(env), 'a store 30 minutes later changes nothing').toBe(first);

    await store(env, token, 'alice', at(31));
    expect(JSON.parse(recordsText(env)).credentials[0].usernames).toContain('alice');

    await store(env, token, 'alice', at(95));
    expect(JSON.parse(recordsText(env)).credentials[0].lastWorked).toBe(at(95).toISOString());

    await store(env, token, 'alice', at(96), 'erase');
    await store(env, token, 'alice', at(97));
    const after = JSON.parse(recordsText(env)).credentials[0];
    expect(after.lastFailed).toBe(at(96).toISOString());
    expect(after.lastWorked, 'a store after a failure is written at once').toBe(at(97).toISOString());
  });
});
