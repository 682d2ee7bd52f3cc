/**
 * Faults are never blamed on the token, and an unchecked token is never stored as checked: with a captive portal
 * answering `200 text/html` in Bitbucket's place, or Bitbucket answering 503, `login` stores nothing and says the
 * token was not checked (exit non-zero, `--offline` named for storing it unchecked), and doctor reports
 * `unexpected-response` or `network-unreachable`, never a refused credential.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { emuUrl, makeRepo, storeLine } from '../helpers/repos.js';

let world: EmulatorWorld;
let portal: Server;
let portalUrl: string;
let n = 0;

beforeAll(async () => {
  world = await withEmulator();
  portal = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<html><title>Guest Wi-Fi</title><body>Accept the terms to continue</body></html>'),
  );
  await new Promise<void>((r) => portal.listen(0, '127.0.0.1', () => r()));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
});
afterAll(async () => {
  portal.closeAllConnections();
  await new Promise((r) => portal.close(r));
  await world?.close();
});

function home() {
  const dir = join(world.sandbox.root, `faults-${++n}`);
  mkdirSync(dir, { recursive: true });
  return { dir, env: { ...world.sandbox.env, HOME: dir, GIT_CONFIG_GLOBAL: join(dir, '.gitconfig') } };
}

/** `bbauth login --with-token --helper store` for `repoUrl`, against `origin` for git and REST, in a fresh HOME. */
async function login(repoUrl: string, git: string, api: string) {
  const h = home();
  const secret = world.secret('alice-rw');
  const run = await runCli(
    [
      'login',
      '--with-token',
      '--helper',
      'store',
      '--url',
      repoUrl,
      '--bitbucket-url',
      git,
      '--api-url',
      api,
    ],
    { cwd: h.dir, env: h.env, input: secret },
  );
  expectNoSecrets(run, [secret]);
  return { run, home: h.dir };
}

/** What login must do when nothing answered the check: store nothing, say so, blame nothing. */
function expectNotChecked(run: { code: number | null; stdout: string; stderr: string }, home: string) {
  expect(run.code).not.toBe(0);
  expect(run.stdout + run.stderr).toMatch(/not checked/);
  expect(run.stdout + run.stderr).toMatch(/--offline/);
  expect(run.stdout + run.stderr).not.toMatch(/cannot fetch|refused this token/);
  expect(existsSync(join(home, '.git-credentials'))).toBe(false);
}

describe('faults are not the token', () => {
  it('a captive portal: login stores nothing, says the token was not checked, exit non-zero', async () => {
    const { run, home: dir } = await login(`${portalUrl}/acme/web.git`, portalUrl, portalUrl);
    expectNotChecked(run, dir);
  });

  it('a captive portal: doctor URL says unexpected-response, not a refused credential', async () => {
    const h = home();
    const secret = world.secret('alice-rw');
    const run = await runCli(
      [
        'doctor',
        `${portalUrl}/acme/web.git`,
        '--with-token',
        '--json',
        '--bitbucket-url',
        portalUrl,
        '--api-url',
        portalUrl,
      ],
      { cwd: h.dir, env: h.env, input: secret },
    );
    expectNoSecrets(run, [secret]);
    const ids = (JSON.parse(run.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id);
    expect(ids).toContain('unexpected-response');
    expect(ids).not.toContain('credential-rejected');
  });

  it('Bitbucket answers 503: login stores nothing and blames the server, not the token', async () => {
    world.emulator.setFaults({ serverError: { count: 50, status: 503 } });
    try {
      const { run, home: dir } = await login(
        world.repoUrl('acme/web'),
        world.emulator.gitUrl,
        world.emulator.apiUrl,
      );
      expectNotChecked(run, dir);
    } finally {
      world.emulator.setFaults({});
    }
  });

  it('Bitbucket answers 503: fix --with-token changes nothing and says the new token was not checked', async () => {
    const secret = world.secret('alice-rw');
    const c = await makeRepo(world, {
      remote: emuUrl(world),
      store: [storeLine(world, 'alice', world.secret('alice-app-password'))],
      commit: true,
    });
    const before = readFileSync(join(c.dir, '.git', 'config'), 'utf8');
    const store = readFileSync(join(c.home, '.git-credentials'), 'utf8');
    world.emulator.setFaults({ serverError: { count: 50, status: 503 } });
    try {
      const run = await runCli(
        ['fix', '--yes', '--with-token', '--helper', 'store', ...emulatorFlags(world)],
        {
          cwd: c.dir,
          env: c.env,
          input: secret,
        },
      );
      expectNoSecrets(run, [secret]);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/not checked/);
      expect(run.stdout + run.stderr).not.toMatch(/cannot fetch/);
      expect(readFileSync(join(c.dir, '.git', 'config'), 'utf8')).toBe(before);
      expect(readFileSync(join(c.home, '.git-credentials'), 'utf8')).toBe(store);
    } finally {
      world.emulator.setFaults({});
    }
  });
});
