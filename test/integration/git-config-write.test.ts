/**
 * Every git config write bbauth makes goes through src/git/config.ts; these run real git against files in a
 * sandbox and read the result back with git.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { addConfig, setConfig, unsetConfig } from '../../src/git/config.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let io: { cwd: string; env: NodeJS.ProcessEnv };
const GLOBAL = { scope: 'global' } as const;
const KEY = 'credential.https://bitbucket.org.helper';

beforeAll(() => {
  sandbox = createSandbox('bbauth-config-');
  io = { cwd: sandbox.home, env: sandbox.env };
});
afterAll(() => sandbox.cleanup());
beforeEach(() => writeFileSync(sandbox.env.GIT_CONFIG_GLOBAL!, ''));

/** Every value of `key` in the global file (or `file`), in order. */
const values = (key: string, file?: string): string[] =>
  sandbox
    .git(['config', ...(file ? ['--file', file] : ['--global']), '-z', '--get-all', key])
    .stdout.split('\0')
    .slice(0, -1);

describe('git config writes', () => {
  it('adds values in order, and replaceAll replaces them all with one', async () => {
    await addConfig(GLOBAL, KEY, '', io);
    await addConfig(GLOBAL, KEY, 'store --file=/tmp/a.b', io);
    expect(values(KEY)).toEqual(['', 'store --file=/tmp/a.b']);
    await setConfig(GLOBAL, KEY, 'cache', { ...io, replaceAll: true });
    expect(values(KEY)).toEqual(['cache']);
  });

  it('sets a single-valued key, and refuses (AbortError naming the command) when the key has several values', async () => {
    await setConfig(GLOBAL, 'credential.bitbucketValidateStoredCredentials', 'false', io);
    expect(values('credential.bitbucketValidateStoredCredentials')).toEqual(['false']);
    await addConfig(GLOBAL, KEY, 'a', io);
    await addConfig(GLOBAL, KEY, 'b', io);
    const refused = await setConfig(GLOBAL, KEY, 'c', io).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AbortError);
    expect((refused as Error).message).toContain(`git config --global ${KEY} c failed`);
    expect(values(KEY)).toEqual(['a', 'b']);
  });

  it('unsets only the value given, taken literally, and says when there was nothing to unset', async () => {
    await addConfig(GLOBAL, KEY, 'store --file=/tmp/a.b', io);
    await addConfig(GLOBAL, KEY, 'store --file=/tmp/aXb', io);
    expect(await unsetConfig(GLOBAL, KEY, { ...io, value: 'store --file=/tmp/a.b' })).toBe(true);
    expect(values(KEY)).toEqual(['store --file=/tmp/aXb']);
    expect(await unsetConfig(GLOBAL, KEY, { ...io, value: 'store --file=/tmp/a.b' })).toBe(false);
    expect(await unsetConfig(GLOBAL, KEY, io)).toBe(true);
    expect(values(KEY)).toEqual([]);
    expect(await unsetConfig(GLOBAL, KEY, io)).toBe(false);
  });

  it('writes a file named by path, leaving the global file alone', async () => {
    const file = join(sandbox.root, 'other.config');
    writeFileSync(file, '[http]\n\textraHeader = X-A: 1\n\textraHeader = X-B: 2\n');
    expect(await unsetConfig({ file }, 'http.extraHeader', io)).toBe(true);
    expect(values('http.extraHeader', file)).toEqual([]);
    await setConfig({ file }, 'core.askPass', '', io);
    expect(values('core.askPass', file)).toEqual(['']);
    expect(values('core.askPass')).toEqual([]);
  });

  it('fails with AbortError when git cannot write (the config is locked)', async () => {
    writeFileSync(`${sandbox.env.GIT_CONFIG_GLOBAL!}.lock`, '');
    try {
      await expect(addConfig(GLOBAL, KEY, 'store', io)).rejects.toThrow(AbortError);
      await expect(unsetConfig(GLOBAL, KEY, io)).rejects.toThrow(/could not lock/);
    } finally {
      rmSync(`${sandbox.env.GIT_CONFIG_GLOBAL!}.lock`);
    }
  });
});

describe("fix's GCM step over a key set twice", () => {
  it('applyPlan sets credential.bitbucketValidateStoredCredentials once, whatever values it held', async () => {
    const { applyPlan } = await import('../../src/services/fix-apply.js');
    const { gcmWorkaroundSteps } = await import('../../src/core/steps/commands.js');
    const key = 'credential.bitbucketValidateStoredCredentials';
    await addConfig(GLOBAL, key, 'true', io);
    await addConfig(GLOBAL, key, 'true', io);
    const plan = {
      schemaVersion: 1 as const,
      steps: gcmWorkaroundSteps(),
      needsToken: false,
      manual: [],
      verify: [],
    };
    await applyPlan(plan, new Map(), {
      ...io,
      endpoints: { bitbucketUrl: 'https://bitbucket.org', apiUrl: 'https://api.bitbucket.org' },
      now: new Date('2026-12-02T00:00:00Z'),
    });
    expect(values(key)).toEqual(['false']);
  });
});
