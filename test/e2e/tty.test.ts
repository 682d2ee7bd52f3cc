/**
 * What only happens on a terminal, on a real pseudo-terminal (test/helpers/pty.ts): login's hidden token prompt
 * and expiry question, fix's "Apply …? [y/N]" confirmation, and colours (on a TTY, off with NO_COLOR or
 * --no-color). Built binary, emulator, isolated HOME, canary over everything the terminal showed.
 *
 * CI is removed from the child's environment on purpose: src/cli/prompts.ts canPrompt() refuses to prompt when
 * CI=true (a CI job has no one to answer), and our own CI runs with CI=true, so without this the prompts under
 * test would never appear there.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { BIN, secretFragmentsIn } from '../helpers/cli.js';
import { runPty, type PtyRun, type PtyStep } from '../helpers/pty.js';
import { emuUrl, makeRepo, type RepoCase } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const flags = () => ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];
const ANSI_COLOUR = /\u001b\[[0-9;]*m/;

/** A terminal user's environment: no CI (see above), a real TERM, colours allowed unless a test says so. */
function terminalEnv(c: RepoCase, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...c.env, TERM: 'xterm-256color', ...extra };
  delete env.CI;
  if (!('NO_COLOR' in extra)) delete env.NO_COLOR;
  return env;
}

const allSecrets = () => world.emulator.state.tokens.map((t) => t.secret);

// Every transcript of the current test, checked by the canary after it (so the test's own assertions all run).
const transcripts: PtyRun[] = [];
afterEach(() => {
  const shown = transcripts.splice(0).flatMap((run) => secretFragmentsIn(run.output, allSecrets()));
  expect(shown, 'part of a secret reached the terminal').toEqual([]);
});

async function bbauthOnPty(
  c: RepoCase,
  args: string[],
  steps: PtyStep[] = [],
  extra: NodeJS.ProcessEnv = {},
): Promise<PtyRun> {
  const run = await runPty({
    argv: [process.execPath, BIN, ...args],
    cwd: c.dir,
    env: terminalEnv(c, extra),
    steps,
    tmpDir: world.sandbox.root,
  });
  transcripts.push(run);
  return run;
}

/** The entries of the case's ~/.git-credentials (git percent-encodes them, in lower case). */
function storedCredentials(c: RepoCase): { username: string; password: string }[] {
  return readFileSync(join(c.home, '.git-credentials'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => /^[a-z]+:\/\/([^:@]*):([^@]*)@/.exec(line))
    .map((m) => ({ username: decodeURIComponent(m?.[1] ?? ''), password: decodeURIComponent(m?.[2] ?? '') }));
}

const describeRun = (run: PtyRun) =>
  `exit ${run.code}, timedOut ${run.timedOut}, failedStep ${run.failedStep}\n${run.output}`;

describe('login on a terminal', () => {
  it('asks for the token without echoing it, asks the expiry (Enter skips), stores it', async () => {
    const c = await makeRepo(world, { remote: emuUrl(world, 'x-bitbucket-api-token-auth') });
    const token = world.secret('alice-rw');
    const run = await bbauthOnPty(
      c,
      ['login', '--helper', 'store', ...flags()],
      [
        { expect: 'Paste your Bitbucket API token', send: `${token}\r` },
        { expect: 'Expiry date', send: '\r' },
      ],
    );
    expect(run.failedStep, describeRun(run)).toBeNull();
    expect(run.timedOut, describeRun(run)).toBe(false);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.output).toMatch(/Stored API token ATATT3…/);
    expect(storedCredentials(c)).toEqual([{ username: 'x-bitbucket-api-token-auth', password: token }]);
    // Enter skipped the expiry: nothing recorded for it.
    const records = JSON.parse(readFileSync(join(c.home, '.config', 'bbauth', 'records.json'), 'utf8')) as {
      credentials: { expires?: string }[];
    };
    expect(records.credentials[0]?.expires).toBeUndefined();
  });
});

function hashes(c: RepoCase): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [
    join(c.dir, '.git', 'config'),
    join(c.home, '.gitconfig'),
    join(c.home, '.git-credentials'),
  ])
    out[p] = existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent';
  return out;
}

describe('fix on a terminal', () => {
  const CONFIRM = 'Apply these \\d+ change\\(s\\)\\? \\[y/N\\]';
  const urlSecretCase = () =>
    makeRepo(world, { remote: emuUrl(world, 'alice', world.secret('alice-rw')), commit: true });

  it('shows the plan and asks; "n" changes nothing', async () => {
    const c = await urlSecretCase();
    const before = hashes(c);
    const run = await bbauthOnPty(
      c,
      ['fix', '--helper', 'store', ...flags()],
      [{ expect: CONFIRM, send: 'n\r' }],
    );
    expect(run.failedStep, describeRun(run)).toBeNull();
    const plan = run.output.slice(0, run.output.search(new RegExp(CONFIRM)));
    expect(plan).toMatch(/Fix plan for/);
    expect(plan).toMatch(/git remote set-url origin/);
    expect(plan).toMatch(/store the API token ATATT3…/);
    expect(run.output).toMatch(/Nothing was changed\./);
    // README: 2 = nothing changed.
    expect(run.code).toBe(2);
    expect(hashes(c)).toEqual(before);
  });

  it('"y" applies the plan: the secret leaves .git/config for the store, verified with git', async () => {
    const c = await urlSecretCase();
    const token = world.secret('alice-rw');
    const run = await bbauthOnPty(
      c,
      ['fix', '--helper', 'store', ...flags()],
      [{ expect: CONFIRM, send: 'y\r' }],
    );
    expect(run.failedStep, describeRun(run)).toBeNull();
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.output).toMatch(/Fixed\./);
    const config = readFileSync(join(c.dir, '.git', 'config'), 'utf8');
    expect(config).not.toContain(token);
    expect(config).not.toContain(encodeURIComponent(token));
    expect(storedCredentials(c)).toContainEqual({ username: 'x-bitbucket-api-token-auth', password: token });
  });
});

describe('colours', () => {
  let c: RepoCase;
  beforeAll(async () => {
    c = await makeRepo(world, { remote: emuUrl(world, 'x-bitbucket-api-token-auth') });
  });
  const doctor = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    bbauthOnPty(c, ['doctor', '--offline', ...flags(), ...args], [], extra);

  // Independent runs of a read-only command: concurrent, to keep the file fast.
  it.concurrent('on a terminal doctor uses colour', async ({ expect }) => {
    const run = await doctor([]);
    expect(run.timedOut).toBe(false);
    expect(run.output).toMatch(/Verdict/);
    expect(run.output).toMatch(ANSI_COLOUR);
  });

  it.concurrent('NO_COLOR=1 turns it off', async ({ expect }) => {
    const run = await doctor([], { NO_COLOR: '1' });
    expect(run.output).toMatch(/Verdict/);
    expect(run.output).not.toMatch(/\u001b\[/);
  });

  it.concurrent('--no-color turns it off', async ({ expect }) => {
    const run = await doctor(['--no-color']);
    expect(run.output).toMatch(/Verdict/);
    expect(run.output).not.toMatch(/\u001b\[/);
  });
});
