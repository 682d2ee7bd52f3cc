/**
 * `bbauth setup-git` end to end: the built binary writes the host-scoped helper, leaves other hosts alone, is
 * idempotent, and real git then clones through `git credential-bbauth` found on PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { binDir, expectNoSecrets, runCli } from '../helpers/cli.js';
import { emuUrl, makeRepo } from '../helpers/repos.js';

let world: EmulatorWorld;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await withEmulator();
  env = { ...world.sandbox.env, PATH: `${binDir(world.sandbox.root)}:${world.sandbox.env.PATH}` };
});
afterAll(async () => world?.close());

const gitconfig = () => readFileSync(join(world.sandbox.home, '.gitconfig'), 'utf8');

describe('bbauth setup-git', () => {
  it('writes reset + bbauth for the Bitbucket URL only, idempotently, and git clones through it', async () => {
    await gitAsync(world.sandbox, ['config', '--global', 'credential.helper', 'store'], { env });
    await gitAsync(world.sandbox, ['config', '--global', 'credential.https://github.com.helper', 'cache'], {
      env,
    });
    const file = world.sandbox.write('secrets/bb', `${world.secret('alice-rw')}\n`, 0o600);
    const args = ['setup-git', '--bitbucket-url', world.emulator.gitUrl, '--token-file', file];
    const first = await runCli(args, { cwd: world.sandbox.home, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const key = `credential.${world.emulator.gitUrl}.helper`;
    expect(first.stdout).toContain(`Configured git to ask bbauth for ${world.emulator.gitUrl}`);
    expect(first.stdout).toContain(`${key} = ''`);
    expect(first.stdout).toContain(
      `${key} = bbauth --bitbucket-url ${world.emulator.gitUrl} --token-file ${file}`,
    );
    const after = gitconfig();
    const second = await runCli(args, { cwd: world.sandbox.home, env });
    expect(second.stdout).toMatch(/^Already configured/);
    expect(gitconfig()).toBe(after);

    const all = await gitAsync(world.sandbox, ['config', '--global', '--get-regexp', '^credential\\.'], {
      env,
    });
    expect(all.stdout.trim().split('\n')).toEqual([
      'credential.helper store',
      'credential.https://github.com.helper cache',
      `${key} `,
      `${key} bbauth --bitbucket-url ${world.emulator.gitUrl} --token-file ${file}`,
    ]);

    const clone = await gitAsync(
      world.sandbox,
      ['clone', '-q', world.repoUrl('acme/web'), join(world.sandbox.root, 'c1')],
      { env },
    );
    expect(clone.code, clone.stderr).toBe(0);
    expect(world.emulator.requests.filter((r) => r.surface === 'git').at(-1)).toMatchObject({
      username: 'x-bitbucket-api-token-auth',
      tokenId: 'alice-rw',
    });
    // The generic store was reset for this host: it never saw (nor stored) the token.
    expect(readFileSync(join(world.sandbox.home, '.gitconfig'), 'utf8')).not.toContain(
      world.secret('alice-rw').slice(0, 40),
    );
    expectNoSecrets(first, [world.secret('alice-rw')]);
  });

  it('keeps a helper the user had for this host as a fallback after bbauth; --local writes the repository', async () => {
    const repo = join(world.sandbox.root, 'r-local');
    await gitAsync(world.sandbox, ['init', '-q', repo], { env });
    const key = 'credential.https://bitbucket.org.helper';
    await gitAsync(world.sandbox, ['config', '--local', key, 'store'], { cwd: repo, env });
    const run = await runCli(['setup-git', '--local'], { cwd: repo, env });
    expect(run.code, run.stderr).toBe(0);
    const got = await gitAsync(world.sandbox, ['config', '--local', '--get-all', key], { cwd: repo, env });
    expect(got.stdout).toBe('\nbbauth\nstore\n');
    expect(run.stdout).toContain('was:  store');
  });

  it('warns when the token file is not a usable token, without printing it', async () => {
    const file = world.sandbox.write('secrets/app-pw', `${world.secret('alice-app-password')}\n`, 0o644);
    const run = await runCli(['setup-git', '--token-file', file], { cwd: world.sandbox.home, env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/holds an app password/);
    expect(run.stderr).toMatch(/readable by other users/);
    expectNoSecrets(run, [world.secret('alice-app-password')]);
  });

  it('refuses --global with --local', async () => {
    const run = await runCli(['setup-git', '--global', '--local'], { cwd: world.sandbox.home, env });
    expect(run.code).toBe(2);
  });

  it('after an npx run the helper program is gone from PATH: doctor says so and predicts the failure git has', async () => {
    const repo = await makeRepo(world, { remote: emuUrl(world), commit: true });
    const withBin = { ...repo.env, PATH: `${binDir(world.sandbox.root)}:${repo.env.PATH}` };
    const file = world.sandbox.write(`secrets/bb-${Date.now()}`, `${world.secret('alice-rw')}\n`, 0o600);
    const setup = await runCli(
      ['setup-git', '--bitbucket-url', world.emulator.gitUrl, '--token-file', file],
      {
        cwd: repo.dir,
        env: withBin,
      },
    );
    expect(setup.code, setup.stderr).toBe(0);
    // While the program is on PATH (the npx run itself), git fetches through it.
    const works = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: withBin });
    expect(works.code, works.stderr).toBe(0);
    // Later, in a shell whose PATH never had it: git cannot run the helper and has nothing else.
    const doctor = await runCli(['doctor', '--json', ...emulatorFlags(world)], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout) as {
      findings: { id: string; severity: string; message: string }[];
      remotes: { predicted: { fetch: string } }[];
    };
    const f = report.findings.find((x) => x.id === 'helper-not-runnable');
    expect(f).toMatchObject({ severity: 'error' });
    expect(f!.message).toMatch(/git-credential-bbauth/);
    expect(report.remotes[0]!.predicted.fetch).toBe('fails');
    const git = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(git.code).not.toBe(0);
    expect(git.stderr).toMatch(/'credential-bbauth' is not a git command/);
  });
});
