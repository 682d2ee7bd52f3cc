/**
 * A keychain helper that is installed but cannot work, with the real git-credential-libsecret: on a server with
 * no Secret Service it fails every `get` and `store`, and git skips it as if it held nothing. doctor must say so
 * (helper-not-runnable) and predict what git does; real git in the same sandbox, without a terminal, proves the
 * prediction. A working keychain that holds nothing for the host must not be reported.
 */
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { emuUrl, gitHost, makeRepo, storeLine } from '../helpers/repos.js';
import { requireSecretServiceClients, startSessionBus } from '../helpers/secret-service.js';
import { spawnCollect } from '../helpers/spawn.js';

interface DoctorJson {
  findings: { id: string; severity: string; message: string; location: Record<string, unknown> }[];
  remotes: {
    credential?: { source: string };
    predicted: { fetch: string; push: string; because: string[] };
  }[];
}

const STATIC = 'x-bitbucket-api-token-auth';
let world: EmulatorWorld;

beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => {
  await world?.close();
});

/**
 * A repository whose global config lists these helpers, in order, for every host. Each test starts here, so each
 * one fails (rather than being skipped) when a real client is missing.
 */
function repoWithHelpers(...helpers: string[]) {
  requireSecretServiceClients(world.sandbox);
  return makeRepo(world, {
    remote: emuUrl(world, STATIC),
    globalConfig: helpers.map((h): [string, string] => ['credential.helper', h]),
  });
}

async function doctor(dir: string, env: NodeJS.ProcessEnv) {
  const run = await runCli(['doctor', '--json', ...emulatorFlags(world)], { cwd: dir, env });
  expectNoSecrets(
    run,
    world.emulator.state.tokens.map((t) => t.secret),
  );
  const json = JSON.parse(run.stdout) as DoctorJson;
  return { run, json, runnable: json.findings.filter((f) => f.id === 'helper-not-runnable') };
}

const fetch = (dir: string, env: NodeJS.ProcessEnv) =>
  gitAsync(world.sandbox, ['fetch', '-q', 'origin'], { cwd: dir, env });

