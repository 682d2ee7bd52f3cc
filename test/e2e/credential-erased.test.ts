/**
 * A credential git erased after a 401, end to end: real `bbauth login` stores a working token, the user replaces
 * the stored entry with a truncated paste, real `git fetch` is refused and git erases the entry. Doctor must then
 * say what happened (credential-erased, naming the token login stored) and predict what the next real
 * `git fetch` does: fail without a terminal, ask on one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/redact.js';
import { BIN, expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { runPty } from '../helpers/pty.js';
import { emuUrl, makeRepo, storeLine, type RepoCase } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

interface Report {
  findings: { id: string; severity: string; message: string; credential?: { fingerprint: string } }[];
  remotes: { predicted: { fetch: string; push: string; because: string[] } }[];
}

const secrets = () => world.emulator.state.tokens.map((t) => t.secret);
const doctor = (repo: RepoCase, env = repo.env) =>
  runCli(['doctor', '--json', ...emulatorFlags(world)], { cwd: repo.dir, env });

/** Login with a working token, a truncated paste over it in ~/.git-credentials, one refused real fetch. */
async function erasedByGit(): Promise<{ repo: RepoCase; good: string }> {
  const repo = await makeRepo(world, { remote: emuUrl(world), commit: true });
  const good = world.secret('alice-rw');
  const login = await runCli(['login', '--with-token', '--helper', 'store', ...emulatorFlags(world)], {
    cwd: repo.dir,
    env: repo.env,
    input: `${good}\n`,
  });
  expect(login.code, login.stderr).toBe(0);
  const store = join(repo.home, '.git-credentials');
  expect(decodeURIComponent(readFileSync(store, 'utf8'))).toContain(good);
  // What a user does who pastes the token again and loses its tail on the way.
  writeFileSync(store, `${storeLine(world, 'x-bitbucket-api-token-auth', good.slice(0, 150))}\n`, {
    mode: 0o600,
  });
  const refused = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/Authentication failed/);
  // git erased the refused entry: the file is there, the entry is not.
  expect(readFileSync(store, 'utf8')).not.toContain('x-bitbucket-api-token-auth');
  return { repo, good };
}

describe('a credential git erased after a 401', () => {
  it('without a terminal: doctor explains it as an error and predicts the failure real git then has', async () => {
    const { repo, good } = await erasedByGit();
    const run = await doctor(repo);
    expectNoSecrets(run, secrets());
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const erased = report.findings.find((f) => f.id === 'credential-erased');
    expect(erased).toMatchObject({ severity: 'error', credential: { fingerprint: fingerprint(good) } });
    expect(erased!.message).toMatch(/stored by `bbauth login` in store at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(erased!.message).toMatch(/answers 401/);
    expect(erased!.message).toMatch(/the next `git pull` fails: there is no terminal/);
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'fails', push: 'fails' });
    expect(report.remotes[0]!.predicted.because).toContain('credential-erased');
    const next = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(next.code).not.toBe(0);
    expect(next.stderr).toMatch(/could not read Username/);
  });

  it('on a terminal: a warning that git will ask, and real git on the same terminal asks', async () => {
    const { repo } = await erasedByGit();
    const env: NodeJS.ProcessEnv = { ...repo.env, TERM: 'xterm' };
    delete env.GIT_TERMINAL_PROMPT;
    const run = await runPty({
      argv: [process.execPath, BIN, 'doctor', '--json', ...emulatorFlags(world)],
      cwd: repo.dir,
      env,
      tmpDir: world.sandbox.root,
    });
    const text = run.output.replace(/\r\n/g, '\n');
    const report = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as Report;
    const erased = report.findings.find((f) => f.id === 'credential-erased');
    expect(erased).toMatchObject({ severity: 'warning' });
    expect(erased!.message).toMatch(/asks for a username and password on the terminal/);
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'prompts', push: 'prompts' });
    const git = await runPty({
      argv: ['/usr/bin/env', 'git', 'fetch', 'origin'],
      cwd: repo.dir,
      env,
      steps: [{ expect: 'Username for', send: '\u0003' }],
      tmpDir: world.sandbox.root,
    });
    expect(git.failedStep, git.output).toBeNull();
  });

  it('is gone once a working token is stored again (login), and git fetches', async () => {
    const { repo, good } = await erasedByGit();
    const login = await runCli(['login', '--with-token', ...emulatorFlags(world)], {
      cwd: repo.dir,
      env: repo.env,
      input: `${good}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    const report = JSON.parse((await doctor(repo)).stdout) as Report;
    expect(report.findings.map((f) => f.id)).not.toContain('credential-erased');
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'ok' });
    const fetch = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(fetch.code, fetch.stderr).toBe(0);
  });

  it('a store file git emptied, with no records: "possibly" erased, same prediction', async () => {
    const repo = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-revoked'))],
    });
    const refused = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(refused.stderr).toMatch(/Authentication failed/);
    const run = await doctor(repo);
    expectNoSecrets(run, secrets());
    const report = JSON.parse(run.stdout) as Report;
    const erased = report.findings.find((f) => f.id === 'credential-erased');
    // Only "possibly": an explanation (info) beside no-credential, which stays the error.
    expect(erased).toMatchObject({ severity: 'info' });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'no-credential', severity: 'error' }),
    );
    expect(erased!.message).toMatch(/possibly git erased it/);
    expect(erased!.credential).toBeUndefined();
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'fails', push: 'fails' });
  });
});
