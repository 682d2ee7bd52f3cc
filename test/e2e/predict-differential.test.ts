/**
 * Doctor's prediction against real git: each generated configuration runs through `bbauth doctor --json` and
 * then through real `git fetch` and `git push --dry-run`, each in a fresh copy of the case (git erases a stored
 * credential after a 401, so one run would change the next). No terminal (GIT_TERMINAL_PROMPT=0), so git never
 * prompts and the prediction must be `ok` or `fails`, exactly as git ends. The cases (test/helpers/differential.ts)
 * are a fixed, full set plus a fixed-seed sample of every combination of the dimensions; `npm run
 * bench:differential` runs a larger sample through the same test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { BIN, binDir, expectNoSecrets, runCli } from '../helpers/cli.js';
import {
  allCases,
  askPassScript,
  CaseBuilder,
  caseLabel,
  CREDENTIALS,
  sampleCases,
  USERNAMES,
  type Case,
} from '../helpers/differential.js';
import { runPty } from '../helpers/pty.js';
import { emuUrl, makeRepo, storeLine, type RepoSpec } from '../helpers/repos.js';

let world: EmulatorWorld;
let cases: CaseBuilder;
/** Written once: cases run in parallel, and rewriting a script while git runs it would race. */
let bin: string;
beforeAll(async () => {
  world = await withEmulator();
  cases = new CaseBuilder(world);
  bin = binDir(world.sandbox.root);
});
afterAll(async () => {
  await cases?.close();
  await world?.close();
});

const plain = { helper: 'none', form: 'bare' } as const;
const combo = (name: string, spec: () => RepoSpec, askPass?: () => string): Case => ({
  place: 'none',
  ...plain,
  combo: askPass ? { name, spec, askPass } : { name, spec },
});
/** git-credential-bbauth as `bbauth setup-git` configures it, answering from a token file or the environment. */
const bbauthHelper = (name: string, from: { file?: string; variable?: string }): Case => ({
  place: 'none',
  ...plain,
  combo: {
    name,
    spec: () => {
      const tokenFile = from.file
        ? world.sandbox.write(
            `tokens/${Math.random().toString(36).slice(2)}`,
            `${world.secret(from.file)}\n`,
            0o600,
          )
        : undefined;
      const key = `credential.${world.emulator.gitUrl}.helper`;
      const value = `bbauth --bitbucket-url ${world.emulator.gitUrl}${tokenFile ? ` --token-file ${tokenFile}` : ''}`;
      return {
        remote: emuUrl(world),
        globalConfig: [
          [key, ''],
          [key, value],
        ],
        commit: true,
      };
    },
    env: (repo) => ({
      PATH: `${bin}:${repo.env.PATH}`,
      ...(from.variable ? { BITBUCKET_API_TOKEN: world.secret(from.variable) } : {}),
    }),
  },
});
const answering =
  (cred: string, username = 'x-bitbucket-api-token-auth') =>
  () =>
    askPassScript(world, { username, secret: world.secret(cred) });
const netrcFor = (login: string, secret: string) => cases.netrcFor(login, secret);

