/**
 * fix end to end: each doctor case goes red → `bbauth fix` → green, proven with real git (fetch and push, no
 * prompt), no secret left in .git/config or `git remote -v`, doctor clean afterwards. Plus dry-run, undo, a bad
 * new token, and canaries over every output and every file bbauth wrote.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emuUrl, makeRepo, storeLine, type RepoCase, type RepoSpec } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const secrets = () => world.emulator.state.tokens.map((t) => t.secret);
const flags = () => ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];

async function bbauth(c: RepoCase, args: string[], input = '') {
  const run = await runCli([...args, ...flags()], { cwd: c.dir, env: c.env, input });
  expectNoSecrets(run, secrets());
  return run;
}

async function doctorErrors(c: RepoCase): Promise<string[]> {
  const run = await bbauth(c, ['doctor', '--json']);
  return (JSON.parse(run.stdout) as { findings: { id: string; severity: string }[] }).findings
    .filter((f) => f.severity === 'error')
    .map((f) => f.id);
}

/** Real git, as the user would run it: fetch and push must succeed with no prompt. */
async function expectGitWorks(c: RepoCase) {
  const fetch = await gitAsync(world.sandbox, ['fetch', 'origin'], { cwd: c.dir, env: c.env });
  expect(fetch.code, fetch.stderr).toBe(0);
  const push = await gitAsync(
    world.sandbox,
    ['push', 'origin', `HEAD:refs/heads/fix-${Date.now()}-${Math.random().toString(36).slice(2)}`],
    { cwd: c.dir, env: c.env },
  );
  expect(push.code, push.stderr).toBe(0);
}

/** No planted secret in .git/config, `git remote -v`, or any file bbauth wrote other than the chosen store. */
async function expectNoSecretsLeft(c: RepoCase) {
  const config = readFileSync(join(c.dir, '.git', 'config'), 'utf8');
  const remotes = (await gitAsync(world.sandbox, ['remote', '-v'], { cwd: c.dir, env: c.env })).stdout;
  const bbauthDir = join(c.home, '.config', 'bbauth');
  const written = existsSync(bbauthDir)
    ? readdirSync(bbauthDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.parentPath.includes('backups'))
        .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
        .join('\n')
    : '';
  for (const s of secrets()) {
    expect(config).not.toContain(s);
    expect(config).not.toContain(encodeURIComponent(s));
    expect(remotes).not.toContain(encodeURIComponent(s).slice(0, 40));
    expect(written).not.toContain(s);
  }
}

interface Case {
  name: string;
  spec: () => RepoSpec;
  /** Token id fed to `fix --with-token` when a new token is needed. */
  newToken?: string;
  redIds: string[];
}

const CASES: Case[] = [
  {
    name: '1. helper token without repository scopes',
    spec: () => ({
      remote: emuUrl(world, 'x-bitbucket-api-token-auth'),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-user-only'))],
    }),
    newToken: 'alice-rw',
    redIds: ['missing-scope'],
  },
  {
    name: '2. unscoped token in the remote URL',
    spec: () => ({ remote: emuUrl(world, 'alice', world.secret('alice-unscoped')) }),
    newToken: 'alice-rw',
    redIds: ['credential-rejected', 'secret-in-remote-url'],
  },
  {
    name: '3a. x-token-auth with a good API token in the URL (moved into a helper)',
    spec: () => ({ remote: emuUrl(world, 'x-token-auth', world.secret('alice-rw')) }),
    redIds: ['wrong-static-username'],
  },
  {
    name: '3b. Bearer API token in http.extraHeader',
    spec: () => ({
      remote: emuUrl(world),
      config: [['http.extraHeader', `Authorization: Bearer ${world.secret('alice-rw')}`]],
    }),
    redIds: ['bearer-with-api-token'],
  },
  {
    name: '3c/4. email as git username (Jenkins style)',
    spec: () => ({
      remote: emuUrl(world, 'alice@example.com'),
      store: [storeLine(world, 'alice@example.com', world.secret('alice-rw'))],
    }),
    redIds: ['email-as-git-username'],
  },
  {
    name: '5. app password cached in ~/.git-credentials',
    spec: () => ({
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
    }),
    newToken: 'alice-rw',
    redIds: ['app-password-retired'],
  },
  {
    name: '6a. read-only token: push refused',
    spec: () => ({
      remote: emuUrl(world, 'x-bitbucket-api-token-auth'),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-read'))],
    }),
    newToken: 'alice-rw',
    redIds: ['push-not-permitted'],
  },
  {
    name: '6c. token pasted with one character missing',
    spec: () => {
      const t = world.secret('alice-rw');
      return {
        remote: emuUrl(world),
        store: [storeLine(world, 'x-bitbucket-api-token-auth', t.slice(0, 90) + t.slice(91))],
      };
    },
    newToken: 'alice-rw',
    redIds: ['token-checksum-mismatch'],
  },
  {
    name: 'app password in ~/.netrc',
    spec: () => ({
      remote: emuUrl(world),
      netrc: `machine ${new URL(world.emulator.gitUrl).hostname}\nlogin alice\npassword ${world.secret('alice-app-password')}\n`,
    }),
    newToken: 'alice-rw',
    redIds: ['app-password'],
  },
];

