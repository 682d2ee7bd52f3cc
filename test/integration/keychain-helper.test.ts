/**
 * Which keychain helper `bbauth login` configures when none applies is decided by the environment bbauth was
 * given (its PATH, git's exec-path) and the platform passed in, never by the PATH of the process it runs in:
 * otherwise a libsecret or GCM install on the developer's machine changes what a sandboxed test sees.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { mintSecret } from '../../src/core/token/format.js';
import { helperSearchPath } from '../../src/git/helper-program.js';
import { findKeychainHelper, storeToken } from '../../src/services/store-token.js';
import { keychainFreeGitEnv } from '../helpers/keychain-free.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let n = 0;
beforeAll(() => {
  sandbox = createSandbox('bbauth-keychain-');
});
afterAll(() => sandbox.cleanup());

/** A folder holding a working `git-credential-<name>` for each name: a `store` helper in disguise. */
function helperDir(...names: string[]): string {
  const dir = join(sandbox.root, `helpers-${++n}`);
  mkdirSync(dir);
  for (const name of names) {
    writeFileSync(
      join(dir, `git-credential-${name}`),
      `#!/bin/sh\nexec git credential-store --file "$HOME/${name}-keychain" "$@"\n`,
      { mode: 0o755 },
    );
  }
  return dir;
}

/** A fresh HOME in the sandbox whose git finds no keychain helper, with `extraPath` first on PATH. */
function world(extraPath?: string): NodeJS.ProcessEnv {
  const home = join(sandbox.root, `home-${++n}`);
  mkdirSync(home);
  const git = keychainFreeGitEnv(sandbox);
  return {
    ...sandbox.env,
    ...git,
    PATH: extraPath ? `${extraPath}${delimiter}${git.PATH}` : git.PATH,
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
  };
}

const store = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform) =>
  storeToken({
    cwd: env.HOME!,
    env,
    endpoints: { bitbucketUrl: 'https://bitbucket.org', apiUrl: 'https://api.bitbucket.org' },
    secret: mintSecret('api-token'),
    kind: 'api-token',
    platform,
  });

describe('findKeychainHelper', () => {
  it.each([
    ['linux', ['libsecret'], 'libsecret'],
    ['linux', ['manager'], 'manager'],
    ['linux', ['manager', 'libsecret'], 'libsecret'],
    ['linux', ['osxkeychain'], undefined],
    ['darwin', ['osxkeychain', 'manager'], 'osxkeychain'],
    ['darwin', ['libsecret'], undefined],
    ['darwin', ['manager'], 'manager'],
    ['linux', [], undefined],
    ['win32', [], 'manager'],
  ] as const)('on %s with %j in the search path finds %s', async (platform, names, expected) => {
    expect(await findKeychainHelper(platform, [helperDir(...names)])).toBe(expected);
  });

  it('looks in every folder of the search path, in order', async () => {
    const dirs = [helperDir(), helperDir('manager'), helperDir('libsecret')];
    expect(await findKeychainHelper('linux', dirs)).toBe('libsecret');
    expect(await findKeychainHelper('linux', dirs.slice(0, 2))).toBe('manager');
  });
});

describe('helperSearchPath', () => {
  it("is git's exec-path, then the given environment's PATH", async () => {
    const extra = helperDir();
    const env = world(extra);
    expect(await helperSearchPath(env)).toEqual([env.GIT_EXEC_PATH, extra, keychainFreeGitEnv(sandbox).PATH]);
  });
});

describe('storeToken without a helper', () => {
  const machinePath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = machinePath;
  });

  it('ignores a libsecret on the PATH of the process when the given environment lacks it', async () => {
    process.env.PATH = `${helperDir('libsecret', 'manager')}${delimiter}${machinePath}`;
    const env = world();
    expect(await findKeychainHelper('linux', await helperSearchPath(env))).toBeUndefined();
    const refused = await store(env, 'linux').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toMatch(/no keychain helper was found/);
  });

  it('configures a libsecret on the given PATH, and the token is stored through it', async () => {
    const env = world(helperDir('libsecret'));
    const result = await store(env, 'linux');
    expect(result.configured).toBe('libsecret');
    expect(result.helpers).toEqual(['libsecret']);
    const key = sandbox.git(['config', '--global', '--get-all', 'credential.https://bitbucket.org.helper'], {
      env,
    });
    expect(key.stdout).toBe('libsecret\n');
    expect(readFileSync(join(env.HOME!, 'libsecret-keychain'), 'utf8')).toMatch(
      /^https:\/\/x-bitbucket-api-token-auth:/,
    );
  });

  it("does not take another platform's helper: libsecret on macOS is not a keychain", async () => {
    const refused = await store(world(helperDir('libsecret')), 'darwin').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
  });
});
