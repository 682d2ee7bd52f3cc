/**
 * Doctor's prediction against real git: each generated configuration runs through `bbauth doctor --json` and
 * then through real `git fetch` and `git push --dry-run`, each in a fresh copy of the case (git erases a stored
 * credential after a 401, so one run would change the next). No terminal (GIT_TERMINAL_PROMPT=0), so git never
 * prompts and the prediction must be `ok` or `fails`, exactly as git ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { BIN, expectNoSecrets, runCli } from '../helpers/cli.js';
import { runPty } from '../helpers/pty.js';
import { emuUrl, gitHost, makeRepo, storeLine, type RepoSpec } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => {
  await world?.close();
});

/** Where git finds the credential. */
type Place = 'store' | 'url' | 'netrc' | 'none';
/** Emulator token ids, plus a truncated paste of a working one. */
const CREDENTIALS = [
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
type Cred = (typeof CREDENTIALS)[number];
/** `static`: the username the credential's kind needs. */
const USERNAMES = ['static', 'alice', 'alice@example.com'] as const;

interface Case {
  place: Place;
  cred?: Cred;
  user?: (typeof USERNAMES)[number];
  /** A combination of places, built by hand (`place` is then `none` and ignored). */
  combo?: { name: string; spec: () => RepoSpec };
}

function secretOf(cred: Cred): string {
  return cred === 'truncated' ? world.secret('alice-rw').slice(0, 150) : world.secret(cred);
}

function usernameOf(c: Case): string {
  if (c.user !== 'static') return c.user!;
  return c.cred?.startsWith('web-repo') ? 'x-token-auth' : 'x-bitbucket-api-token-auth';
}

function specOf(c: Case): RepoSpec {
  if (c.combo) return c.combo.spec();
  if (c.place === 'none') return { remote: emuUrl(world), commit: true };
  const secret = secretOf(c.cred!);
  const user = usernameOf(c);
  switch (c.place) {
    case 'store':
      return { remote: emuUrl(world), store: [storeLine(world, user, secret)], commit: true };
    case 'url':
      return { remote: emuUrl(world, user, secret), commit: true };
    case 'netrc': {
      const host = new URL(`http://${gitHost(world)}`).hostname;
      return {
        remote: emuUrl(world),
        netrc: `machine ${host}\nlogin ${user}\npassword ${secret}\n`,
        commit: true,
      };
    }
  }
}

const netrcFor = (login: string, secret: string) =>
  `machine ${new URL(`http://${gitHost(world)}`).hostname}\nlogin ${login}\npassword ${secret}\n`;

/** Places that meet: which one git sends is decided by git and curl, in their order. */
const COMBOS: Case[] = [
  {
    place: 'none',
    combo: {
      name: 'a working access token in the store beside a retired app password in .netrc for another login',
      spec: () => ({
        remote: emuUrl(world, 'x-token-auth'),
        store: [storeLine(world, 'x-token-auth', world.secret('web-repo-write'))],
        netrc: netrcFor('alice', world.secret('alice-app-password')),
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'a working API token in the store beside a retired app password in .netrc, no URL username',
      spec: () => ({
        remote: emuUrl(world),
        store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
        netrc: netrcFor('alice', world.secret('alice-app-password')),
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'a revoked token in .netrc beside a working one in the store, URL username alice',
      spec: () => ({
        remote: emuUrl(world, 'alice'),
        store: [storeLine(world, 'alice', world.secret('alice-rw'))],
        netrc: netrcFor('alice', world.secret('alice-revoked')),
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'a revoked token in .netrc beside a working one in the store, no URL username',
      spec: () => ({
        remote: emuUrl(world),
        store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
        netrc: netrcFor('alice', world.secret('alice-revoked')),
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'a working token in .netrc for another login than the URL names, nothing else',
      spec: () => ({
        remote: emuUrl(world, 'bob'),
        netrc: netrcFor('alice', world.secret('alice-rw')),
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'a truncated token in .netrc beside a working one in the store',
      spec: () => ({
        remote: emuUrl(world),
        store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
        netrc: netrcFor('x-bitbucket-api-token-auth', world.secret('alice-rw').slice(0, 150)),
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'the only helper is osxkeychain, not installed here',
      spec: () => ({
        remote: emuUrl(world),
        globalConfig: [['credential.helper', 'osxkeychain']],
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'a missing helper first, then the store holding a working token',
      spec: () => ({
        remote: emuUrl(world),
        globalConfig: [['credential.helper', 'osxkeychain']],
        store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
        commit: true,
      }),
    },
  },
  {
    place: 'none',
    combo: {
      name: 'two store helpers, the first holding a revoked token',
      spec: () => {
        const a = world.sandbox.write(
          `stores/${Math.random().toString(36).slice(2)}-a`,
          `${storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-revoked'))}\n`,
          0o600,
        );
        const b = world.sandbox.write(
          `stores/${Math.random().toString(36).slice(2)}-b`,
          `${storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))}\n`,
          0o600,
        );
        return {
          remote: emuUrl(world),
          globalConfig: [
            ['credential.helper', `store --file=${a}`],
            ['credential.helper', `store --file=${b}`],
          ],
          commit: true,
        };
      },
    },
  },
];

/**
 * Every credential in every place with every username, plus "nothing at all". A fixed order, no randomness:
 * the same cases run on every machine.
 */
const CASES: Case[] = [
  { place: 'none' },
  ...COMBOS,
  ...(['store', 'url', 'netrc'] as const).flatMap((place) =>
    CREDENTIALS.flatMap((cred) => USERNAMES.map((user) => ({ place, cred, user }))),
  ),
];

const label = (c: Case) =>
  c.combo ? c.combo.name : c.place === 'none' ? 'nothing stored' : `${c.cred} as ${c.user} in ${c.place}`;

interface Predicted {
  fetch: string;
  push: string;
  because: string[];
}

async function predict(c: Case): Promise<Predicted> {
  const repo = await makeRepo(world, specOf(c));
  const run = await runCli(['doctor', '--json', ...emulatorFlags(world)], { cwd: repo.dir, env: repo.env });
  expectNoSecrets(run, [...CREDENTIALS.map(secretOf)]);
  const json = JSON.parse(run.stdout) as { remotes: { name: string; predicted?: Predicted }[] };
  const origin = json.remotes.find((r) => r.name === 'origin');
  if (!origin?.predicted) throw new Error(`no prediction for origin: ${run.stdout.slice(0, 400)}`);
  return origin.predicted;
}

async function gitEnds(c: Case, args: string[]): Promise<'ok' | 'fails'> {
  const repo = await makeRepo(world, specOf(c));
  const run = await gitAsync(world.sandbox, args, { cwd: repo.dir, env: repo.env });
  return run.code === 0 ? 'ok' : 'fails';
}

describe('doctor predicts what real git does', () => {
  it(`agrees with git fetch and git push on all ${CASES.length} cases`, async () => {
    const rows: { case: string; predicted: string; git: string }[] = [];
    const queue = [...CASES];
    const lane = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const [p, fetch, push] = await Promise.all([
          predict(c),
          gitEnds(c, ['fetch', '-q', 'origin']),
          gitEnds(c, ['push', '--dry-run', '-q', 'origin', 'HEAD:refs/heads/differential']),
        ]);
        rows.push({ case: label(c), predicted: `${p.fetch}/${p.push}`, git: `${fetch}/${push}` });
      }
    };
    await Promise.all(Array.from({ length: 3 }, lane));
    const disagree = rows.filter((r) => r.predicted !== r.git);
    console.log(`prediction vs real git: ${rows.length - disagree.length}/${rows.length} cases agree`);
    expect(disagree).toEqual([]);
  }, 300_000);
});

describe('no credential and no terminal (a cron job, CI)', () => {
  const flags = () => emulatorFlags(world);

  it('doctor says git fails (no-credential, exit 1) and status agrees, as real git does', async () => {
    const repo = await makeRepo(world, {
      remote: emuUrl(world),
      globalConfig: [['credential.helper', 'store']],
    });
    const doctor = await runCli(['doctor', '--json', ...flags()], { cwd: repo.dir, env: repo.env });
    const status = await runCli(['status', '--json', ...flags()], { cwd: repo.dir, env: repo.env });
    const git = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(git.code).not.toBe(0);
    expect(git.stderr).toMatch(/could not read Username/);
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout) as {
      findings: { id: string; severity: string }[];
      remotes: { predicted: Predicted }[];
    };
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'no-credential', severity: 'error' }),
    );
    expect(report.remotes[0]!.predicted).toEqual({
      fetch: 'fails',
      push: 'fails',
      because: ['no-credential'],
    });
    expect(status.code).toBe(1);
    const view = JSON.parse(status.stdout) as { remotes: { predicted: Predicted }[] };
    expect(view.remotes[0]!.predicted).toEqual(report.remotes[0]!.predicted);
  });

  it('with an askpass program git would ask instead: no error, the outcome is unknown', async () => {
    const repo = await makeRepo(world, {
      remote: emuUrl(world),
      globalConfig: [['credential.helper', 'store']],
    });
    const env = { ...repo.env, GIT_ASKPASS: '/opt/ide/askpass.sh' };
    const doctor = await runCli(['doctor', '--json', ...flags()], { cwd: repo.dir, env });
    const report = JSON.parse(doctor.stdout) as {
      findings: { id: string }[];
      remotes: { predicted: Predicted }[];
    };
    expect(report.findings.map((f) => f.id)).not.toContain('no-credential');
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'unknown', push: 'unknown' });
  });
});

describe('a helper git cannot run', () => {
  it('doctor names it (helper-not-runnable, an error when it is the only one), as git prints', async () => {
    const repo = await makeRepo(world, {
      remote: emuUrl(world),
      globalConfig: [['credential.helper', 'osxkeychain']],
    });
    const git = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(git.stderr).toMatch(/'credential-osxkeychain' is not a git command/);
    const doctor = await runCli(['doctor', '--json', ...emulatorFlags(world)], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout) as { findings: { id: string; severity: string }[] };
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'helper-not-runnable', severity: 'error' }),
    );
  });
});

describe('with a terminal git can prompt on', () => {
  it('nothing stored: doctor predicts "prompts" (no error), and real git on the same terminal asks for a username', async () => {
    const repo = await makeRepo(world, {
      remote: emuUrl(world),
      globalConfig: [['credential.helper', 'store']],
    });
    const env: NodeJS.ProcessEnv = { ...repo.env, TERM: 'xterm' };
    delete env.GIT_TERMINAL_PROMPT;
    const doctor = await runPty({
      argv: [process.execPath, BIN, 'doctor', '--json', ...emulatorFlags(world)],
      cwd: repo.dir,
      env,
      tmpDir: world.sandbox.root,
    });
    const text = doctor.output.replace(/\r\n/g, '\n');
    const report = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as {
      findings: { id: string; severity: string }[];
      remotes: { predicted: Predicted }[];
    };
    expect(report.remotes[0]!.predicted).toEqual({ fetch: 'prompts', push: 'prompts', because: [] });
    expect(report.findings.map((f) => f.id)).not.toContain('no-credential');
    const git = await runPty({
      argv: ['/usr/bin/env', 'git', 'fetch', 'origin'],
      cwd: repo.dir,
      env,
      steps: [{ expect: 'Username for', send: '\u0003' }],
      tmpDir: world.sandbox.root,
    });
    expect(git.failedStep, git.output).toBeNull();
  });
});

describe('status and doctor never disagree', () => {
  it.each(COMBOS.map((c) => [label(c), c] as const))('%s', async (_l, c) => {
    const repo = await makeRepo(world, specOf(c));
    const flags = ['--json', ...emulatorFlags(world)];
    const doctor = JSON.parse(
      (await runCli(['doctor', ...flags], { cwd: repo.dir, env: repo.env })).stdout,
    ) as {
      remotes: { predicted: Predicted }[];
    };
    const status = JSON.parse(
      (await runCli(['status', ...flags], { cwd: repo.dir, env: repo.env })).stdout,
    ) as {
      remotes: { state: string; predicted: Predicted }[];
    };
    expect(status.remotes[0]!.predicted).toEqual(doctor.remotes[0]!.predicted);
    // status's own state speaks of the credential git ends up sending: it works exactly when git fetches.
    expect(status.remotes[0]!.state === 'works' || status.remotes[0]!.state === 'push-refused').toBe(
      doctor.remotes[0]!.predicted.fetch === 'ok',
    );
  });
});
