/**
 * Broken-in-a-known-way repositories for e2e tests: a repo with one remote, local/global config, a store file,
 * each with its own HOME so cases never see each other's credentials.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, type EmulatorWorld } from './emulator.js';

let n = 0;

export interface RepoCase {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

export interface RepoSpec {
  remote: string;
  config?: [string, string][];
  globalConfig?: [string, string][];
  /** Lines for ~/.git-credentials; also sets credential.helper=store globally. */
  store?: string[];
  /** Content of ~/.netrc. */
  netrc?: string;
  /** Make one commit so `git push` has something to push. */
  commit?: boolean;
}

/** Host:port of the emulator's git listener. */
export function gitHost(world: EmulatorWorld): string {
  return new URL(world.emulator.gitUrl).host;
}

/** An http URL to the emulator with optional user and secret. */
export function emuUrl(world: EmulatorWorld, user?: string, secret?: string, repo = 'acme/web'): string {
  const auth =
    user === undefined
      ? ''
      : secret === undefined
        ? `${encodeURIComponent(user)}@`
        : `${encodeURIComponent(user)}:${encodeURIComponent(secret)}@`;
  return `http://${auth}${gitHost(world)}/${repo}.git`;
}

/** A ~/.git-credentials line for the emulator. */
export function storeLine(world: EmulatorWorld, user: string, secret: string): string {
  return `http://${encodeURIComponent(user)}:${encodeURIComponent(secret)}@${gitHost(world)}`;
}

/** The environment of an isolated HOME in the sandbox, its global config started (default branch main). */
export function homeEnv(world: EmulatorWorld, home: string): NodeJS.ProcessEnv {
  world.sandbox.write(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
  return {
    ...world.sandbox.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    XDG_CONFIG_HOME: join(home, '.config'),
  };
}

/** Creates the repository and its isolated HOME. */
export async function makeRepo(world: EmulatorWorld, spec: RepoSpec): Promise<RepoCase> {
  const id = `${process.pid}-${++n}`;
  const dir = join(world.sandbox.root, `repo-${id}`);
  const home = join(world.sandbox.root, `home-${id}`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const env = homeEnv(world, home);
  await gitAsync(world.sandbox, ['init', '-q', dir], { env });
  await gitAsync(world.sandbox, ['remote', 'add', 'origin', spec.remote], { cwd: dir, env });
  for (const [k, v] of spec.config ?? [])
    await gitAsync(world.sandbox, ['config', '--add', k, v], { cwd: dir, env });
  for (const [k, v] of spec.globalConfig ?? [])
    await gitAsync(world.sandbox, ['config', '--global', '--add', k, v], { cwd: dir, env });
  if (spec.store) {
    world.sandbox.write(join(home, '.git-credentials'), spec.store.join('\n') + '\n', 0o600);
    await gitAsync(world.sandbox, ['config', '--global', 'credential.helper', 'store'], { cwd: dir, env });
  }
  if (spec.netrc) world.sandbox.write(join(home, '.netrc'), spec.netrc, 0o600);
  if (spec.commit)
    await gitAsync(world.sandbox, ['commit', '--allow-empty', '-qm', 'init'], { cwd: dir, env });
  return { dir, home, env };
}
