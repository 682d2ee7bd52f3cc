/**
 * Least privilege, end to end: a read-only token on a machine that only pulls. `login` and `fix` accept it with
 * `--need fetch` and remember that in the repository, doctor then exits 0, status shows fetch ✔ and push "not
 * needed" — and real git fetches. Without `--need`, the same token is refused by both, with the way out named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { binDir, expectNoSecrets, runCli } from '../helpers/cli.js';
import { emuUrl, makeRepo, storeLine } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const secrets = () => world.emulator.state.tokens.map((t) => t.secret);

interface Predicted {
  fetch: string;
  push: string;
  because: string[];
}

async function repoWith(store: string[] = []) {
  const repo = await makeRepo(world, {
    remote: emuUrl(world),
    globalConfig: [['credential.helper', 'store']],
    store,
    commit: true,
  });
  const cli = (args: string[], input?: string) =>
    runCli([...args, ...emulatorFlags(world)], { cwd: repo.dir, env: repo.env, ...(input ? { input } : {}) });
  return { repo, cli };
}

describe.each([
  ['a read-only API token', 'alice-read', 'x-bitbucket-api-token-auth'],
  ['a read-only repository access token', 'web-repo-read', 'x-token-auth'],
] as const)('%s on a deploy server', (_label, id, user) => {
  it('login --need fetch accepts it, remembers fetch, and doctor, status and git agree', async () => {
    const { repo, cli } = await repoWith();
    const login = await cli(['login', '--with-token', '--need', 'fetch'], world.secret(id));
    expectNoSecrets(login, secrets());
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout + login.stderr).toMatch(/read-only/);
    const remembered = await gitAsync(world.sandbox, ['config', '--local', 'bbauth.need'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(remembered.stdout.trim()).toBe('fetch');

    const doctor = await cli(['doctor', '--json']);
    expectNoSecrets(doctor, secrets());
    expect(doctor.code, doctor.stdout).toBe(0);
    const report = JSON.parse(doctor.stdout) as {
      need: { value: string; source: string };
      findings: { id: string; severity: string }[];
      remotes: { predicted: Predicted }[];
    };
    expect(report.need).toEqual({ value: 'fetch', source: 'config' });
    expect(report.remotes[0]!.predicted).toEqual({ fetch: 'ok', push: 'not-needed', because: [] });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'push-not-permitted', severity: 'info' }),
    );

    const status = await cli(['status', '--json']);
    expect(status.code, status.stdout).toBe(0);
    const view = JSON.parse(status.stdout) as { remotes: { predicted: Predicted }[] };
    expect(view.remotes[0]!.predicted).toEqual(report.remotes[0]!.predicted);
    const human = await cli(['status']);
    expect(human.stdout).toMatch(/fetch ✔ +push not needed/);

    const fetch = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(fetch.code, fetch.stderr).toBe(0);
  });

  it('without --need, login refuses it and names --need fetch; doctor fails on push as git does', async () => {
    const { repo, cli } = await repoWith([storeLine(world, user, world.secret(id))]);
    const login = await cli(['login', '--with-token'], world.secret(id));
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(/can fetch but not push.*bbauth login --need fetch/s);
    const doctor = await cli(['doctor', '--json']);
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout) as { remotes: { predicted: Predicted }[] };
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'ok', push: 'fails' });
    const push = await gitAsync(
      world.sandbox,
      ['push', '--dry-run', '-q', 'origin', 'HEAD:refs/heads/need'],
      {
        cwd: repo.dir,
        env: repo.env,
      },
    );
    expect(push.code).not.toBe(0);
  });

  it('fix --need fetch keeps the stored read-only token, remembers fetch, and verifies fetch only', async () => {
    const { repo, cli } = await repoWith([storeLine(world, user, world.secret(id))]);
    const refused = await cli(['fix', '--yes', '--json']);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/bbauth fix --need fetch/);
    const fix = await cli(['fix', '--yes', '--json', '--need', 'fetch']);
    expectNoSecrets(fix, secrets());
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    const out = JSON.parse(fix.stdout) as { status: string; after: { fetch: string; push: string }[] };
    expect(out.status).toBe('applied');
    expect(out.after).toEqual([expect.objectContaining({ fetch: 'ok' })]);
    const doctor = await cli(['doctor']);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/fetch ✔ +push not needed/);
    const undo = await cli(['fix', '--undo']);
    expect(undo.code).toBe(0);
    const gone = await gitAsync(world.sandbox, ['config', '--local', 'bbauth.need'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(gone.code).toBe(1);
  });
});

describe('a repository whose push URL points nowhere usable', () => {
  it('needs fetch only by its own word: doctor says so and exits 0 with a read-only token', async () => {
    const { repo, cli } = await repoWith([
      storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-read')),
    ]);
    await gitAsync(world.sandbox, ['remote', 'set-url', '--push', 'origin', 'no_push'], {
      cwd: repo.dir,
      env: repo.env,
    });
    const doctor = await cli(['doctor', '--json']);
    expect(doctor.code, doctor.stdout).toBe(0);
    const report = JSON.parse(doctor.stdout) as { need: { value: string; source: string } };
    expect(report.need).toEqual({ value: 'fetch', source: 'repository' });
  });
});

describe('git-credential-bbauth honours the need of the repository git runs it in', () => {
  it('warns about a token a check proved read-only where the repository pushes, and not where it only fetches', async () => {
    // login --need fetch in a deploy checkout: the check records that the token cannot push.
    const deploy = await repoWith();
    const token = world.secret('alice-read');
    const login = await deploy.cli(['login', '--with-token', '--need', 'fetch'], token);
    expect(login.code, login.stderr).toBe(0);
    const helperEnv = (env: NodeJS.ProcessEnv) => ({
      ...env,
      PATH: `${binDir(world.sandbox.root)}:${env.PATH ?? ''}`,
      BITBUCKET_API_TOKEN: token,
      BBAUTH_BITBUCKET_URL: world.emulator.gitUrl,
    });
    const withHelper = async (dir: string, env: NodeJS.ProcessEnv) => {
      await gitAsync(world.sandbox, ['config', '--local', 'credential.helper', ''], { cwd: dir, env });
      await gitAsync(world.sandbox, ['config', '--local', '--add', 'credential.helper', 'bbauth'], {
        cwd: dir,
        env,
      });
      return gitAsync(world.sandbox, ['fetch', 'origin'], { cwd: dir, env: helperEnv(env) });
    };
    const quiet = await withHelper(deploy.repo.dir, deploy.repo.env);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/cannot push/);

    // The same token in a developer's checkout of the same machine (records shared), which pushes.
    const dev = await makeRepo(world, { remote: emuUrl(world), commit: true });
    const { mkdirSync, cpSync } = await import('node:fs');
    const { join } = await import('node:path');
    mkdirSync(join(dev.home, '.config'), { recursive: true });
    cpSync(join(deploy.repo.home, '.config', 'bbauth'), join(dev.home, '.config', 'bbauth'), {
      recursive: true,
    });
    const warned = await withHelper(dev.dir, dev.env);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/cannot push .*git config bbauth.need fetch/);
    expectNoSecrets({ stdout: '', stderr: warned.stderr, code: 0 } as never, secrets());
  });
});
