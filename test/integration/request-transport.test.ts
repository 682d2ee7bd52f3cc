/**
 * The transport rules of the one HTTP chokepoint, request(): plain HTTP only to loopback (checked before any
 * connection, in the function and in the CLI's URL flags), the proxy from the environment (CONNECT through
 * HTTPS_PROXY, NO_PROXY honoured, loopback always direct), and timeouts.
 *
 * Nothing may leave the machine. The proxy cases run in child processes (the proxy agent reads the environment
 * once per process) with a preloaded DNS guard: every hostname lookup fails with ENOTFOUND and is logged. Going
 * through a proxy needs no lookup of the target (the proxy is an IP literal), and a direct attempt at
 * bitbucket.org stops at the guard, so no packet reaches the internet even when NO_PROXY sends bbauth direct.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../src/core/errors.js';
import { mintSecret } from '../../src/core/token/format.js';
import { httpStats, NetworkError, request, RUN_BUDGET_MS, setRunBudget } from '../../src/net/request.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { spawnCollect } from '../helpers/spawn.js';
import { expectNoSecrets, runCli, type CliRun } from '../helpers/cli.js';

const DIST_REQUEST = fileURLToPath(new URL('../../dist/net/request.js', import.meta.url));

/** A proxy that records what it is asked and forwards nothing: CONNECT gets 403, plain requests 403. */
interface RecordingProxy {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

function listenLocal(server: Server | NetServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function startProxy(): Promise<RecordingProxy> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  const port = await listenLocal(server);
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Loaded with `node --import`: turns every DNS lookup into a logged ENOTFOUND, so no query leaves the machine.
const DNS_GUARD = `import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
const refuse = (hostname) => {
  appendFileSync(process.env.DNS_GUARD_LOG, hostname + '\\n');
  return Object.assign(new Error('getaddrinfo ENOTFOUND ' + hostname), { code: 'ENOTFOUND', hostname });
};
dns.lookup = (hostname, opts, cb) => process.nextTick(typeof opts === 'function' ? opts : cb, refuse(hostname));
dns.promises.lookup = async (hostname) => { throw refuse(hostname); };
`;

// One request through the built request(), reported as JSON on stdout.
const REQUEST_ONCE = `const { request } = await import(process.env.REQUEST_MODULE);
try {
  const r = await request({ url: process.argv[1], timeoutMs: 5000, retries: 0 });
  console.log(JSON.stringify({ status: r.status }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, kind: e.kind, host: e.host, proxy: e.proxy, message: e.message }));
}`;

let sandbox: Sandbox;
let guard: string;
let dnsLog: string;

beforeAll(() => {
  sandbox = createSandbox('bbauth-transport-');
  guard = sandbox.write(join(sandbox.root, 'dns-guard.mjs'), DNS_GUARD);
  dnsLog = join(sandbox.root, 'dns.log');
});
afterAll(() => sandbox?.cleanup());
afterEach(() => writeFileSync(dnsLog, ''));

const lookedUp = () => (existsSync(dnsLog) ? readFileSync(dnsLog, 'utf8').split('\n').filter(Boolean) : []);

/** Environment of a guarded child: the sandbox's, plus the DNS guard and the given proxy variables. */
function guardedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...sandbox.env,
    NODE_OPTIONS: `--import=${guard}`,
    DNS_GUARD_LOG: dnsLog,
    REQUEST_MODULE: DIST_REQUEST,
    ...extra,
  };
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return spawnCollect(process.execPath, args, { cwd: sandbox.root, env, timeoutMs: 15_000 });
}

async function requestInChild(url: string, env: NodeJS.ProcessEnv) {
  const run = await runNode(['--input-type=module', '-e', REQUEST_ONCE, url], guardedEnv(env));
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, string | number | undefined>;
}