describe('libsecret with no session bus (a headless server)', () => {
  it('alone: doctor reports helper-not-runnable as the error and predicts fetch fails; real git fails', async () => {
    const { dir, env } = await repoWithHelpers('libsecret');
    // Nothing leads libsecret to a bus: no address, no display to autolaunch one on.
    for (const k of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR'])
      expect(env[k], k).toBeUndefined();
    const git = await fetch(dir, env);
    expect(git.code).not.toBe(0);
    expect(git.stderr).toMatch(/could not connect to Secret Service/);
    expect(git.stderr).toMatch(/could not read (Username|Password) for '[^']+': terminal prompts disabled/);

    const { run, json, runnable } = await doctor(dir, env);
    expect(run.code).toBe(1);
    expect(runnable).toEqual([
      expect.objectContaining({
        severity: 'error',
        location: expect.objectContaining({ remote: 'origin', helper: 'libsecret' }),
        message: expect.stringMatching(
          /git-credential-libsecret exits with status 1 and prints "could not connect to Secret Service: [^"]+", so git skips it as if it held nothing and cannot keep a token there — and no other helper can answer\./,
        ),
      }),
    ]);
    // The one error: no-credential is folded into it.
    expect(json.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([
      'helper-not-runnable',
    ]);
    expect(json.remotes[0]!.predicted).toMatchObject({ fetch: 'fails', because: ['helper-not-runnable'] });
  });

  it('with store after it holding a working token: a warning, fetch predicted ok, exit 0; real git fetches', async () => {
    const { dir, env, home } = await repoWithHelpers('libsecret', 'store');
    world.sandbox.write(
      join(home, '.git-credentials'),
      `${storeLine(world, STATIC, world.secret('alice-rw'))}\n`,
      0o600,
    );
    const { run, json, runnable } = await doctor(dir, env);
    expect(runnable.map((f) => f.severity)).toEqual(['warning']);
    expect(runnable[0]!.message).toMatch(/cannot keep a token there\.$/);
    expect(json.remotes[0]!.predicted.fetch).toBe('ok');
    expect(run.code).toBe(0);
    const git = await fetch(dir, env);
    expect(git.stderr).toMatch(/could not connect to Secret Service/);
    expect(git.code).toBe(0);
  });
});

describe('libsecret with a session bus', () => {
  it('but no keyring on it: helper-not-runnable quotes the lookup failure; real git fails', async () => {
    const { dir, env } = await repoWithHelpers('libsecret');
    const bus = await startSessionBus(world.sandbox, env, { keyring: false });
    try {
      const onBus = { ...env, DBUS_SESSION_BUS_ADDRESS: bus.address };
      const git = await fetch(dir, onBus);
      expect(git.code).not.toBe(0);
      expect(git.stderr).toMatch(/lookup failed: .*org\.freedesktop\.secrets/);
      const { run, runnable } = await doctor(dir, onBus);
      expect(run.code).toBe(1);
      expect(runnable).toHaveLength(1);
      expect(runnable[0]!.severity).toBe('error');
      expect(runnable[0]!.message).toMatch(/prints "lookup failed: [^"]*org\.freedesktop\.secrets[^"]*"/);
    } finally {
      await bus.close();
    }
  });

  it('and gnome-keyring unlocked: not reported while empty; a token approved into it is what doctor and git use', async () => {
    const { dir, env } = await repoWithHelpers('libsecret');
    const bus = await startSessionBus(world.sandbox, env, { keyring: true });
    try {
      const onBus = { ...env, DBUS_SESSION_BUS_ADDRESS: bus.address };
      // Empty: the keychain works, it just holds nothing for the host, so the error is no-credential.
      const empty = await doctor(dir, onBus);
      expect(empty.runnable).toEqual([]);
      expect(empty.json.findings.map((f) => f.id)).toContain('no-credential');
      expect(empty.run.code).toBe(1);

      // Stored the way git stores after a login; the secret goes on stdin only.
      const secret = world.secret('alice-rw');
      const approve = await spawnCollect('git', ['credential', 'approve'], {
        cwd: dir,
        env: onBus,
        input: `protocol=http\nhost=${gitHost(world)}\nusername=${STATIC}\npassword=${secret}\n\n`,
        timeoutMs: 30_000,
      });
      expect(approve.stderr).toBe('');
      expect(approve.code).toBe(0);

      const stored = await doctor(dir, onBus);
      expect(stored.runnable).toEqual([]);
      expect(stored.json.remotes[0]!.credential?.source).toBe('helper:libsecret');
      expect(stored.json.remotes[0]!.predicted.fetch).toBe('ok');
      expect(stored.run.code).toBe(0);
      const git = await fetch(dir, onBus);
      expect(git.stderr).toBe('');
      expect(git.code).toBe(0);
    } finally {
      await bus.close();
    }
  });
});

describe('the probe', () => {
  it('asks each keychain helper once, about a host that exists nowhere, however many remotes use it', async () => {
    const { dir, env, home } = await repoWithHelpers('wincred');
    await gitAsync(world.sandbox, ['remote', 'add', 'mirror', emuUrl(world, STATIC, 'acme/api')], {
      cwd: dir,
      env,
    });
    // A stand-in keychain on PATH that logs what it is asked and fails as a keychain without its vault does.
    const log = join(home, 'wincred.log');
    const bin = join(home, 'bin');
    world.sandbox.write(
      join(bin, 'git-credential-wincred'),
      `#!/bin/sh\necho "$1 $(sed -n 's/^host=//p')" >> "${log}"\necho 'error: no credential vault here' >&2\nexit 1\n`,
      0o755,
    );
    const { runnable } = await doctor(dir, { ...env, PATH: `${bin}${delimiter}${env.PATH}` });
    const asked = readFileSync(log, 'utf8').trim().split('\n');
    expect(asked.filter((l) => l === 'get bbauth-probe.invalid')).toHaveLength(1);
    expect(asked.every((l) => l.startsWith('get '))).toBe(true);
    expect(runnable.map((f) => `${String(f.location.remote)}:${f.severity}`).sort()).toEqual([
      'mirror:error',
      'origin:error',
    ]);
    expect(runnable[0]!.message).toContain(
      'git-credential-wincred exits with status 1 and prints "error: no credential vault here"',
    );
  });
});

describe('login with a keychain that cannot keep the token', () => {
  const login = (dir: string, env: NodeJS.ProcessEnv, extra: string[]) =>
    runCli(['login', '--with-token', ...extra, ...emulatorFlags(world)], {
      cwd: dir,
      env,
      input: `${world.secret('alice-rw')}\n`,
    });

  it('libsecret configured, no Secret Service: refused before any change; --helper store on the rerun works', async () => {
    const { dir, env } = await repoWithHelpers('libsecret');
    const gitconfig = join(env.HOME!, '.gitconfig');
    const before = readFileSync(gitconfig, 'utf8');
    const refused = await login(dir, env, []);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no configured credential helper can keep a token here \(libsecret: /);
    expect(refused.stderr).toMatch(/--helper store/);
    expect(readFileSync(gitconfig, 'utf8')).toBe(before);
    const rerun = await login(dir, env, ['--helper', 'store']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const git = await fetch(dir, env);
    expect(git.code, git.stderr).toBe(0);
  });

  it('--helper libsecret with no Secret Service: refused, and the helper is not written to the config', async () => {
    const { dir, env } = await repoWithHelpers();
    const gitconfig = join(env.HOME!, '.gitconfig');
    const before = readFileSync(gitconfig, 'utf8');
    const refused = await login(dir, env, ['--helper', 'libsecret']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/credential helper "libsecret" cannot keep a token here/);
    expect(readFileSync(gitconfig, 'utf8')).toBe(before);
  });
});
