/**
 * Every command that goes online, against every way a server can be hostile (test/helpers/hostile-server.ts):
 * doctor, login, fix and scan --verify each finish within the network time they are given (`--timeout`) plus
 * start-up, never crash, never blame the token for the server's fault, never store or change anything on an
 * unchecked answer, never follow a redirect, leak no secret, and stay within a fixed memory bound (peak RSS
 * measured by /usr/bin/time) however much the server sends.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, expectNoSecrets } from '../helpers/cli.js';
import {
  HOSTILE_MODES,
  startHostileServer,
  type HostileMode,
  type HostileServer,
} from '../helpers/hostile-server.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { secrets } from '../helpers/secrets.js';
import { spawnCollect } from '../helpers/spawn.js';

/** The network time each run gets; the bound below adds start-up and the local work around the requests. */
const TIMEOUT_S = 4;
const BOUND_MS = TIMEOUT_S * 1000 + 6000;
/** Peak RSS a run may reach: Node's own footprint is about 60 MiB; a body read whole would push far past this. */
const MAX_RSS_KIB = 160 * 1024;

/** Findings that judge the credential: none may come from an answer that was not Bitbucket's. */
const JUDGING = [
  'app-password-retired',
  'credential-rejected',
  'stale-cached-credential',
  'missing-scope',
  'no-repository-access',
  'push-not-permitted',
  'unscoped-token',
];
const FAULTS = ['network-unreachable', 'rate-limited', 'unexpected-response'];
/** The fault each server is reported as. */
const FAULT_OF: Record<HostileMode, string> = {
  'slow-headers': 'network-unreachable',
  'slow-body': 'network-unreachable',
  'huge-body': 'unexpected-response',
  'gzip-bomb': 'unexpected-response',
  'html-200': 'unexpected-response',
  'redirect-on-host': 'unexpected-response',
  'redirect-off-host': 'unexpected-response',
  'rate-limit-forever': 'rate-limited',
  unavailable: 'network-unreachable',
  reset: 'network-unreachable',
  'self-signed-tls': 'network-unreachable',
};

let sandbox: Sandbox;
const servers = new Map<HostileMode, HostileServer>();
beforeAll(async () => {
  sandbox = createSandbox('bbauth-hostile-');
  for (const mode of HOSTILE_MODES) servers.set(mode, await startHostileServer(mode, sandbox.root));
}, 60_000);
/** The largest peak RSS and the longest run seen, printed at the end for the record. */
const worst = { rssKiB: 0, ms: 0 };
afterAll(async () => {
  console.log(
    `hostile servers: ${HOSTILE_MODES.length} modes × 4 commands, --timeout ${TIMEOUT_S}; longest run ${worst.ms} ms (bound ${BOUND_MS}), largest peak RSS ${Math.round(worst.rssKiB / 1024)} MiB (bound ${MAX_RSS_KIB / 1024})`,
  );
  for (const s of servers.values()) await s.close();
  sandbox?.cleanup();
});

