/**
 * Credentials that come through an askpass program (the Jenkins Git plugin's script, VS Code, Sourcetree), end to
 * end: a script like the one the Git plugin writes answers git's "Username for …" / "Password for …" questions
 * from two files. Without `--ask-askpass` doctor must not call the repository healthy (it cannot see the answer,
 * so fetch is `unknown`) and must never run the program; with it, git asks the program once and the answer is
 * judged like any other credential. Each prediction is checked against real `git fetch` in the same repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/redact.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { emuUrl, makeRepo, storeLine, type RepoCase } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

interface Report {
  verdict: string;
  prompt: { via: string; source?: string; kind?: string };
  findings: {
    id: string;
    severity: string;
    message: string;
    location: { remote?: string; env?: string };
    credential?: { fingerprint: string; source: string };
    fix: { summary: string };
  }[];
  remotes: { predicted: { fetch: string; push: string; because: string[] } }[];
}

const secrets = () => world.emulator.state.tokens.map((t) => t.secret);
let n = 0;

/**
 * An askpass script in the Git plugin's style: it answers from files (so no secret is in its argv) and logs
 * each question it was asked. `exit` makes it fail instead.
 */
function askPassScript(answer: { username: string; secret: string } | { exit: number }): string {
  const dir = join(world.sandbox.root, `askpass-${++n}`);
  const log = join(dir, 'asked.log');
  const body =
    'exit' in answer
      ? `exit ${answer.exit}`
      : `case "$1" in\n  Username*) cat '${dir}/user' ;;\n  Password*) cat '${dir}/pass' ;;\nesac`;
  world.sandbox.write(join(dir, 'pass.sh'), `#!/bin/sh\necho "$1" >> '${log}'\n${body}\n`, 0o700);
  if (!('exit' in answer)) {
    world.sandbox.write(join(dir, 'user'), `${answer.username}\n`, 0o600);
    world.sandbox.write(join(dir, 'pass'), `${answer.secret}\n`, 0o600);
  }
  return join(dir, 'pass.sh');
}

const asked = (script: string): string[] => {
  const log = join(script, '..', 'asked.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
};

const doctor = (repo: RepoCase, env: NodeJS.ProcessEnv, extra: string[] = []) =>
  runCli(['doctor', '--json', ...extra, ...emulatorFlags(world)], { cwd: repo.dir, env });

const fetch = (repo: RepoCase, env: NodeJS.ProcessEnv) =>
  gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env });

async function jenkinsJob(answer: { username: string; secret: string } | { exit: number }) {
  const repo = await makeRepo(world, { remote: emuUrl(world), commit: true });
  const script = askPassScript(answer);
  // What the Git plugin sets for its git calls: its script, and no terminal.
  const env: NodeJS.ProcessEnv = { ...repo.env, GIT_ASKPASS: script, JENKINS_URL: 'http://127.0.0.1:9/' };
  return { repo, script, env };
}

