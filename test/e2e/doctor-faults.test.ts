/**
 * doctor when Bitbucket misbehaves or is out of reach: 429 with Retry-After, 5xx, dropped connections, a closed
 * port; doctor outside any repository; and what --verbose prints. The built binary against the emulator's fault
 * injection, isolated HOME, canary on every run. Faults are consumed in arrival order, so every test resets them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { expectNoSecrets, runCli, secretFragmentsIn } from '../helpers/cli.js';
import { emuUrl, makeRepo, storeLine, type RepoCase } from '../helpers/repos.js';
import { mintSecret } from '../../src/core/token/format.js';

interface DoctorJson {
  repository?: string | null;
  findings: { id: string; severity: string; message: string; location: Record<string, unknown> }[];
  remotes: { name: string; server: string[] }[];
  stats: { requests: number; gitCalls: number };
}

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());
afterEach(() => world.emulator.setFaults({}));

const planted: string[] = [];
const secrets = () => [...world.emulator.state.tokens.map((t) => t.secret), ...planted];

// Every output of the current test, checked after it so that the test's own assertions all run first.
const outputs: string[] = [];
async function bbauth(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  const run = await runCli(args, opts);
  expectNoSecrets(run, secrets());
  outputs.push(run.stdout, run.stderr);
  return run;
}
afterEach(() => {
  const shown = outputs.splice(0).flatMap((text) => secretFragmentsIn(text, secrets()));
  expect(shown, 'part of a secret was printed').toEqual([]);
});
const endpointFlags = () => ['--bitbucket-url', world.emulator.gitUrl, '--api-url', world.emulator.apiUrl];

async function doctor(cwd: string, env: NodeJS.ProcessEnv, extra: string[] = endpointFlags()) {
  const before = world.emulator.requests.length;
  const started = Date.now();
  const run = await bbauth(['doctor', '--json', ...extra], { cwd, env });
  const elapsed = Date.now() - started;
  let json: DoctorJson;
  try {
    json = JSON.parse(run.stdout) as DoctorJson;
  } catch {
    throw new Error(`doctor did not print JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  const served = world.emulator.requests.slice(before);
  return { run, json, ids: json.findings.map((f) => f.id), served, elapsed };
}

/** A healthy repository: read+write API token in the store helper, static username in the URL. */
const healthy = (): Promise<RepoCase> =>
  makeRepo(world, {
    remote: emuUrl(world, 'x-bitbucket-api-token-auth'),
    store: [storeLine(world, 'x-bitbucket-api-token-auth', world.secret('alice-rw'))],
  });

const errorsOf = (json: DoctorJson) => json.findings.filter((f) => f.severity === 'error').map((f) => f.id);

