/**
 * An isolated world for one test: its own HOME, XDG dirs, global git config and no system config, so nothing a
 * test does can read or touch the real user's git setup. Real git, real files, temp dirs removed afterwards.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sandbox {
  root: string;
  home: string;
  /** Environment for every child process of the test (git, bbauth). */
  env: NodeJS.ProcessEnv;
  /** Runs git synchronously in `cwd` (default: home) with the sandbox environment. Secrets go via `input`/env. */
  git(
    args: string[],
    opts?: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv },
  ): SpawnSyncReturns<string>;
  /** Writes a file relative to home (or absolute), creating directories. */
  write(path: string, content: string, mode?: number): string;
  cleanup(): void;
}

// Variables that would leak the developer's or CI's real setup into a test. The session bus and the display
// lead git-credential-libsecret to the developer's own keyring.
const LEAKY =
  /^(GIT_|GCM_|SSH_ASKPASS|BBAUTH_|BITBUCKET_|XDG_|HTTPS?_PROXY|https?_proxy|NO_PROXY|no_proxy|ALL_PROXY|DBUS_SESSION_BUS_ADDRESS$|DISPLAY$|WAYLAND_DISPLAY$)/;

/** Creates a sandbox; call cleanup() in afterEach/afterAll. */
export function createSandbox(prefix = 'bbauth-test-'): Sandbox {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, 'home');
  mkdirSync(join(home, '.config'), { recursive: true });
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!LEAKY.test(k)) base[k] = v;
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LC_ALL: 'C',
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
  return {
    root,
    home,
    env,
    git(args, opts = {}) {
      return spawnSync('git', args, {
        cwd: opts.cwd ?? home,
        env: { ...env, ...opts.env },
        input: opts.input ?? '',
        encoding: 'utf8',
        timeout: 60_000,
      });
    },
    write(path, content, mode) {
      const full = path.startsWith('/') ? path : join(home, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, content, mode === undefined ? undefined : { mode });
      return full;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
