/**
 * A whole HOME as a developer's desktop plus a deploy checkout look after the app-password retirement, for the
 * `bbauth fix --all` tests: five repositories (each broken, or working, in its own way), a retired app password
 * in ~/.git-credentials, a `.netrc` entry and Composer's auth.json.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { demoState } from '../../src/emulator/state.js';
import { gitAsync, withEmulator, type EmulatorWorld } from './emulator.js';
import { gitHost, homeEnv } from './repos.js';
import { emulatorFlags } from './emulator.js';

/** The demo emulator with the machine's repositories: acme/api and acme/docs (alice), acme/lib (bob). */
export function machineWorld(): Promise<EmulatorWorld> {
  const state = demoState();
  state.repositories.push(
    { workspace: 'acme', slug: 'api', project: 'WEB', permissions: { alice: 'write' } },
    { workspace: 'acme', slug: 'docs', project: 'WEB', permissions: { alice: 'write' } },
    { workspace: 'acme', slug: 'lib', project: 'WEB', permissions: { bob: 'write' } },
  );
  return withEmulator(state);
}

/** `bbauth fix --all --yes` with the new token on stdin, the store helper and alice's email; then `extra`. */
export function fixAllArgs(world: EmulatorWorld, ...extra: string[]): string[] {
  return [
    'fix',
    '--all',
    '--yes',
    '--with-token',
    '--helper',
    'store',
    '--email',
    'alice@example.com',
    ...extra,
    ...emulatorFlags(world),
  ];
}

export interface Machine {
  home: string;
  env: NodeJS.ProcessEnv;
  repos: Record<'api' | 'docs' | 'web' | 'deploy' | 'lib', string>;
  /** Every file the fix may touch, for the byte-for-byte comparison. */
  files: string[];
}

let n = 0;

export async function machine(
  world: EmulatorWorld,
  opts: { helper: string } = { helper: 'store' },
): Promise<Machine> {
  const home = join(world.sandbox.root, `fixall-home-${process.pid}-${++n}`);
  mkdirSync(home, { recursive: true });
  const env = { ...homeEnv(world, home), COMPOSER_HOME: join(home, '.config', 'composer') };
  const host = gitHost(world);
  const app = world.secret('alice-app-password');
  const url = (auth: string, repo: string) => `http://${auth}${host}/acme/${repo}.git`;
  const repos = {
    // 1. `user@` URL: the helper's entry for alice is the retired app password.
    api: { dir: join(home, 'code', 'api'), remote: url('alice@', 'api'), commit: true },
    // 2. The retired app password in the URL itself.
    docs: { dir: join(home, 'code', 'docs'), remote: url(`alice:${app}@`, 'docs'), commit: true },
    // 3. Clean static username; nothing is stored under it yet.
    web: { dir: join(home, 'code', 'web'), remote: url('x-bitbucket-api-token-auth@', 'web'), commit: true },
    // 4. A deploy checkout with a repository access token in its URL (it only pulls).
    deploy: {
      dir: join(home, 'srv', 'deploy'),
      remote: url(`x-token-auth:${world.secret('web-repo-read')}@`, 'web'),
      commit: false,
      need: 'fetch',
    },
    // 5. Works today with bob's token stored under bob: it must still work afterwards.
    lib: { dir: join(home, 'code', 'lib'), remote: url('bob@', 'lib'), commit: true },
  };
  for (const r of Object.values(repos)) {
    mkdirSync(r.dir, { recursive: true });
    await gitAsync(world.sandbox, ['init', '-q', r.dir], { env });
    await gitAsync(world.sandbox, ['remote', 'add', 'origin', r.remote], { cwd: r.dir, env });
    if ('need' in r) await gitAsync(world.sandbox, ['config', 'bbauth.need', r.need], { cwd: r.dir, env });
    if (r.commit)
      await gitAsync(world.sandbox, ['commit', '--allow-empty', '-qm', 'init'], { cwd: r.dir, env });
  }
  const store = join(home, '.git-credentials');
  world.sandbox.write(
    store,
    `http://alice:${encodeURIComponent(app)}@${host}\nhttp://bob:${encodeURIComponent(world.secret('bob-rw'))}@${host}\n`,
    0o600,
  );
  await gitAsync(world.sandbox, ['config', '--global', 'credential.helper', opts.helper], { env });
  const netrc = join(home, '.netrc');
  world.sandbox.write(netrc, `machine 127.0.0.1\n  login alice\n  password ${app}\n`, 0o600);
  const auth = join(home, '.config', 'composer', 'auth.json');
  mkdirSync(join(home, '.config', 'composer'), { recursive: true });
  world.sandbox.write(
    auth,
    JSON.stringify(
      {
        'http-basic': { '127.0.0.1': { username: 'alice', password: app } },
        'github-oauth': { 'github.com': 'not-ours' },
      },
      null,
      4,
    ) + '\n',
    0o600,
  );
  const dirs = Object.fromEntries(Object.entries(repos).map(([k, r]) => [k, r.dir])) as Machine['repos'];
  return {
    home,
    env,
    repos: dirs,
    files: [
      join(home, '.gitconfig'),
      store,
      netrc,
      auth,
      ...Object.values(dirs).map((d) => join(d, '.git', 'config')),
    ],
  };
}

/** Every file's text (undefined: absent). */
export const snapshot = (m: Machine) =>
  new Map(m.files.map((f) => [f, existsSync(f) ? readFileSync(f, 'utf8') : undefined]));

/** Real git as the user runs it, no prompt: fetch, and push to a branch of its own except in the deploy checkout. */
export async function fetchAndPush(world: EmulatorWorld, m: Machine, repo: keyof Machine['repos']) {
  const env = { ...m.env, GIT_TERMINAL_PROMPT: '0' };
  const fetch = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: m.repos[repo], env });
  const push =
    repo === 'deploy'
      ? undefined
      : await gitAsync(world.sandbox, ['push', '-q', 'origin', `HEAD:refs/heads/${basename(m.home)}`], {
          cwd: m.repos[repo],
          env,
        });
  return { fetch: fetch.code, push: push?.code, stderr: fetch.stderr + (push?.stderr ?? '') };
}
