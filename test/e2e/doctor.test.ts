/**
 * doctor end to end: the real-world breakages from the doctor issue, each set up with real git config in an
 * isolated HOME against the emulator, diagnosed by the built binary. Every case also runs the canary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emuUrl, makeRepo, storeLine as storeLineFor, type RepoSpec } from '../helpers/repos.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mintSecret } from '../../src/core/token/format.js';
import { fingerprint } from '../../src/core/redact.js';
import { dayFromNow, recordToken } from '../helpers/records.js';

interface DoctorJson {
  schemaVersion: number;
  findings: {
    id: string;
    severity: string;
    message: string;
    location: Record<string, unknown>;
    credential?: { kind: string; fingerprint: string; source: string };
    fix: { summary: string; commands: string[] };
  }[];
  remotes: { name: string; url: string; server: string[] }[];
  stats: { requests: number; gitCalls: number };
}

let world: EmulatorWorld;

beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => {
  await world?.close();
});

const repoWith = (spec: RepoSpec) => makeRepo(world, spec);
const url = (user?: string, secret?: string, repo?: string) => emuUrl(world, user, secret, repo);
const storeLine = (user: string, secret: string) => storeLineFor(world, user, secret);

async function doctor(dir: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const run = await runCli(
    [
      'doctor',
      '--json',
      '--bitbucket-url',
      world.emulator.gitUrl,
      '--api-url',
      world.emulator.apiUrl,
      ...extra,
    ],
    { cwd: dir, env },
  );
  const secrets = world.emulator.state.tokens.map((t) => t.secret);
  expectNoSecrets(run, secrets);
  let json: DoctorJson;
  try {
    json = JSON.parse(run.stdout) as DoctorJson;
  } catch {
    throw new Error(`doctor did not print JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { run, json, ids: json.findings.map((f) => f.id) };
}

describe('doctor, real-world cases', () => {
  it('1. static username in URL, helper token with only read:user → missing-scope naming read and write', async () => {
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth', undefined),
      store: [storeLine('x-bitbucket-api-token-auth', world.secret('alice-user-only'))],
    });
    const { run, json, ids } = await doctor(dir, env);
    expect(run.code).toBe(1);
    expect(ids).toContain('missing-scope');
    const f = json.findings.find((x) => x.id === 'missing-scope')!;
    expect(f.message).toContain('read:repository:bitbucket');
    expect(f.message).toContain('write:repository:bitbucket');
    expect(f.credential?.source).toBe('helper:store');
  });

  it('2. unscoped token in the URL → credential-rejected (unscoped leading cause) and secret-in-remote-url', async () => {
    const { dir, env } = await repoWith({ remote: url('alice', world.secret('alice-unscoped')) });
    const { run, json, ids } = await doctor(dir, env, ['--email', 'alice@example.com']);
    expect(run.code).toBe(1);
    expect(ids).toEqual(expect.arrayContaining(['credential-rejected', 'secret-in-remote-url']));
    expect(json.findings.find((x) => x.id === 'credential-rejected')!.message).toMatch(/without scopes/);
    // Dead secret in the URL: the warning becomes an error.
    expect(json.findings.find((x) => x.id === 'secret-in-remote-url')!.severity).toBe('error');
    expect(json.remotes[0]!.url).not.toContain(world.secret('alice-unscoped'));
  });

  it('3a. x-token-auth with an API token → wrong-static-username', async () => {
    const { dir, env } = await repoWith({ remote: url('x-token-auth', world.secret('alice-rw')) });
    const { ids } = await doctor(dir, env);
    expect(ids).toContain('wrong-static-username');
  });

  it('3b. http.extraHeader Bearer API token → bearer-with-api-token and authorization-extraheader (error)', async () => {
    const { dir, env } = await repoWith({
      remote: url(undefined, undefined),
      config: [['http.extraHeader', `Authorization: Bearer ${world.secret('alice-rw')}`]],
    });
    const { run, json, ids } = await doctor(dir, env);
    expect(run.code).toBe(1);
    expect(ids).toEqual(expect.arrayContaining(['bearer-with-api-token', 'authorization-extraheader']));
    expect(json.findings.find((x) => x.id === 'authorization-extraheader')!.severity).toBe('error');
  });

  it('3c/4. email as git username with an API token (Jenkins style) → email-as-git-username', async () => {
    const { dir, env } = await repoWith({
      remote: url('alice@example.com', undefined),
      store: [storeLine('alice@example.com', world.secret('alice-rw'))],
    });
    const { run, ids } = await doctor(dir, env);
    expect(run.code).toBe(1);
    expect(ids).toContain('email-as-git-username');
  });

  it('5. app password cached in ~/.git-credentials → one error (app-password-retired) explaining the rest, plus the plaintext store', async () => {
    const { dir, env } = await repoWith({
      remote: url(undefined, undefined),
      store: [storeLine('alice', world.secret('alice-app-password'))],
    });
    const { run, json, ids } = await doctor(dir, env);
    expect(run.code).toBe(1);
    expect(ids).toEqual(expect.arrayContaining(['app-password-retired', 'plaintext-credential-store']));
    // One cause, one error with one fix: the offline kind and the stuck helper are its "because" lines.
    const errors = json.findings.filter((x) => x.severity === 'error');
    expect(errors.map((x) => x.id)).toEqual(['app-password-retired']);
    const retired = errors[0] as unknown as { because?: { id: string }[] };
    expect(retired.because?.map((b) => b.id).sort()).toEqual(['app-password', 'stale-cached-credential']);
    expect(JSON.stringify(json)).toContain('CHANGE-3222');
    const human = await runCli(['doctor', ...emulatorFlags(world)], { cwd: dir, env });
    expect(human.stdout).toMatch(/also +app-password: /);
  });

  it('6a. read-only token: pull works, push refused → push-not-permitted', async () => {
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth', undefined),
      store: [storeLine('x-bitbucket-api-token-auth', world.secret('alice-read'))],
    });
    const { ids, json } = await doctor(dir, env);
    expect(ids).toContain('push-not-permitted');
    expect(ids).not.toContain('missing-scope');
    expect(json.remotes[0]!.server.join(' ')).toMatch(/fetch: HTTP 200/);
  });

  it.each([403, 404] as const)(
    '6b. token from an account without access (server answers %i) → no-repository-access',
    async (status) => {
      const settings = (world.emulator.state.settings ??= {});
      settings.noAccessStatus = status;
      try {
        const { dir, env } = await repoWith({
          remote: url('x-bitbucket-api-token-auth', undefined, 'acme/secret'),
          store: [storeLine('x-bitbucket-api-token-auth', world.secret('alice-rw'))],
        });
        const { ids, json } = await doctor(dir, env);
        expect(ids).toContain('no-repository-access');
        expect(ids).not.toContain('credential-rejected');
        expect(json.findings.find((f) => f.id === 'no-repository-access')!.message).toContain(String(status));
      } finally {
        delete settings.noAccessStatus;
      }
    },
  );

  it('6c. token pasted with one character missing → token-checksum-mismatch, offline, no request sent', async () => {
    const t = world.secret('alice-rw');
    const { dir, env } = await repoWith({
      remote: url(undefined, undefined),
      store: [storeLine('x-bitbucket-api-token-auth', t.slice(0, 100) + t.slice(101))],
    });
    const before = world.emulator.requests.length;
    const { ids, json } = await doctor(dir, env);
    expect(ids).toContain('token-checksum-mismatch');
    expect(world.emulator.requests.length).toBe(before);
    expect(json.stats.requests).toBe(0);
  });

  it('6d. Git Credential Manager configured → gcm-validation-trap; disabling validation clears it', async () => {
    const trap = await repoWith({
      remote: url(undefined, undefined),
      globalConfig: [['credential.helper', 'manager']],
    });
    expect((await doctor(trap.dir, trap.env, ['--offline'])).ids).toContain('gcm-validation-trap');
    const fixed = await repoWith({
      remote: url(undefined, undefined),
      globalConfig: [
        ['credential.helper', 'manager'],
        ['credential.bitbucketValidateStoredCredentials', 'false'],
      ],
    });
    expect((await doctor(fixed.dir, fixed.env, ['--offline'])).ids).not.toContain('gcm-validation-trap');
  });

  it('6e. SSH remote → ssh-remote (info), exit 0', async () => {
    const { dir, env } = await repoWith({
      remote: `git@${new URL(world.emulator.gitUrl).hostname}:acme/web.git`,
    });
    const { run, ids, json } = await doctor(dir, env);
    expect(ids).toContain('ssh-remote');
    expect(json.findings.find((f) => f.id === 'ssh-remote')!.severity).toBe('info');
    expect(run.code).toBe(0);
  });

  it('7. healthy setup → no error findings, exit 0, fetch and push confirmed', async () => {
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth', undefined),
      store: [storeLine('x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    });
    const { run, json } = await doctor(dir, env);
    expect(json.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(json.remotes[0]!.server.join(' ')).toMatch(/fetch: HTTP 200.*push: HTTP 200/);
    expect(json.stats.requests).toBeLessThanOrEqual(4);
  });

  it('deduplicates: one credential on two remotes of the same repository is probed once', async () => {
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth', undefined),
      store: [storeLine('x-bitbucket-api-token-auth', world.secret('alice-rw'))],
    });
    await gitAsync(world.sandbox, ['remote', 'add', 'mirror', url('x-bitbucket-api-token-auth', undefined)], {
      cwd: dir,
      env,
    });
    const before = world.emulator.requests.length;
    const { json } = await doctor(dir, env);
    expect(world.emulator.requests.length - before).toBe(2);
    expect(json.stats.requests).toBe(2);
  });

  it('recorded expiry: token-expired (error) in the past, token-expires-soon within --warn-days', async () => {
    const token = world.secret('alice-rw');
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth', undefined),
      store: [storeLine('x-bitbucket-api-token-auth', token)],
    });
    const record = (expires: string) => recordToken(env, token, { expires });
    await record(dayFromNow(-2));
    const expired = await doctor(dir, env, ['--offline']);
    expect(expired.json.findings.find((f) => f.id === 'token-expired')).toMatchObject({
      severity: 'error',
      location: { remote: 'origin' },
    });
    expect(expired.run.code).toBe(1);
    await record(dayFromNow(5));
    expect((await doctor(dir, env, ['--offline'])).ids).toContain('token-expires-soon');
    expect((await doctor(dir, env, ['--offline', '--warn-days', '3'])).ids).not.toContain(
      'token-expires-soon',
    );
    const bad = await runCli(['doctor', '--warn-days', 'soon'], { cwd: dir, env });
    expect(bad.code).toBe(2);
  });

  it('uses the email bbauth recorded for the token for the REST identity check', async () => {
    const token = world.secret('alice-unscoped');
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth', undefined),
      store: [storeLine('x-bitbucket-api-token-auth', token)],
    });
    await recordToken(env, token, { email: 'alice@example.com' });
    const before = world.emulator.requests.length;
    const { json } = await doctor(dir, env);
    expect((json as unknown as { email: { source: string } }).email.source).toBe('record');
    const rest = world.emulator.requests.slice(before).filter((r) => r.surface === 'rest');
    expect(rest.map((r) => r.username)).toEqual(['alice@example.com']);
    expect(json.findings.find((f) => f.id === 'credential-rejected')!.message).toMatch(
      /git and the REST API both refuse/,
    );
  });

  it("names VS Code's askpass when nothing is stored, and never runs it", async () => {
    const { dir, env } = await repoWith({ remote: url(), globalConfig: [['credential.helper', 'store']] });
    const marker = join(dir, 'askpass-ran');
    const askpass = world.sandbox.write(
      join(dir, 'askpass.sh'),
      `#!/bin/sh\ntouch ${marker}\necho hunter2\n`,
      0o755,
    );
    const run = await runCli(
      ['doctor', '--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl],
      {
        cwd: dir,
        env: { ...env, GIT_ASKPASS: askpass },
      },
    );
    expect(run.stdout).toContain(
      `nothing: no helper, URL or .netrc has a credential, so git would ask through ${askpass} (GIT_ASKPASS)`,
    );
    const json = await runCli(['doctor', '--json', '--offline', '--bitbucket-url', world.emulator.gitUrl], {
      cwd: dir,
      // What VS Code's integrated terminal sets beside GIT_ASKPASS.
      env: { ...env, GIT_ASKPASS: askpass, VSCODE_GIT_IPC_HANDLE: join(dir, 'vscode-git.sock') },
    });
    const report = JSON.parse(json.stdout);
    expect(report.prompt).toEqual({
      via: 'askpass',
      source: 'GIT_ASKPASS',
      program: askpass,
      kind: 'vscode',
    });
    const f = report.findings.find((x: { id: string }) => x.id === 'askpass-credential');
    expect(f.message).toMatch(/VS Code's askpass/);
    expect(f.fix.summary).toMatch(/dialog/);
    expect(existsSync(marker)).toBe(false);
  });

  it('says when git last reported a failure for the token (recorded by git-credential-bbauth)', async () => {
    const token = world.secret('alice-rw');
    const { dir, env } = await repoWith({
      remote: url('x-bitbucket-api-token-auth'),
      store: [storeLine('x-bitbucket-api-token-auth', token)],
    });
    await recordToken(env, token, { lastFailed: '2026-11-23T14:02:00.000Z' });
    const run = await runCli(['doctor', '--offline', '--bitbucket-url', world.emulator.gitUrl], {
      cwd: dir,
      env,
    });
    expect(run.stdout).toContain(
      `history   git reported a failure at 2026-11-23 14:02 UTC for token ${fingerprint(token)}`,
    );
  });

  it('human output: masked, names the fix, ends with a verdict', async () => {
    const secret = mintSecret('app-password');
    const { dir, env } = await repoWith({ remote: url('alice', secret) });
    const run = await runCli(['doctor', '--offline', '--bitbucket-url', world.emulator.gitUrl], {
      cwd: dir,
      env,
    });
    expectNoSecrets(run, [secret]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('app-password');
    expect(run.stdout).toContain('git remote set-url origin');
    expect(run.stdout).toMatch(/Verdict\s+\d+ error/);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });
});
