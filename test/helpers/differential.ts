/**
 * The cases of the differential test (doctor's prediction against real git), as data: where the credential
 * lives, which one, under which username, how the remote URL is written and which helper git asks. The suite
 * runs a fixed, full set and a fixed-seed sample of the whole product of these dimensions; the bench
 * (`npm run bench:differential`) runs a larger sample with a seed it prints. Every case is built for real: a
 * repository with its own HOME, a store file, a `.netrc`, or a credential-cache daemon on a socket in the
 * sandbox, filled by real `git credential approve`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, type EmulatorWorld } from './emulator.js';
import { emuUrl, gitHost, makeRepo, storeLine, type RepoCase, type RepoSpec } from './repos.js';

/**
 * Where git finds the credential: in the helper, the URL's password, `.netrc`, an askpass script git runs once
 * the helpers have nothing (doctor then runs with `--ask-askpass`), or nowhere.
 */
export const PLACES = ['helper', 'url', 'netrc', 'askpass', 'none'] as const;
export type Place = (typeof PLACES)[number];
/** The helper configured for the host (`none`: no credential.helper at all). */
export const HELPER_KINDS = ['store', 'cache', 'none'] as const;
export type HelperKind = (typeof HELPER_KINDS)[number];
/** Emulator token ids, plus a truncated paste of a working one. */
export const CREDENTIALS = [
  'alice-rw',
  'alice-read',
  'alice-unscoped',
  'alice-revoked',
  'alice-expired',
  'alice-app-password',
  'web-repo-write',
  'web-repo-read',
  'truncated',
] as const;
export type Cred = (typeof CREDENTIALS)[number];
/** `static`: the username the credential's kind needs. */
export const USERNAMES = ['static', 'alice', 'alice@example.com'] as const;
export type User = (typeof USERNAMES)[number];
/**
 * How the remote URL is written: `bare` (no userinfo), `user` (the credential's username in it, so git asks the
 * helper for that user), `token-user` (the secret pasted into the username field, no password).
 */
export const URL_FORMS = ['bare', 'user', 'token-user'] as const;
export type UrlForm = (typeof URL_FORMS)[number];

export interface Case {
  place: Place;
  helper: HelperKind;
  form: UrlForm;
  cred?: Cred;
  user?: User;
  /** A combination of places, built by hand (the other fields are then ignored). */
  combo?: {
    name: string;
    spec: () => RepoSpec;
    askPass?: () => string;
    /** More environment for doctor and git alike (a PATH with git-credential-bbauth, a token variable). */
    env?: (repo: RepoCase) => NodeJS.ProcessEnv;
  };
}

/** Whether a combination of dimensions describes a real setup (and one way to write it). */
function isValid(c: Case): boolean {
  if (c.place === 'none') return c.cred === undefined && c.user === undefined && c.form === 'bare';
  if (c.cred === undefined || c.user === undefined) return false;
  if (c.place === 'helper') return c.helper !== 'none';
  // A URL password decides alone; .netrc is read whatever the helper: one URL form each.
  if (c.place === 'url') return c.form === 'bare' && c.helper === 'none';
  return c.form !== 'token-user';
}

/** The askpass script a case plants: it answers git's two questions from files, so its argv holds no secret. */
export function askPassScript(
  world: EmulatorWorld,
  answer: { username: string; secret: string } | { exit: number },
): string {
  const dir = join(world.sandbox.root, `askpass-${Math.random().toString(36).slice(2)}`);
  const body =
    'exit' in answer
      ? `exit ${answer.exit}`
      : `case "$1" in\n  Username*) cat '${dir}/user' ;;\n  Password*) cat '${dir}/pass' ;;\nesac`;
  world.sandbox.write(join(dir, 'pass.sh'), `#!/bin/sh\n${body}\n`, 0o700);
  if (!('exit' in answer)) {
    world.sandbox.write(join(dir, 'user'), `${answer.username}\n`, 0o600);
    world.sandbox.write(join(dir, 'pass'), `${answer.secret}\n`, 0o600);
  }
  return join(dir, 'pass.sh');
}

/** Every valid combination of the dimensions, in a fixed order. */
export function allCases(): Case[] {
  const out: Case[] = [];
  for (const place of PLACES)
    for (const helper of HELPER_KINDS)
      for (const form of URL_FORMS) {
        if (place === 'none') {
          const c: Case = { place, helper, form };
          if (isValid(c)) out.push(c);
          continue;
        }
        for (const cred of CREDENTIALS)
          for (const user of USERNAMES) {
            const c: Case = { place, helper, form, cred, user };
            if (isValid(c)) out.push(c);
          }
      }
  return out;
}