let n = 0;
/** A fresh HOME whose store holds `secret` for the server's host (and a repository cloned from it, if asked). */
function home(server: HostileServer, secret: string, user: string, repo: boolean) {
  const dir = join(sandbox.root, `h${++n}`);
  mkdirSync(dir, { recursive: true });
  const env = {
    ...sandbox.env,
    HOME: dir,
    GIT_CONFIG_GLOBAL: join(dir, '.gitconfig'),
    XDG_CONFIG_HOME: join(dir, '.config'),
  };
  writeFileSync(join(dir, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[credential]\n\thelper = store\n');
  const u = new URL(server.url);
  writeFileSync(
    join(dir, '.git-credentials'),
    `${u.protocol}//${user}:${encodeURIComponent(secret)}@${u.host}\n`,
    {
      mode: 0o600,
    },
  );
  const work = join(dir, 'web');
  if (repo) {
    sandbox.git(['init', '-q', work], { env });
    sandbox.git(['remote', 'add', 'origin', `${server.url}/acme/web.git`], { cwd: work, env });
  }
  return { dir, work, env };
}

interface Timed {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  rssKiB: number;
}

/** Runs the built bbauth under /usr/bin/time, so its peak RSS is measured by the kernel, not by itself. */
async function run(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<Timed> {
  const rssFile = join(sandbox.root, `rss-${++n}`);
  const started = Date.now();
  const r = await spawnCollect('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, BIN, ...args], {
    ...opts,
    timeoutMs: 60_000,
  });
  const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  rmSync(rssFile);
  return { ...r, ms: Date.now() - started, rssKiB };
}

const flags = (s: HostileServer) => [
  '--bitbucket-url',
  s.url,
  '--api-url',
  s.url,
  '--timeout',
  String(TIMEOUT_S),
];

/** What every run must show, whatever the command. */
function expectBounded(r: Timed, secret: string) {
  expect(r.code, r.stderr).not.toBe(3); // a bug (BugError), or killed
  expect(r.code).not.toBe(128);
  worst.ms = Math.max(worst.ms, r.ms);
  worst.rssKiB = Math.max(worst.rssKiB, r.rssKiB);
  expect(r.ms).toBeLessThan(BOUND_MS);
  expect(r.rssKiB).toBeGreaterThan(0);
  expect(r.rssKiB).toBeLessThan(MAX_RSS_KIB);
  expectNoSecrets(r, [secret]);
}

/** The ids of a JSON report's findings. */
const ids = (stdout: string): string[] =>
  (JSON.parse(stdout) as { findings: { id: string }[] }).findings.map((f) => f.id);

/** A JSON report names the server's fault and judges no credential on it; no redirect was followed. */
function expectFaultReported(stdout: string, s: HostileServer) {
  const found = ids(stdout);
  expect(
    found.filter((id) => FAULTS.includes(id)),
    stdout,
  ).toContain(FAULT_OF[s.mode]);
  expect(found.filter((id) => JUDGING.includes(id))).toEqual([]);
  expectNoRedirectFollowed(s);
}

/** The server never saw the page a redirect pointed at: nothing follows redirects. */
function expectNoRedirectFollowed(s: HostileServer) {
  expect(s.paths.filter((p) => p.startsWith('/sso/'))).toEqual([]);
}

describe.concurrent.each(HOSTILE_MODES)('a hostile server: %s', (mode) => {
  it('doctor reports the fault, not the token, within its time', async () => {
    const s = servers.get(mode)!;
    const secret = secrets.api();
    const h = home(s, secret, 'x-bitbucket-api-token-auth', true);
    const r = await run(['doctor', '--json', ...flags(s)], { cwd: h.work, env: h.env });
    expectBounded(r, secret);
    if (mode === 'rate-limit-forever') {
      expect(r.stdout).toMatch(
        /asking to wait 86400 s: longer than this run waits\); fetch and push stayed unchecked/,
      );
    }
    expectFaultReported(r.stdout, s);
  });

  it('login stores nothing and says the token was not checked', async () => {
    const s = servers.get(mode)!;
    const secret = secrets.api();
    const h = home(s, secrets.app(), 'alice', false);
    rmSync(join(h.dir, '.git-credentials'));
    const r = await run(
      ['login', '--with-token', '--helper', 'store', '--url', `${s.url}/acme/web.git`, ...flags(s)],
      {
        cwd: h.dir,
        env: h.env,
        input: secret,
      },
    );
    expectBounded(r, secret);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/not checked/);
    expect(r.stdout + r.stderr).not.toMatch(/cannot fetch|refused this token/);
    expect(existsSync(join(h.dir, '.git-credentials'))).toBe(false);
    expectNoRedirectFollowed(s);
  });

  it('fix changes nothing and says the new token was not checked', async () => {
    const s = servers.get(mode)!;
    const secret = secrets.api();
    const old = secrets.app();
    const h = home(s, old, 'alice', true);
    const before = [
      readFileSync(join(h.work, '.git', 'config'), 'utf8'),
      readFileSync(join(h.dir, '.git-credentials'), 'utf8'),
    ];
    const r = await run(['fix', '--yes', '--with-token', '--helper', 'store', ...flags(s)], {
      cwd: h.work,
      env: h.env,
      input: secret,
    });
    expectBounded(r, secret);
    expectNoSecrets(r, [old]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/not checked/);
    expect(r.stdout + r.stderr).not.toMatch(/cannot fetch/);
    expect([
      readFileSync(join(h.work, '.git', 'config'), 'utf8'),
      readFileSync(join(h.dir, '.git-credentials'), 'utf8'),
    ]).toEqual(before);
    expectNoRedirectFollowed(s);
  });

  it('scan --verify reports the fault for the credential it found, within its time', async () => {
    const s = servers.get(mode)!;
    const secret = secrets.api();
    const h = home(s, secret, 'x-bitbucket-api-token-auth', false);
    // What scan verifies: a URL naming a repository (git), and an API token with its email (REST).
    const u = new URL(s.url);
    writeFileSync(
      join(h.dir, 'deploy.sh'),
      `git clone ${u.protocol}//x-bitbucket-api-token-auth:${secret}@${u.host}/acme/web.git\n`,
    );
    const other = secrets.api();
    writeFileSync(
      join(h.dir, 'auth.json'),
      JSON.stringify({ 'http-basic': { [u.host]: { username: 'alice@example.com', password: other } } }),
    );
    const r = await run(['scan', '--json', '--verify', ...flags(s), h.dir], { cwd: h.dir, env: h.env });
    expectNoSecrets(r, [other]);
    expectBounded(r, secret);
    expectFaultReported(r.stdout, s);
  });
});