describe('credentials from an askpass program', () => {
  it('not asked: doctor names the program and where its answer lives, predicts unknown, and never runs it', async () => {
    const { repo, script, env } = await jenkinsJob({
      username: 'x-bitbucket-api-token-auth',
      secret: world.secret('alice-rw').slice(0, 150),
    });
    const run = await doctor(repo, env);
    expectNoSecrets(run, secrets());
    const report = JSON.parse(run.stdout) as Report;
    expect(report.prompt).toMatchObject({ via: 'askpass', source: 'GIT_ASKPASS', kind: 'jenkins' });
    const f = report.findings.find((x) => x.id === 'askpass-credential');
    expect(f).toMatchObject({ severity: 'warning', location: { remote: 'origin', env: 'GIT_ASKPASS' } });
    expect(f!.message).toMatch(/--ask-askpass/);
    expect(f!.fix.summary).toMatch(/Manage Jenkins → Credentials/);
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'unknown', push: 'unknown' });
    expect(report.verdict).not.toMatch(/healthy/);
    expect(asked(script)).toEqual([]);
    // And the repository is indeed not healthy: real git asks the script and is refused.
    const git = await fetch(repo, env);
    expect(git.code).not.toBe(0);
    expect(git.stderr).toMatch(/Authentication failed/);
    expect(asked(script)).toHaveLength(2);
  });

  it('asked, a truncated token: the answer is judged, fetch fails as real git does', async () => {
    const truncated = world.secret('alice-rw').slice(0, 150);
    const { repo, script, env } = await jenkinsJob({
      username: 'x-bitbucket-api-token-auth',
      secret: truncated,
    });
    const run = await doctor(repo, env, ['--ask-askpass']);
    expectNoSecrets(run, [...secrets(), truncated]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const f = report.findings.find((x) => x.id === 'askpass-credential');
    expect(f).toMatchObject({
      severity: 'info',
      credential: { fingerprint: fingerprint(truncated), source: 'askpass' },
    });
    expect(report.findings.map((x) => x.id)).toContain('token-checksum-mismatch');
    expect(report.remotes[0]!.predicted.fetch).toBe('fails');
    // git asked the program the two questions it asks during a fetch, word for word: username, then password.
    const doctorAsked = asked(script);
    expect(doctorAsked).toEqual([
      `Username for '${world.emulator.gitUrl}': `,
      `Password for '${world.emulator.gitUrl.replace('://', '://x-bitbucket-api-token-auth@')}': `,
    ]);
    const git = await fetch(repo, env);
    expect(git.code).not.toBe(0);
    expect(git.stderr).toMatch(/Authentication failed/);
    expect(asked(script).slice(doctorAsked.length)).toEqual(doctorAsked);
  });

  it('asked, a working token: fetch ok, as real git then fetches', async () => {
    const { repo, env } = await jenkinsJob({ username: 'alice', secret: world.secret('alice-rw') });
    const run = await doctor(repo, env, ['--ask-askpass']);
    expectNoSecrets(run, secrets());
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.remotes[0]!.predicted).toMatchObject({ fetch: 'ok', push: 'ok' });
    const git = await fetch(repo, env);
    expect(git.code, git.stderr).toBe(0);
  });

  it('asked, a program that fails: git has nothing and no terminal, an error, as real git fails', async () => {
    const { repo, env } = await jenkinsJob({ exit: 1 });
    const run = await doctor(repo, env, ['--ask-askpass']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const f = report.findings.find((x) => x.id === 'askpass-credential');
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.message).toMatch(/unable to read askpass response/);
    expect(report.findings.find((x) => x.id === 'no-credential')).toMatchObject({ severity: 'error' });
    expect(report.remotes[0]!.predicted.fetch).toBe('fails');
    const git = await fetch(repo, env);
    expect(git.code).not.toBe(0);
    expect(git.stderr).toMatch(/could not read Username/);
  });

  it('a helper that answers comes first: the program is neither reported as the source nor asked', async () => {
    const { script, env: base } = await jenkinsJob({ username: 'alice', secret: 'not-used' });
    const repo = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    });
    const env = { ...repo.env, GIT_ASKPASS: base.GIT_ASKPASS };
    const run = await doctor(repo, env, ['--ask-askpass']);
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((x) => x.id)).not.toContain('askpass-credential');
    expect(report.remotes[0]!.predicted.fetch).toBe('ok');
    expect(asked(script)).toEqual([]);
  });

  it("an empty GIT_ASKPASS hides core.askPass, as in git: nothing answers, and there's no terminal", async () => {
    const repo = await makeRepo(world, { remote: emuUrl(world) });
    const script = askPassScript({ username: 'alice', secret: world.secret('alice-rw') });
    await gitAsync(world.sandbox, ['config', 'core.askPass', script], { cwd: repo.dir, env: repo.env });
    const hidden = await doctor(repo, { ...repo.env, GIT_ASKPASS: '' });
    expect(hidden.code).toBe(1);
    const report = JSON.parse(hidden.stdout) as Report;
    expect(report.prompt.via).toBe('terminal');
    expect(report.findings.map((x) => x.id)).toContain('no-credential');
    expect(report.remotes[0]!.predicted.fetch).toBe('fails');
    const git = await fetch(repo, { ...repo.env, GIT_ASKPASS: '' });
    expect(git.code).not.toBe(0);
    expect(asked(script)).toEqual([]);

    // With GIT_ASKPASS unset, git runs core.askPass, and doctor says so.
    // undefined, not deleted: the sandbox's own environment sets it empty, and a child drops undefined values.
    const env: NodeJS.ProcessEnv = { ...repo.env, GIT_ASKPASS: undefined };
    const seen = JSON.parse((await doctor(repo, env)).stdout) as Report;
    expect(seen.prompt).toMatchObject({ via: 'askpass', source: 'core.askPass' });
    expect(seen.remotes[0]!.predicted.fetch).toBe('unknown');
    const works = await fetch(repo, env);
    expect(works.code, works.stderr).toBe(0);
  });
});
