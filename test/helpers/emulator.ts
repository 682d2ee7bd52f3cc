/**
 * Test helpers around the emulator: start one with a sandbox, run real git against it asynchronously, and hand
 * git a credential the way users do.
 *
 * Why async: the emulator runs in the test's own process, so a synchronous spawn (sandbox.git() uses spawnSync)
 * would block the event loop the emulator answers on and deadlock. Use gitAsync()/gitWithCredential() here.
 *
 * How a secret reaches git: through a 0600 `store` file in the sandbox HOME, written fresh for every call and
 * selected with `-c credential.helper= -c credential.helper='store --file=…'`. argv carries only the file path,
 * never the secret, and the flow is the real one: anonymous request → 401 challenge → helper → retry (and on a
 * second 401 git erases the stored entry, which is why the file is rewritten per call).
 */
import { spawnCollect, type Run } from './spawn.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { demoState, type EmulatorState } from '../../src/emulator/state.js';
import { createSandbox, type Sandbox } from './sandbox.js';

export type GitRun = Run;

export interface EmulatorWorld {
  emulator: Emulator;
  sandbox: Sandbox;
  /** The secret of a token in the emulator's state, by id. */
  secret(id: string): string;
  /** Clone URL of a repository: `${gitUrl}/${ws}/${slug}.git`. */
  repoUrl(fullName: string): string;
  close(): Promise<void>;
}

/** Starts an emulator (demo state by default) plus an isolated sandbox; call close() in afterAll. */
export async function withEmulator(state: EmulatorState = demoState()): Promise<EmulatorWorld> {
  const emulator = await startEmulator({ state });
  const sandbox = createSandbox('bbauth-emu-');
  return {
    emulator,
    sandbox,
    secret(id) {
      const token = emulator.state.tokens.find((t) => t.id === id);
      if (!token) throw new Error(`no token "${id}" in the emulator state`);
      return token.secret;
    },
    repoUrl: (fullName) => `${emulator.gitUrl}/${fullName}.git`,
    async close() {
      await emulator.close();
      sandbox.cleanup();
    },
  };
}

/** The flags that point bbauth at the emulator. */
export function emulatorFlags(world: EmulatorWorld): string[] {
  return ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];
}

/** Runs git asynchronously with the sandbox environment (never prompts). */
export function gitAsync(
  sandbox: Sandbox,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GitRun> {
  return spawnCollect('git', args, {
    cwd: opts.cwd ?? sandbox.home,
    env: { ...sandbox.env, ...opts.env },
    timeoutMs: 30_000,
  });
}

let storeCounter = 0;

/**
 * Runs `git <args>` with exactly one credential available from a fresh 0600 store file for the emulator's git
 * origin. `username` is what the user typed (Bitbucket username, email, x-token-auth…).
 */
export function gitWithCredential(
  world: EmulatorWorld,
  args: string[],
  cred: { username: string; secret: string },
  opts: { cwd?: string } = {},
): Promise<GitRun> {
  const origin = new URL(world.emulator.gitUrl);
  const file = join(world.sandbox.home, `.git-credentials-${process.pid}-${++storeCounter}`);
  const line = `${origin.protocol}//${encodeURIComponent(cred.username)}:${encodeURIComponent(cred.secret)}@${origin.host}\n`;
  writeFileSync(file, line, { mode: 0o600 });
  return gitAsync(
    world.sandbox,
    ['-c', 'credential.helper=', '-c', `credential.helper=store --file=${file}`, ...args],
    opts,
  );
}