describe('plain HTTP is refused before any connection, except to loopback', () => {
  it('request() rejects http://example.com with a UsageError, sending nothing (even via a proxy)', async () => {
    // If request() tried at all, the HTTP_PROXY set here would receive it: the proxy proves nothing was sent.
    const proxy = await startProxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
    process.env.HTTP_PROXY = proxy.url;
    process.env.http_proxy = proxy.url;
    try {
      const sent = httpStats.sent;
      const started = Date.now();
      const attempt = request({ url: 'http://example.com/2.0/user', headers: { authorization: 'Basic x' } });
      await expect(attempt).rejects.toBeInstanceOf(UsageError);
      await expect(attempt).rejects.toThrow(/plain HTTP/);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(httpStats.sent).toBe(sent);
      expect(proxy.seen).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await proxy.close();
    }
  });

  it('request() allows http://127.0.0.1 and http://localhost, direct even when a proxy is set', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
    const port = await listenLocal(server);
    const proxy = await startProxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = proxy.url;
    delete process.env.NO_PROXY;
    try {
      const res = await request({ url: `http://127.0.0.1:${port}/2.0/user` });
      expect(res).toMatchObject({ status: 200, body: 'hello', attempts: 1 });
      expect((await request({ url: `http://localhost:${port}/x` })).status).toBe(200);
      expect(hits).toEqual(['GET /2.0/user', 'GET /x']);
      expect(proxy.seen).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await proxy.close();
    }
  });

  it.each([
    ['--bitbucket-url', ['--bitbucket-url', 'http://example.com'], {}],
    ['--api-url', ['--api-url', 'http://api.example.com'], {}],
    ['--bitbucket-url', [], { BBAUTH_BITBUCKET_URL: 'http://example.com' }],
    ['--api-url', [], { BBAUTH_API_URL: 'http://api.example.com' }],
  ] as const)(
    'bbauth doctor refuses a plain-HTTP %s (%j %j): exit 2, names plain HTTP',
    async (what, flags, env) => {
      const run = await runCli(['doctor', ...flags], {
        cwd: sandbox.root,
        env: guardedEnv(env),
      });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(what);
      expect(run.stderr).toMatch(/plain HTTP/);
      expect(run.stdout).toBe('');
    },
  );

  it('bbauth doctor accepts loopback http:// URLs', async () => {
    const run = await runCli(
      ['doctor', '--offline', '--bitbucket-url', 'http://127.0.0.1:1', '--api-url', 'http://localhost:1'],
      { cwd: sandbox.root, env: sandbox.env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('http://127.0.0.1:1');
  });
});

describe('proxy from the environment', () => {
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(async () => proxy?.close());
  afterEach(() => {
    proxy.seen.length = 0;
  });

  it('HTTPS goes through HTTPS_PROXY as CONNECT bitbucket.org:443; a refusing proxy is a proxy error naming it', async () => {
    const out = await requestInChild('https://bitbucket.org/x', { HTTPS_PROXY: proxy.url });
    expect(proxy.seen).toEqual(['CONNECT bitbucket.org:443']);
    expect(out).toMatchObject({
      name: 'NetworkError',
      kind: 'proxy',
      host: 'bitbucket.org',
      proxy: proxy.url,
    });
    expect(out.message).toContain(`via proxy ${proxy.url}`);
    // Only the proxy was contacted: bitbucket.org was never resolved.
    expect(lookedUp()).toEqual([]);
  });

  it('the error names what the proxy answered (403 here; 407 is the usual corporate case)', async () => {
    const out = await requestInChild('https://bitbucket.org/x', { HTTPS_PROXY: proxy.url });
    expect(out.kind).toBe('proxy');
    // "UND_ERR_ABORTED" alone does not tell a user that the proxy refused, nor why.
    expect(out.message).toMatch(/\b403\b/);
  });

  it('NO_PROXY=bitbucket.org goes direct: the proxy sees nothing (the DNS guard stops the direct attempt)', async () => {
    const out = await requestInChild('https://bitbucket.org/x', {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: 'bitbucket.org',
    });
    expect(proxy.seen).toEqual([]);
    expect(lookedUp()).toContain('bitbucket.org');
    expect(out).toMatchObject({ name: 'NetworkError', kind: 'dns', host: 'bitbucket.org' });
    expect(out.proxy).toBeUndefined();
  });

  it('the proxy credentials in HTTPS_PROXY never show in the error', async () => {
    const auth = `user:${mintSecret('api-token').slice(0, 30)}`;
    const withAuth = proxy.url.replace('//', `//${auth}@`);
    const out = await requestInChild('https://bitbucket.org/x', { HTTPS_PROXY: withAuth });
    expect(proxy.seen).toEqual(['CONNECT bitbucket.org:443']);
    expect(out.kind).toBe('proxy');
    expect(JSON.stringify(out)).not.toContain(auth.split(':')[1]);
  });

  describe('bbauth doctor behind the proxy', () => {
    let token: string;
    let repo: string;
    beforeAll(() => {
      token = mintSecret('api-token');
      repo = join(sandbox.root, 'repo');
      sandbox.git(['init', '-q', repo]);
      sandbox.git(['remote', 'add', 'origin', 'https://bitbucket.org/acme/web.git'], { cwd: repo });
      sandbox.git(['config', '--global', 'credential.helper', 'store']);
      sandbox.write('.git-credentials', `https://x-bitbucket-api-token-auth:${token}@bitbucket.org\n`, 0o600);
    });

    const doctor = async (env: NodeJS.ProcessEnv) => {
      const run = await runCli(['doctor', '--json'], { cwd: repo, env: guardedEnv(env) });
      expectNoSecrets(run, [token]);
      const json = JSON.parse(run.stdout) as {
        findings: { id: string; severity: string; message: string }[];
        stats: { requests: number };
      };
      return { run, json, ids: json.findings.map((f) => f.id) };
    };

    it('reports network-unreachable naming the proxy, keeps the offline findings, exit 0', async () => {
      const { run, json, ids } = await doctor({ HTTPS_PROXY: proxy.url });
      expect(proxy.seen).toEqual(['CONNECT bitbucket.org:443']);
      expect(lookedUp()).toEqual([]);
      const unreachable = json.findings.find((f) => f.id === 'network-unreachable');
      expect(unreachable?.severity).toBe('warning');
      expect(unreachable?.message).toContain(`via proxy ${proxy.url}`);
      expect(unreachable?.message).toMatch(/^Nothing online was checked: proxy error/);
      expect(ids).toContain('plaintext-credential-store');
      expect(json.stats.requests).toBe(1);
      expect(run.code).toBe(0);
    });

    it('prints no Node or undici warning on stderr (users read stderr; "experimental" noise is not ours)', async () => {
      const { run } = await doctor({ HTTPS_PROXY: proxy.url });
      expect(proxy.seen).toEqual(['CONNECT bitbucket.org:443']);
      expect(run.stderr).not.toMatch(/Warning|experimental|UNDICI-/);
    });

    it('with NO_PROXY=bitbucket.org the proxy sees nothing', async () => {
      const { run, json } = await doctor({ HTTPS_PROXY: proxy.url, NO_PROXY: 'bitbucket.org' });
      expect(proxy.seen).toEqual([]);
      expect(lookedUp()).toContain('bitbucket.org');
      const unreachable = json.findings.find((f) => f.id === 'network-unreachable');
      expect(unreachable?.message).toMatch(/dns error reaching bitbucket\.org/);
      expect(unreachable?.message).not.toContain('proxy http');
      expect(run.code).toBe(0);
    });
  });
});

describe('timeouts', () => {
  it('a server that accepts and never answers → NetworkError kind timeout, quickly, not retried', async () => {
    const sockets: Socket[] = [];
    const server = createNetServer((socket) => sockets.push(socket));
    const port = await listenLocal(server);
    try {
      const started = Date.now();
      const error = await request({ url: `http://127.0.0.1:${port}/slow`, timeoutMs: 300 }).catch(
        (e: unknown) => e,
      );
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ kind: 'timeout', host: `127.0.0.1:${port}`, proxy: undefined });
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2500);
      // Retries are for 429/5xx answers only; a silent server is not asked three times.
      expect(sockets).toHaveLength(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('deadlines', () => {
  /** A server that sends headers at once, then its body one byte every 200 ms, forever. */
  async function trickle(): Promise<{ url: string; close: () => Promise<void> }> {
    const timers = new Set<NodeJS.Timeout>();
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const t = setInterval(() => res.write(' '), 200);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    });
    const port = await listenLocal(server);
    return {
      url: `http://127.0.0.1:${port}/2.0/user`,
      close: async () => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      },
    };
  }

  it('a body that trickles in (never a gap long enough for a per-chunk timeout) ends at the whole-request deadline', async () => {
    const s = await trickle();
    try {
      const started = Date.now();
      const error = await request({ url: s.url, timeoutMs: 1000, retries: 0 }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ kind: 'timeout' });
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await s.close();
    }
  });

  it('the run budget bounds many requests together, and a Retry-After longer than what is left is not waited for', async () => {
    const s = await trickle();
    const limited = createServer((_req, res) => res.writeHead(429, { 'retry-after': '5' }).end('slow down'));
    const port = await listenLocal(limited);
    try {
      setRunBudget(2500);
      const started = Date.now();
      const rl = await request({ url: `http://127.0.0.1:${port}/x`, maxRetryWaitMs: 60_000 });
      expect(rl.status).toBe(429);
      expect(Date.now() - started).toBeLessThan(1500);
      const outcomes = await Promise.all(
        [1, 2, 3].map(() => request({ url: s.url, timeoutMs: 60_000, retries: 0 }).catch((e: unknown) => e)),
      );
      for (const o of outcomes) expect(o).toMatchObject({ kind: 'timeout' });
      expect(Date.now() - started).toBeLessThan(4500);
      const after = await request({ url: s.url, retries: 0 }).catch((e: unknown) => e);
      expect(after).toMatchObject({ kind: 'timeout' });
    } finally {
      setRunBudget(RUN_BUDGET_MS);
      await s.close();
      limited.closeAllConnections();
      await new Promise((r) => limited.close(r));
    }
  });
});

describe('TLS failures', () => {
  it('a certificate the system does not trust → NetworkError kind tls, naming the host, not retried', async () => {
    const dir = sandbox.root;
    const key = join(dir, 'tls-key.pem');
    const cert = join(dir, 'tls-cert.pem');
    const gen = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(gen.status, gen.stderr).toBe(0);
    let connections = 0;
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
      res.end('{}'),
    );
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await request({ url: `https://127.0.0.1:${port}/2.0/user`, timeoutMs: 5000 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NetworkError);
      expect((err as NetworkError).kind).toBe('tls');
      expect((err as NetworkError).host).toBe(`127.0.0.1:${port}`);
      expect(connections).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