/** Places that meet: which one git sends is decided by git and curl, in their order. */
const COMBOS: Case[] = [
  combo(
    'a working access token in the store beside a retired app password in .netrc for another login',
    () => ({
      remote: emuUrl(world, 'x-token-auth'),
      store: [storeLine(world, 'x-token-auth', world.secret('web-repo-write'))],
      netrc: netrcFor('alice', world.secret('alice-app-password')),
      commit: true,
    }),
  ),
  combo('a working API token in the store beside a retired app password in .netrc, no URL username', () => ({
    remote: emuUrl(world),
    store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    netrc: netrcFor('alice', world.secret('alice-app-password')),
    commit: true,
  })),
  combo('a revoked token in .netrc beside a working one in the store, URL username alice', () => ({
    remote: emuUrl(world, 'alice'),
    store: [storeLine(world, 'alice', world.secret('alice-rw'))],
    netrc: netrcFor('alice', world.secret('alice-revoked')),
    commit: true,
  })),
  combo('a revoked token in .netrc beside a working one in the store, no URL username', () => ({
    remote: emuUrl(world),
    store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    netrc: netrcFor('alice', world.secret('alice-revoked')),
    commit: true,
  })),
  combo('a working token in .netrc for another login than the URL names, nothing else', () => ({
    remote: emuUrl(world, 'bob'),
    netrc: netrcFor('alice', world.secret('alice-rw')),
    commit: true,
  })),
  combo('a working token in .netrc written in capitals (MACHINE … LOGIN … PASSWORD), nothing else', () => ({
    remote: emuUrl(world),
    netrc: netrcFor('alice', world.secret('alice-rw')).replace(/^(machine|login|password)/gm, (k) =>
      k.toUpperCase(),
    ),
    commit: true,
  })),
  combo('a truncated token in .netrc beside a working one in the store', () => ({
    remote: emuUrl(world),
    store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    netrc: netrcFor('x-bitbucket-api-token-auth', world.secret('alice-rw').slice(0, 150)),
    commit: true,
  })),
  combo('the only helper is osxkeychain, not installed here', () => ({
    remote: emuUrl(world),
    globalConfig: [['credential.helper', 'osxkeychain']],
    commit: true,
  })),
  combo('a missing helper first, then the store holding a working token', () => ({
    remote: emuUrl(world),
    globalConfig: [['credential.helper', 'osxkeychain']],
    store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    commit: true,
  })),
  combo(
    'a revoked token in .netrc, then an askpass script answering a working one',
    () => ({ remote: emuUrl(world), netrc: netrcFor('alice', world.secret('alice-revoked')), commit: true }),
    answering('alice-rw'),
  ),
  combo(
    'a retired app password in .netrc, then an askpass script answering a working token',
    () => ({
      remote: emuUrl(world),
      netrc: netrcFor('alice', world.secret('alice-app-password')),
      commit: true,
    }),
    answering('alice-rw'),
  ),
  combo(
    'a working token in the store, then an askpass script answering a revoked one',
    () => ({
      remote: emuUrl(world),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
      commit: true,
    }),
    answering('alice-revoked'),
  ),
  combo(
    'an askpass script that fails, nothing stored',
    () => ({ remote: emuUrl(world), globalConfig: [['credential.helper', 'store']], commit: true }),
    () => askPassScript(world, { exit: 1 }),
  ),
  combo(
    'an askpass script answering for the URL username alice',
    () => ({ remote: emuUrl(world, 'alice'), commit: true }),
    answering('alice-rw', 'ignored'),
  ),
  combo('libsecret alone, with no Secret Service (a headless server)', () => ({
    remote: emuUrl(world),
    globalConfig: [['credential.helper', 'libsecret']],
    commit: true,
  })),
  combo('libsecret with no Secret Service, then the store holding a working token', () => ({
    remote: emuUrl(world),
    globalConfig: [['credential.helper', 'libsecret']],
    store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    commit: true,
  })),
  bbauthHelper("bbauth's helper with a working token in its token file", { file: 'alice-rw' }),
  bbauthHelper("bbauth's helper with a revoked token in its token file", { file: 'alice-revoked' }),
  bbauthHelper("bbauth's helper with a read-only token in BITBUCKET_API_TOKEN", { variable: 'alice-read' }),
  bbauthHelper("bbauth's helper with no token anywhere", {}),
  combo('two store helpers, the first holding a revoked token', () => {
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
  }),
];

/**
 * The fixed, full set: every credential in the store, the URL and .netrc with every username, plus "nothing at
 * all" and the combinations; then the cache helper with a working, a revoked token and an app password, the
 * email as the URL username with a store entry for it, and a token pasted into the URL's username field. No
 * randomness: the same cases run on every machine.
 */
const FIXED: Case[] = [
  { place: 'none', ...plain },
  ...COMBOS,
  ...CREDENTIALS.flatMap((cred) =>
    USERNAMES.map((user): Case => ({ place: 'helper', helper: 'store', form: 'bare', cred, user })),
  ),
  ...(['url', 'netrc'] as const).flatMap((place) =>
    CREDENTIALS.flatMap((cred) => USERNAMES.map((user): Case => ({ place, ...plain, cred, user }))),
  ),
  ...(['alice-rw', 'alice-revoked', 'alice-app-password'] as const).flatMap((cred) =>
    USERNAMES.flatMap((user) =>
      (['bare', 'user'] as const).map((form): Case => ({
        place: 'helper',
        helper: 'cache',
        form,
        cred,
        user,
      })),
    ),
  ),
  ...CREDENTIALS.map((cred): Case => ({
    place: 'helper',
    helper: 'store',
    form: 'user',
    cred,
    user: 'alice@example.com',
  })),
  ...(['store', 'cache'] as const).map((helper): Case => ({
    place: 'helper',
    helper,
    form: 'token-user',
    cred: 'alice-rw',
    user: 'static',
  })),
  ...CREDENTIALS.flatMap((cred) =>
    (['static', 'alice@example.com'] as const).map((user): Case => ({
      place: 'askpass',
      ...plain,
      cred,
      user,
    })),
  ),
];

