/**
 * A repository access token is not an API token: stored under the API-token username it fails, and the advice
 * must be to use x-token-auth (or a new access token), never "create an API token"; fix keeps the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emuUrl, makeRepo, storeLine } from '../helpers/repos.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => {
  await world?.close();
});

interface Report {
  findings: { id: string; severity: string; fix: { summary: string; commands: string[] } }[];
  remotes: { server: string[]; predicted: { fetch: string; push: string; because: string[] } }[];
}

describe('an access token stored under x-bitbucket-api-token-auth', () => {
  const flags = () => ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];
  const caseWith = (tokenId: string) =>
    makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret(tokenId))],
      commit: true,
    });

  it('doctor: one error, the username, proved by the retry as x-token-auth; no API-token advice', async () => {
    const repo = await caseWith('web-repo-write');
    const run = await runCli(['doctor', '--json', ...flags()], { cwd: repo.dir, env: repo.env });
    expectNoSecrets(run, [world.secret('web-repo-write')]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([
      'wrong-static-username',
    ]);
    expect(report.remotes[0]!.server).toContainEqual('fetch as x-token-auth: HTTP 200 OK');
    expect(report.remotes[0]!.predicted).toEqual({
      fetch: 'fails',
      push: 'fails',
      because: ['wrong-static-username'],
    });
    const advice = report.findings.map((f) => `${f.fix.summary} ${f.fix.commands.join(' ')}`).join('\n');
    expect(advice).not.toMatch(/Create an API token|x-bitbucket-api-token-auth@/);
  });

  it('a revoked access token is told to make a new access token, not an API token', async () => {
    world.emulator.state.tokens.find((t) => t.id === 'web-repo-read')!.revoked = true;
    try {
      const repo = await makeRepo(world, {
        remote: emuUrl(world),
        store: [storeLine(world, 'x-token-auth', world.secret('web-repo-read'))],
      });
      const run = await runCli(['doctor', '--json', ...flags()], { cwd: repo.dir, env: repo.env });
      const report = JSON.parse(run.stdout) as Report;
      const rejected = report.findings.find((f) => f.id === 'credential-rejected');
      expect(rejected?.fix.summary).toMatch(/Create a new access token/);
      expect(rejected?.fix.summary).not.toMatch(/Create an API token/);
    } finally {
      world.emulator.state.tokens.find((t) => t.id === 'web-repo-read')!.revoked = false;
    }
  });

  it('fix keeps the working access token (no new token asked), and real git then fetches', async () => {
    const repo = await caseWith('web-repo-write');
    const fix = await runCli(['fix', '--yes', '--helper', 'store', ...flags()], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stdout).toMatch(/as x-token-auth/);
    const git = await gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: repo.dir, env: repo.env });
    expect(git.code, git.stderr).toBe(0);
  });
});