/** mulberry32: a tiny seeded PRNG, so a sample is the same on every machine for the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` distinct cases drawn from `from` with `seed` (partial Fisher–Yates), skipping those in `except`. */
export function sampleCases(from: readonly Case[], size: number, seed: number, except: readonly Case[] = []) {
  const skip = new Set(except.map(caseLabel));
  const pool = from.filter((c) => !skip.has(caseLabel(c)));
  const next = prng(seed);
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

export const caseLabel = (c: Case): string => {
  if (c.combo) return c.combo.name;
  if (c.place === 'none') return `nothing stored (helper ${c.helper})`;
  const where =
    c.place === 'helper' ? c.helper : c.helper === 'none' ? c.place : `${c.place}, helper ${c.helper}`;
  return `${c.cred} as ${c.user} in ${where}${c.form === 'bare' ? '' : `, URL ${c.form}`}`;
};

/** Builds cases against one emulator: their secrets, repositories and credential-cache daemons. */
export class CaseBuilder {
  private sockets: string[] = [];
  private n = 0;

  constructor(private readonly world: EmulatorWorld) {}

  secretOf(cred: Cred): string {
    return cred === 'truncated' ? this.world.secret('alice-rw').slice(0, 150) : this.world.secret(cred);
  }

  /** Every secret a case can plant, for the no-leak canary. */
  allSecrets(): string[] {
    return CREDENTIALS.map((c) => this.secretOf(c));
  }

  usernameOf(c: Case): string {
    if (c.user !== 'static') return c.user!;
    return c.cred?.startsWith('web-repo') ? 'x-token-auth' : 'x-bitbucket-api-token-auth';
  }

  netrcFor(login: string, secret: string): string {
    return `machine ${new URL(`http://${gitHost(this.world)}`).hostname}\nlogin ${login}\npassword ${secret}\n`;
  }

  /** A fresh copy of the case: git erases a stored credential after a 401, so every run gets its own. */
  async make(c: Case): Promise<RepoCase> {
    if (c.combo) {
      const repo = await makeRepo(this.world, c.combo.spec());
      if (c.combo.askPass) repo.env = { ...repo.env, GIT_ASKPASS: c.combo.askPass() };
      if (c.combo.env) repo.env = { ...repo.env, ...c.combo.env(repo) };
      return repo;
    }
    const w = this.world;
    const secret = c.cred ? this.secretOf(c.cred) : undefined;
    const user = c.cred ? this.usernameOf(c) : undefined;
    const remote =
      c.form === 'token-user'
        ? emuUrl(w, secret)
        : c.place === 'url'
          ? emuUrl(w, user, secret)
          : emuUrl(w, c.form === 'user' ? user : undefined);
    const spec: RepoSpec = { remote, commit: true };
    let socket: string | undefined;
    // spec.store sets credential.helper=store itself; an empty store is configured by hand.
    if (c.helper === 'store' && c.place !== 'helper') spec.globalConfig = [['credential.helper', 'store']];
    if (c.helper === 'cache') {
      // Its own short socket in the sandbox (a unix socket path is limited to ~100 bytes), a daemon that ends
      // on its own if a run is killed before close() asks it to.
      const dir = join(w.sandbox.root, `cache-${++this.n}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      socket = join(dir, 's');
      this.sockets.push(socket);
      spec.globalConfig = [['credential.helper', `cache --timeout 300 --socket ${socket}`]];
    }
    if (c.place === 'helper' && c.helper === 'store') spec.store = [storeLine(w, user!, secret!)];
    if (c.place === 'netrc') spec.netrc = this.netrcFor(user!, secret!);
    const repo = await makeRepo(w, spec);
    if (c.place === 'helper' && c.helper === 'cache') await this.approve(repo, user!, secret!);
    if (c.place === 'askpass')
      repo.env = { ...repo.env, GIT_ASKPASS: askPassScript(w, { username: user!, secret: secret! }) };
    return repo;
  }

  /** `git credential approve` with the secret on stdin, as git itself stores one after a success. */
  private approve(repo: RepoCase, username: string, password: string): Promise<void> {
    const { protocol, host } = new URL(this.world.emulator.gitUrl);
    const input = `protocol=${protocol.replace(':', '')}\nhost=${host}\nusername=${username}\npassword=${password}\n\n`;
    return new Promise((resolve, reject) => {
      // Output ignored, and 'exit' rather than 'close': the daemon git-credential-cache starts outlives it and
      // must not hold a pipe of ours open.
      const child = spawn('git', ['credential', 'approve'], {
        cwd: repo.dir,
        env: repo.env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`git credential approve into the cache exited ${code}`));
      });
      child.stdin.end(input);
    });
  }

  /** Ends every credential-cache daemon the cases started (`git credential-cache exit`). */
  async close(): Promise<void> {
    const sockets = this.sockets.splice(0);
    await Promise.all(
      sockets.map((s) => gitAsync(this.world.sandbox, ['credential-cache', '--socket', s, 'exit'])),
    );
  }
}