describe('bbauth fix: red → fix → green', () => {
  it.each(CASES)('$name', async (tc) => {
    const c = await makeRepo(world, { ...tc.spec(), commit: true });
    const before = await doctorErrors(c);
    expect(before).toEqual(expect.arrayContaining(tc.redIds));
    const input = tc.newToken ? world.secret(tc.newToken) : '';
    const run = await bbauth(
      c,
      ['fix', '--yes', '--helper', 'store', ...(tc.newToken ? ['--with-token'] : [])],
      input,
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Fixed\./);
    await expectGitWorks(c);
    await expectNoSecretsLeft(c);
    expect(await doctorErrors(c)).toEqual([]);
  });

  it('a healthy setup has nothing to do', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world, 'x-bitbucket-api-token-auth'),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    });
    const run = await bbauth(c, ['fix', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/nothing to change/);
  });
});

function hashes(c: RepoCase): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [
    join(c.dir, '.git', 'config'),
    join(c.home, '.gitconfig'),
    join(c.home, '.git-credentials'),
    join(c.home, '.netrc'),
  ]) {
    out[p] = existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent';
  }
  return out;
}

describe('bbauth fix: safety', () => {
  const urlSecretCase = () =>
    makeRepo(world, { remote: emuUrl(world, 'alice', world.secret('alice-rw')), commit: true });

  it('--offline sends nothing to Bitbucket, applies the shape-only plan, and says it did not verify', async () => {
    const c = await urlSecretCase();
    const before = world.emulator.requests.length;
    const run = await bbauth(c, ['fix', '--offline', '--yes', '--helper', 'store']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Not verified \(--offline\)/);
    expect(world.emulator.requests.length).toBe(before);
    await expectGitWorks(c);
    await expectNoSecretsLeft(c);
  });

  it('--dry-run prints the plan and changes nothing (file hashes equal)', async () => {
    const c = await urlSecretCase();
    const before = hashes(c);
    const run = await bbauth(c, ['fix', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { status: string; plan: { steps: { action: string }[] } };
    expect(out.status).toBe('planned');
    expect(out.plan.steps.map((s) => s.action)).toEqual(['store-credential', 'set-remote-url']);
    expect(hashes(c)).toEqual(before);
  });

  it('without a TTY and without --yes prints the plan and exits 2, changing nothing', async () => {
    const c = await urlSecretCase();
    const before = hashes(c);
    const run = await bbauth(c, ['fix']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/git remote set-url origin/);
    expect(run.stderr).toMatch(/--yes/);
    expect(hashes(c)).toEqual(before);
  });

  it('--undo restores every file byte for byte', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const before = hashes(c);
    expect(
      (await bbauth(c, ['fix', '--yes', '--with-token', '--helper', 'store'], world.secret('alice-rw'))).code,
    ).toBe(0);
    expect(hashes(c)).not.toEqual(before);
    const undo = await bbauth(c, ['fix', '--undo']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(hashes(c)).toEqual(before);
    expect((await bbauth(c, ['fix', '--undo'])).code).toBe(2);
  });

  it('backups holding secrets are 0600 in a 0700 folder, and --purge-backups removes them', async () => {
    const c = await urlSecretCase();
    expect((await bbauth(c, ['fix', '--yes', '--helper', 'store'])).code).toBe(0);
    const root = join(c.home, '.config', 'bbauth', 'backups');
    const [dir] = readdirSync(root);
    expect(statSync(join(root, dir!)).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(join(root, dir!)))
      expect(statSync(join(root, dir!, f)).mode & 0o777).toBe(0o600);
    expect((await bbauth(c, ['fix', '--purge-backups'])).code).toBe(0);
    expect(existsSync(root)).toBe(false);
  });

  it.each([
    ['an unscoped token (refused online)', 'alice-unscoped', 1],
    ['a read-only token when push is needed', 'alice-read', 1],
    ['an app password (refused offline)', 'alice-app-password', 2],
  ])('a bad new token changes nothing: %s', async (_l, tokenId, code) => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const before = hashes(c);
    const run = await bbauth(c, ['fix', '--yes', '--with-token', '--helper', 'store'], world.secret(tokenId));
    expect(run.code).toBe(code);
    expect(hashes(c)).toEqual(before);
  });

  it('checks a new token against REST for the email in BBAUTH_EMAIL, as login and doctor do', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const before = world.emulator.requests.length;
    const run = await runCli(['fix', '--yes', '--with-token', '--helper', 'store', ...flags()], {
      cwd: c.dir,
      env: { ...c.env, BBAUTH_EMAIL: 'alice@example.com' },
      input: world.secret('alice-rw'),
    });
    expectNoSecrets(run, secrets());
    expect(run.code, run.stderr).toBe(0);
    const identity = world.emulator.requests
      .slice(before)
      .filter((r) => r.surface === 'rest' && r.path === '/2.0/user');
    expect(identity.map((r) => [r.username, r.tokenId])).toContainEqual(['alice@example.com', 'alice-rw']);
  });

  it('a token from BBAUTH_TOKEN reaches no git child, helper or hook, and the pre-push hook never runs', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const token = world.secret('alice-rw');
    // A helper ahead of store that writes down the environment git gives it (and answers nothing), and a
    // pre-push hook that would leave a mark: both see what bbauth's git children would pass on.
    const seen = join(c.home, 'helper-env');
    const marker = join(c.home, 'pre-push-ran');
    await gitAsync(
      world.sandbox,
      ['config', '--global', '--add', 'credential.helper', `!env >> '${seen}'; true`],
      {
        cwd: c.dir,
        env: c.env,
      },
    );
    world.sandbox.write(join(c.dir, '.git', 'hooks', 'pre-push'), `#!/bin/sh\nenv > '${marker}'\n`, 0o755);
    const run = await runCli(['fix', '--yes', '--helper', 'store', ...flags()], {
      cwd: c.dir,
      env: { ...c.env, BBAUTH_TOKEN: token },
    });
    expectNoSecrets(run, secrets());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // The fix was verified with a push (so a hook would have run), and git asked the helpers.
    expect(run.stdout).toMatch(/push/);
    expect(existsSync(seen)).toBe(true);
    expect(readFileSync(seen, 'utf8')).not.toContain(token);
    expect(readFileSync(seen, 'utf8')).not.toContain('BBAUTH_TOKEN');
    expect(existsSync(marker)).toBe(false);
    await expectGitWorks(c);
  });

  it("scan after a fix reports bbauth's own backup as info, never the copies in it as leaks", async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const fixed = await bbauth(
      c,
      ['fix', '--yes', '--with-token', '--helper', 'store'],
      world.secret('alice-rw'),
    );
    expect(fixed.code, fixed.stderr).toBe(0);
    const run = await runCli(['scan', '--json', '--bitbucket-url', world.emulator.gitUrl, c.home], {
      cwd: c.home,
      env: c.env,
    });
    expectNoSecrets(run, secrets());
    const doc = JSON.parse(run.stdout) as {
      findings: { id: string; severity: string; location: { file?: string } }[];
    };
    const backups = join(c.home, '.config', 'bbauth', 'backups');
    const inBackups = doc.findings.filter((f) => f.location.file?.startsWith(backups));
    expect(inBackups.map((f) => [f.id, f.severity])).toEqual([['bbauth-backup', 'info']]);
    expect(doc.findings.map((f) => f.id)).not.toContain('app-password');
  });

  it("cleans up what a killed run left: temp files, half-made lock files and backups, not a live run's", async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    const cfg = join(c.home, '.config', 'bbauth');
    const debris = [
      // A store rewrite killed after its temp file was written: it holds the secret on its way in.
      world.sandbox.write(
        join(c.home, `..git-credentials.bbauth-${dead}-0a1b2c3d.tmp`),
        `${storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))}\n`,
        0o600,
      ),
      world.sandbox.write(join(cfg, `fix.lock.new-${dead}-deadbeef`), '{}', 0o600),
      world.sandbox.write(join(cfg, 'backups', `2026-11-30T00-00-00-000Z-${dead}`, 'file-0'), 'copy', 0o600),
    ];
    // A live process's temp file (this test's own pid) is not debris.
    const live = world.sandbox.write(
      join(c.home, `..gitconfig.bbauth-${process.pid}-00112233.tmp`),
      'x',
      0o600,
    );
    const run = await bbauth(
      c,
      ['fix', '--yes', '--with-token', '--helper', 'store'],
      world.secret('alice-rw'),
    );
    expect(run.code, run.stderr).toBe(0);
    for (const d of debris) expect(existsSync(d), d).toBe(false);
    expect(existsSync(live)).toBe(true);
    // The run's own backup is whole, so --undo still works.
    const undo = await bbauth(c, ['fix', '--undo']);
    expect(undo.code, undo.stderr).toBe(0);
  });

  it('all or nothing: a step that fails (.git/config.lock held) rolls back the token already stored', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world, 'alice', world.secret('alice-rw')),
      store: [storeLine(world, 'bob', world.secret('alice-read'))],
      commit: true,
    });
    const store = join(c.home, '.git-credentials');
    const config = join(c.dir, '.git', 'config');
    const before = { store: readFileSync(store), config: readFileSync(config) };
    // Another git (an IDE, a hung fetch) holds the repository's config lock: set-url cannot write it.
    world.sandbox.write(join(c.dir, '.git', 'config.lock'), '', 0o644);
    const run = await bbauth(c, ['fix', '--yes', '--helper', 'store']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/rolled back this run: .*\.git-credentials restored from the backup/);
    expect(readFileSync(store).equals(before.store)).toBe(true);
    expect(readFileSync(config).equals(before.config)).toBe(true);
    // Once the lock is gone, the same command finishes the job.
    rmSync(join(c.dir, '.git', 'config.lock'));
    const again = await bbauth(c, ['fix', '--yes', '--helper', 'store']);
    expect(again.code, again.stderr).toBe(0);
    await expectGitWorks(c);
  });

  it('a store file readable by others is narrowed to 0600 when the user keeps the store, and --undo widens it back', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
      commit: true,
    });
    const store = join(c.home, '.git-credentials');
    chmodSync(store, 0o644);
    const run = await bbauth(c, ['fix', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`chmod 600 ${store}`);
    expect(statSync(store).mode & 0o777).toBe(0o600);
    // The user keeps the store: the token stays in it.
    expect(decodeURIComponent(readFileSync(store, 'utf8'))).toContain(world.secret('alice-rw'));
    await expectGitWorks(c);
    const undo = await bbauth(c, ['fix', '--undo']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(statSync(store).mode & 0o777).toBe(0o644);
  });

  it("keeps the neighbours working: a user@ remote gets the new token under its username, another account's working entry stays", async () => {
    const fixed = await makeRepo(world, {
      remote: emuUrl(world),
      store: [
        storeLine(world, 'alice', world.secret('alice-app-password')),
        storeLine(world, 'bob', world.secret('bob-rw')),
      ],
      commit: true,
    });
    // Two more checkouts under the same HOME, whose remotes name a user.
    const neighbour = async (user: string) => {
      const r = await makeRepo(world, { remote: emuUrl(world, user), commit: true });
      return { ...r, env: fixed.env, home: fixed.home };
    };
    const asAlice = await neighbour('alice');
    const asBob = await neighbour('bob');
    const fetch = (c: RepoCase) =>
      gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: c.dir, env: c.env });
    expect((await fetch(asBob)).code).toBe(0);
    expect((await fetch(asAlice)).code).not.toBe(0);

    const run = await bbauth(
      fixed,
      ['fix', '--yes', '--with-token', '--helper', 'store'],
      world.secret('alice-rw'),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await expectGitWorks(fixed);
    for (const c of [asAlice, asBob]) {
      const r = await fetch(c);
      expect(r.code, r.stderr).toBe(0);
    }
    const store = decodeURIComponent(readFileSync(join(fixed.home, '.git-credentials'), 'utf8'));
    expect(store).not.toContain(world.secret('alice-app-password'));
    expect(store).toContain(world.secret('bob-rw'));
  });

  it('needs a token and has none: prints the plan, says how to give one, exit 2', async () => {
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
    });
    const run = await bbauth(c, ['fix', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--with-token/);
  });
});

describe('bbauth fix --to-ssh', () => {
  it('converts Bitbucket remotes to SSH when a key exists, and drops the secret from the URL', async () => {
    const c = await makeRepo(world, { remote: emuUrl(world, 'alice', world.secret('alice-app-password')) });
    world.sandbox.write(join(c.home, '.ssh', 'id_ed25519'), 'not a real key\n', 0o600);
    const run = await bbauth(c, ['fix', '--to-ssh', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    const url = (
      await gitAsync(world.sandbox, ['remote', 'get-url', 'origin'], { cwd: c.dir, env: c.env })
    ).stdout.trim();
    expect(url).toBe(`git@${new URL(world.emulator.gitUrl).hostname}:acme/web.git`);
    await expectNoSecretsLeft(c);
  });

  it('refuses without an SSH key and changes nothing', async () => {
    const c = await makeRepo(world, { remote: emuUrl(world, 'alice', world.secret('alice-app-password')) });
    const before = hashes(c);
    const run = await runCli(['fix', '--to-ssh', '--yes', ...flags()], {
      cwd: c.dir,
      env: { ...c.env, SSH_AUTH_SOCK: '' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ssh-keygen/);
    expect(hashes(c)).toEqual(before);
  });
});