/**
 * A sample of the whole product of the dimensions beyond the fixed set: a fixed seed and size in CI, a larger
 * one from the bench (`npm run bench:differential`, which sets these variables and prints them).
 */
const SAMPLE_SIZE = Number(process.env.BBAUTH_DIFFERENTIAL_SIZE ?? 16);
const SAMPLE_SEED = Number(process.env.BBAUTH_DIFFERENTIAL_SEED ?? 20261123);

interface Predicted {
  fetch: string;
  push: string;
  because: string[];
}

async function predict(c: Case): Promise<Predicted> {
  const repo = await cases.make(c);
  // Where git would run an askpass program, doctor is told to let git ask it (it cannot see the answer otherwise).
  const ask = c.place === 'askpass' || c.combo?.askPass ? ['--ask-askpass'] : [];
  const run = await runCli(['doctor', '--json', ...ask, ...emulatorFlags(world)], {
    cwd: repo.dir,
    env: repo.env,
  });
  expectNoSecrets(run, cases.allSecrets());
  const json = JSON.parse(run.stdout) as { remotes: { name: string; predicted?: Predicted }[] };
  const origin = json.remotes.find((r) => r.name === 'origin');
  if (!origin?.predicted) throw new Error(`no prediction for origin: ${run.stdout.slice(0, 400)}`);
  return origin.predicted;
}

async function gitEnds(c: Case, args: string[]): Promise<'ok' | 'fails'> {
  const repo = await cases.make(c);
  const run = await gitAsync(world.sandbox, args, { cwd: repo.dir, env: repo.env });
  return run.code === 0 ? 'ok' : 'fails';
}

/** Runs every case three at a time; returns the rows whose prediction differs from what git did. */
async function compare(all: readonly Case[], title: string) {
  const rows: { case: string; predicted: string; git: string }[] = [];
  const queue = [...all];
  const lane = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const [p, fetch, push] = await Promise.all([
        predict(c),
        gitEnds(c, ['fetch', '-q', 'origin']),
        gitEnds(c, ['push', '--dry-run', '-q', 'origin', 'HEAD:refs/heads/differential']),
      ]);
      rows.push({ case: caseLabel(c), predicted: `${p.fetch}/${p.push}`, git: `${fetch}/${push}` });
    }
  };
  await Promise.all(Array.from({ length: 3 }, lane));
  await cases.close();
  const disagree = rows.filter((r) => r.predicted !== r.git);
  const rate = rows.length === 0 ? 100 : (100 * (rows.length - disagree.length)) / rows.length;
  console.log(
    [
      `${title}: ${rows.length - disagree.length}/${rows.length} cases agree (${rate.toFixed(1)}%)`,
      ...disagree.map((d) => `  disagrees: ${d.case}: doctor ${d.predicted}, git ${d.git}`),
    ].join('\n'),
  );
  return disagree;
}

describe('doctor predicts what real git does', () => {
  it(`agrees with git fetch and git push on the ${FIXED.length} fixed cases`, async () => {
    expect(await compare(FIXED, 'prediction vs real git, fixed cases')).toEqual([]);
  }, 300_000);

  it(
    `agrees on a sample of ${SAMPLE_SIZE} more (seed ${SAMPLE_SEED})`,
    async () => {
      const sample = sampleCases(allCases(), SAMPLE_SIZE, SAMPLE_SEED, FIXED);
      const title = `prediction vs real git, sample of ${sample.length} (seed ${SAMPLE_SEED})`;
      expect(await compare(sample, title)).toEqual([]);
    },
    Math.max(120_000, SAMPLE_SIZE * 3_000),
  );
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
  it.each(COMBOS.map((c) => [caseLabel(c), c] as const))('%s', async (_l, c) => {
    const repo = await cases.make(c);
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