describe('doctor against a failing server', () => {
  it('429 with Retry-After: waits as told, at most 3 requests, reports rate-limited (warning), exit 0', async () => {
    const c = await healthy();
    world.emulator.setFaults({ rateLimit: { count: 10, retryAfterSeconds: 1 } });
    const { run, json, served, elapsed } = await doctor(c.dir, c.env);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(served.length).toBeLessThanOrEqual(3);
    expect(served.every((r) => r.status === 429)).toBe(true);
    // Retry-After: 1 honoured between attempts, not hammered.
    for (let i = 1; i < served.length; i++) {
      expect(served[i]!.at - served[i - 1]!.at).toBeGreaterThanOrEqual(900);
    }
    expect(elapsed).toBeLessThan(15_000);
    expect(json.stats.requests).toBe(served.length);
    const limited = json.findings.find((f) => f.id === 'rate-limited');
    expect(limited).toMatchObject({ severity: 'warning', location: { remote: 'origin' } });
    expect(limited!.message).toContain('429');
    expect(json.remotes[0]!.server.join(' ')).toMatch(/429/);
    expect(errorsOf(json)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('429 with a Retry-After beyond the bound: gives up at once instead of waiting a minute', async () => {
    const c = await healthy();
    world.emulator.setFaults({ rateLimit: { count: 10, retryAfterSeconds: 120 } });
    const { run, ids, served, elapsed } = await doctor(c.dir, c.env);
    expect(served).toHaveLength(1);
    expect(elapsed).toBeLessThan(10_000);
    expect(ids).toContain('rate-limited');
    expect(run.code).toBe(0);
  });

  it('503s: retried with backoff (≤ 3 requests), then network-unreachable (warning), offline findings kept', async () => {
    const c = await healthy();
    world.emulator.setFaults({ serverError: { count: 10 } });
    const { run, json, ids, served } = await doctor(c.dir, c.env);
    expect(served.length).toBeLessThanOrEqual(3);
    expect(served.every((r) => r.status === 503)).toBe(true);
    const f = json.findings.find((x) => x.id === 'network-unreachable');
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.message).toMatch(/HTTP 503/);
    expect(ids).toContain('plaintext-credential-store');
    expect(ids).not.toContain('credential-rejected');
    expect(run.code).toBe(0);
  });

  it('one 503 then healthy: the retry succeeds and doctor confirms fetch and push', async () => {
    const c = await healthy();
    world.emulator.setFaults({ serverError: { count: 1 } });
    const { run, json, ids, served } = await doctor(c.dir, c.env);
    expect(served.map((r) => r.status)).toEqual([503, 200, 200]);
    expect(json.stats.requests).toBe(3);
    expect(ids).not.toContain('network-unreachable');
    expect(json.remotes[0]!.server.join(' ')).toMatch(/fetch: HTTP 200.*push: HTTP 200/);
    expect(run.code).toBe(0);
  });

  it('one dropped connection (a reset): asked again, and the check goes through', async () => {
    const c = await healthy();
    world.emulator.setFaults({ dropConnections: 1 });
    const { run, json, served } = await doctor(c.dir, c.env);
    expect(served.map((r) => r.status).slice(0, 2)).toEqual([0, 200]);
    expect(json.findings.map((f) => f.id)).not.toContain('network-unreachable');
    expect(run.code).toBe(0);
  });

  it('connections dropped every time: network-unreachable after three tries, no crash', async () => {
    const c = await healthy();
    world.emulator.setFaults({ dropConnections: 100 });
    const { run, json, served } = await doctor(c.dir, c.env);
    world.emulator.setFaults({});
    expect(served.map((r) => r.status)).toEqual([0, 0, 0]);
    expect(json.findings.find((x) => x.id === 'network-unreachable')?.message).toMatch(
      /Nothing online was checked: \w+ error reaching 127\.0\.0\.1/,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/bug|internal error/i);
  });
});

/** A port on 127.0.0.1 that nothing listens on (bound then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('doctor when Bitbucket is unreachable', () => {
  it('closed port: network-unreachable naming the host, secret-in-remote-url still reported, exit 0', async () => {
    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}`;
    const token = mintSecret('api-token');
    planted.push(token);
    const c = await makeRepo(world, {
      remote: `http://alice:${encodeURIComponent(token)}@127.0.0.1:${port}/acme/web.git`,
    });
    const { run, json, ids } = await doctor(c.dir, c.env, ['--bitbucket-url', origin, '--api-url', origin]);
    const f = json.findings.find((x) => x.id === 'network-unreachable');
    expect(f).toMatchObject({ severity: 'warning', location: { host: `127.0.0.1:${port}` } });
    expect(f!.message).toMatch(new RegExp(`connect error reaching 127\\.0\\.0\\.1:${port}`));
    expect(ids).toContain('secret-in-remote-url');
    // Unverified, the secret in the URL stays a warning: only a server's refusal makes it an error.
    expect(json.findings.find((x) => x.id === 'secret-in-remote-url')!.severity).toBe('warning');
    expect(json.stats.requests).toBe(1);
    expect(run.code).toBe(0);
  });
});

describe('doctor outside a repository', () => {
  let n = 0;
  /** An empty folder outside any repository, and a HOME of its own. */
  async function outside(store?: string[]) {
    const dir = join(world.sandbox.root, `outside-${++n}`, 'empty');
    const home = join(world.sandbox.root, `outside-${n}`, 'home');
    mkdirSync(dir, { recursive: true });
    mkdirSync(home, { recursive: true });
    const env = {
      ...world.sandbox.env,
      HOME: home,
      GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
      XDG_CONFIG_HOME: join(home, '.config'),
      // Stop git's repository discovery at the sandbox, whatever encloses the temp dir.
      GIT_CEILING_DIRECTORIES: world.sandbox.root,
    };
    world.sandbox.write(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
    if (store) {
      world.sandbox.write(join(home, '.git-credentials'), store.join('\n') + '\n', 0o600);
      await gitAsync(world.sandbox, ['config', '--global', 'credential.helper', 'store'], { env });
    }
    return { dir, env };
  }

  it("store helper holding an app password → the host's findings (app-password, plaintext store), no remotes, exit 1", async () => {
    const { dir, env } = await outside([storeLine(world, 'alice', world.secret('alice-app-password'))]);
    const { run, json, ids } = await doctor(dir, env);
    expect(json.repository ?? undefined).toBeUndefined();
    expect(json.remotes).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining(['app-password', 'plaintext-credential-store']));
    expect(json.findings.find((f) => f.id === 'app-password')!.severity).toBe('error');
    expect(run.code).toBe(1);
    const human = await bbauth(['doctor', '--offline', ...endpointFlags()], { cwd: dir, env });
    expect(human.stdout).toMatch(/Outside a repository/);
    expect(human.code).toBe(1);
  });

  it('nothing configured → no-credential-helper (warning), exit 0', async () => {
    const { dir, env } = await outside();
    const { run, json, ids } = await doctor(dir, env);
    expect(json.remotes).toEqual([]);
    expect(ids).toContain('no-credential-helper');
    expect(json.findings.find((f) => f.id === 'no-credential-helper')!.severity).toBe('warning');
    expect(errorsOf(json)).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe('doctor --verbose', () => {
  it('names each request on stderr (no secret) and prints the request count the emulator saw', async () => {
    const c = await healthy();
    const before = world.emulator.requests.length;
    const run = await bbauth(['doctor', '--verbose', ...endpointFlags()], { cwd: c.dir, env: c.env });
    const served = world.emulator.requests.length - before;
    expect(run.code, run.stderr).toBe(0);
    expect(served).toBe(2);
    expect(run.stderr).toContain(
      '→ GET /acme/web.git/info/refs?service=git-upload-pack as x-bitbucket-api-token-auth',
    );
    expect(run.stderr).toContain(
      '→ GET /acme/web.git/info/refs?service=git-receive-pack as x-bitbucket-api-token-auth',
    );
    expect(run.stdout).toMatch(new RegExp(`\\b${served} HTTP request\\(s\\), \\d+ git call\\(s\\)\\.`));
    // Without --verbose neither appears.
    const quiet = await bbauth(['doctor', ...endpointFlags()], { cwd: c.dir, env: c.env });
    expect(quiet.stderr).not.toContain('→ GET');
    expect(quiet.stdout).not.toMatch(/HTTP request\(s\)/);
  });
});
