/**
 * `bbauth fix --all` on a whole HOME, with real git against the emulator: five repositories that break in
 * different ways (or work and must keep working), a retired app password in ~/.git-credentials, a `.netrc` entry
 * and Composer's auth.json. One run fixes them all, real git then fetches (and pushes where it should) in every
 * one with no prompt, no secret is left in any .git/config or .netrc, and `--undo` puts every file back byte for
 * byte. A helper that cannot keep the token changes nothing.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, gitAsync, type EmulatorWorld } from '../helpers/emulator.js';
import { gitHost } from '../helpers/repos.js';
import {
  fetchAndPush,
  fixAllArgs,
  machine,
  machineWorld,
  snapshot,
  type Machine,
} from '../helpers/machine.js';
import { requireProgram, requireSecretServiceClients } from '../helpers/secret-service.js';
import { spawnCollect } from '../helpers/spawn.js';

let world: EmulatorWorld;

beforeAll(async () => {
  world = await machineWorld();
});
afterAll(async () => world?.close());

const allSecrets = () => world.emulator.state.tokens.map((t) => t.secret);

describe('bbauth fix --all', () => {
  it('fixes every repository on the machine in one run, keeps the working one working, and undoes byte for byte', async () => {
    const m = await machine(world);
    const before = snapshot(m);
    // Before: all fail; the lib checkout only because .netrc sends the app password before bob's stored token.
    const lib = await fetchAndPush(world, m, 'lib');
    expect(lib.stderr).toMatch(/410/);
    expect((await fetchAndPush(world, m, 'api')).fetch).not.toBe(0);
    expect((await fetchAndPush(world, m, 'web')).fetch).not.toBe(0);

    const dry = await runCli(['fix', '--all', '--dry-run', ...emulatorFlags(world)], {
      cwd: m.home,
      env: m.env,
    });
    expectNoSecrets(dry, allSecrets());
    expect(snapshot(m)).toEqual(before);
    // The plan was printed as asked: exit 0, though applying it will need a token (which it says).
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/--with-token/);

    const run = await runCli(fixAllArgs(world, '--json'), {
      cwd: m.home,
      env: m.env,
      input: world.secret('alice-rw'),
    });
    expectNoSecrets(run, allSecrets());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      status: string;
      repositories: { repository: string; role: string; after: { fetch: string; push: string }[] }[];
    };
    expect(out.status).toBe('applied');
    const roles = Object.fromEntries(out.repositories.map((r) => [r.repository, r.role]));
    expect(roles).toEqual({
      [m.repos.api]: 'shared',
      [m.repos.docs]: 'shared',
      [m.repos.web]: 'shared',
      [m.repos.deploy]: 'own',
      [m.repos.lib]: 'keep',
    });
    for (const r of out.repositories)
      for (const a of r.after) {
        expect(a.fetch, r.repository).toBe('ok');
        expect(a.push, r.repository).not.toBe('failed');
      }

    // Real git, as the user runs it: every repository fetches, and pushes where it should, with no prompt.
    for (const repo of Object.keys(m.repos) as (keyof Machine['repos'])[]) {
      const r = await fetchAndPush(world, m, repo);
      expect(r.fetch, `${repo}: ${r.stderr}`).toBe(0);
      if (repo !== 'deploy') expect(r.push, `${repo}: ${r.stderr}`).toBe(0);
    }
    // No secret in any .git/config, ~/.gitconfig or .netrc; the store file is the helper the user chose.
    for (const f of m.files.filter((f) => !f.endsWith('.git-credentials') && !f.endsWith('auth.json'))) {
      const text = existsSync(f) ? readFileSync(f, 'utf8') : '';
      for (const s of allSecrets()) expect(text.includes(s), f).toBe(false);
    }
    const store = decodeURIComponent(readFileSync(join(m.home, '.git-credentials'), 'utf8'));
    expect(store).not.toContain(world.secret('alice-app-password'));
    expect(store).toContain(`bob:${world.secret('bob-rw')}@`);
    expect(statSync(join(m.home, '.git-credentials')).mode & 0o777).toBe(0o600);
    // Composer: the Atlassian email and the new token, everything else in the file kept.
    const auth = JSON.parse(readFileSync(m.files[3]!, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(auth['http-basic']!['127.0.0.1']).toEqual({
      username: 'alice@example.com',
      password: world.secret('alice-rw'),
    });
    expect(auth['github-oauth']).toEqual({ 'github.com': 'not-ours' });

    const undo = await runCli(['fix', '--undo'], { cwd: m.home, env: m.env });
    expect(undo.code, undo.stderr).toBe(0);
    expect(snapshot(m)).toEqual(before);
  });

  it('changes nothing when the configured helper cannot keep a token, and honours --helper on the rerun', async () => {
    requireSecretServiceClients(world.sandbox);
    // libsecret with no session bus: a headless server. The app password sits in an unused store file.
    const m = await machine(world, { helper: 'libsecret' });
    chmodSync(join(m.home, '.netrc'), 0o644);
    const before = snapshot(m);
    const modes = m.files.map((f) => statSync(f).mode);
    const args = [
      'fix',
      '--all',
      '--yes',
      '--with-token',
      '--email',
      'alice@example.com',
      ...emulatorFlags(world),
    ];
    const run = await runCli(args, { cwd: m.home, env: m.env, input: world.secret('alice-rw') });
    expectNoSecrets(run, allSecrets());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no configured credential helper can keep a token here \(libsecret/);
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(run.stderr).toMatch(/--helper store/);
    expect(snapshot(m)).toEqual(before);
    expect(m.files.map((f) => statSync(f).mode)).toEqual(modes);

    const again = await runCli([...args, '--helper', 'store'], {
      cwd: m.home,
      env: m.env,
      input: world.secret('alice-rw'),
    });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(readFileSync(join(m.home, '.gitconfig'), 'utf8')).toMatch(/helper = store/);
    for (const repo of ['api', 'docs', 'web'] as const)
      expect((await fetchAndPush(world, m, repo)).fetch, repo).toBe(0);
  });

  it('refuses a token that does not work for every repository that would use it, changing nothing', async () => {
    const m = await machine(world);
    const before = snapshot(m);
    // alice's read-only token: it cannot push, and the desktop repositories push.
    const run = await runCli(
      ['fix', '--all', '--yes', '--with-token', '--helper', 'store', ...emulatorFlags(world)],
      {
        cwd: m.home,
        env: m.env,
        input: world.secret('alice-read'),
      },
    );
    expectNoSecrets(run, allSecrets());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot push to .*code\/api.*nothing was changed/);
    expect(snapshot(m)).toEqual(before);
  });

  it('leaves Composer (the real one) reading the new auth.json and installing a package from Bitbucket', async () => {
    const composer = requireProgram('composer', (world.sandbox.env.PATH ?? '').split(delimiter));
    const m = await machine(world);
    const fix = await runCli(fixAllArgs(world), { cwd: m.home, env: m.env, input: world.secret('alice-rw') });
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    const env = {
      ...m.env,
      COMPOSER_ALLOW_SUPERUSER: '1',
      COMPOSER_NO_AUDIT: '1',
      COMPOSER_CACHE_DIR: join(m.home, '.cache', 'composer'),
      GIT_TERMINAL_PROMPT: '0',
    };
    const run = (args: string[], cwd: string) =>
      spawnCollect(composer, ['--no-interaction', '--no-ansi', ...args], { cwd, env, timeoutMs: 120_000 });
    // Composer reads the file bbauth wrote, and finds the email and the token there.
    const auth = await run(['config', '--global', '--auth', 'http-basic.127.0.0.1'], m.home);
    expect(auth.code, auth.stderr).toBe(0);
    expect(JSON.parse(auth.stdout)).toEqual({
      username: 'alice@example.com',
      password: world.secret('alice-rw'),
    });

    // A package on the emulator, pushed with the fixed checkout; a project that requires it over git.
    const branch = `pkg-${basename(m.home)}`;
    writeFileSync(join(m.repos.api, 'composer.json'), JSON.stringify({ name: 'acme/api', type: 'library' }));
    await gitAsync(world.sandbox, ['add', 'composer.json'], { cwd: m.repos.api, env: m.env });
    await gitAsync(world.sandbox, ['commit', '-qm', 'package'], { cwd: m.repos.api, env: m.env });
    const push = await gitAsync(world.sandbox, ['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], {
      cwd: m.repos.api,
      env: m.env,
    });
    expect(push.code, push.stderr).toBe(0);
    const project = join(m.home, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'composer.json'),
      JSON.stringify({
        // Nothing but the emulator: packagist.org is switched off.
        repositories: [
          { 'packagist.org': false },
          { type: 'vcs', url: `http://${gitHost(world)}/acme/api.git` },
        ],
        require: { 'acme/api': `dev-${branch}` },
        config: { 'secure-http': false },
      }),
    );
    const install = await run(['install', '--no-plugins', '--no-scripts'], project);
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(project, 'vendor', 'acme', 'api', 'composer.json'))).toBe(true);
    expectNoSecrets(install, allSecrets());
  });

  it('with --helper cache, moves the plain-text store into it: the file loses the host, every repository still works', async () => {
    const m = await machine(world);
    const args = [
      'fix',
      '--all',
      '--yes',
      '--with-token',
      '--helper',
      'cache',
      '--email',
      'alice@example.com',
    ];
    const run = await runCli([...args, ...emulatorFlags(world)], {
      cwd: m.home,
      env: m.env,
      input: world.secret('alice-rw'),
    });
    try {
      expectNoSecrets(run, allSecrets());
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const host = new URL(world.emulator.gitUrl).hostname;
      const store = readFileSync(join(m.home, '.git-credentials'), 'utf8');
      expect(store.split('\n').filter((l) => l.includes(`@${host}`))).toEqual([]);
      const helpers = await gitAsync(
        world.sandbox,
        ['config', '--global', '--get-all', `credential.${world.emulator.gitUrl}.helper`],
        { env: m.env },
      );
      expect(helpers.stdout).toBe('\ncache\n');
      // bob's working entry moved under bob; alice's dead one gave way to the new token.
      for (const repo of Object.keys(m.repos) as (keyof Machine['repos'])[]) {
        const r = await fetchAndPush(world, m, repo);
        expect(r.fetch, `${repo}: ${r.stderr}`).toBe(0);
        if (repo !== 'deploy') expect(r.push, `${repo}: ${r.stderr}`).toBe(0);
      }
    } finally {
      await gitAsync(world.sandbox, ['credential-cache', 'exit'], { env: m.env });
    }
  });
});
