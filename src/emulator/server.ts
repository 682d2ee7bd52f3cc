/**
 * The local Bitbucket Cloud emulator: two loopback listeners, like bitbucket.org (git smart HTTP through the
 * real `git http-backend`) and api.bitbucket.org (REST). Auth decisions come from the pure auth/rest modules;
 * this file only does sockets, faults and bookkeeping.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError } from '../core/errors.js';
import { decideGit, parseAuthorization } from './auth.js';
import { FaultPlan, type Faults } from './faults.js';
import { createBareRepo, serveGitBackend } from './git-backend.js';
import { handleRest } from './rest.js';
import { emulatorNow, type EmulatorState } from './state.js';

export type { Faults } from './faults.js';

export interface RequestRecord {
  surface: 'git' | 'rest' | 'admin';
  method: string;
  path: string;
  service?: 'git-upload-pack' | 'git-receive-pack';
  /** The Basic username as sent (never the password). */
  username?: string;
  /** Id of the token the secret matched; the secret itself is never recorded. */
  tokenId?: string;
  /** HTTP status sent; 0 when the connection was dropped on purpose. */
  status: number;
  at: number;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT; clone URL = `${gitUrl}/acme/web.git`. */
  gitUrl: string;
  /** e.g. http://127.0.0.1:PORT2; REST = `${apiUrl}/2.0/user`. A separate listener. */
  apiUrl: string;
  /** Where the bare repositories live. */
  dataDir: string;
  /** Live: tests may mutate tokens and settings between requests. */
  state: EmulatorState;
  requests: RequestRecord[];
  setFaults(faults: Faults): void;
  close(): Promise<void>;
}

const GIT_PATH = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)\.git(\/.*)?$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new AbortError(`port ${port} on ${host} is already in use.`, [
              'Pick another port, or 0 for a free one.',
            ])
          : e,
      ),
    );
    server.listen(port, host, () => {
      const addr = server.address() as AddressInfo;
      resolve(`http://${host}:${addr.port}`);
    });
  });
}

/** Starts the emulator on 127.0.0.1 (port 0 = a free port) and creates the state's repositories. */
export async function startEmulator(opts: {
  state: EmulatorState;
  dataDir?: string;
  port?: number;
  apiPort?: number;
  host?: '127.0.0.1';
}): Promise<Emulator> {
  const host = '127.0.0.1';
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'bbauth-emulator-')));
  const state = opts.state;
  const requests: RequestRecord[] = [];
  const faults = new FaultPlan();
  const repoReady = new Map<string, Promise<unknown>>();
  // Repositories added to the live state later are created on first authorised use.
  const ensureRepo = (ws: string, slug: string) => {
    const key = `${ws}/${slug}`;
    if (!repoReady.has(key)) {
      const dir = join(dataDir, ws, `${slug}.git`);
      repoReady.set(key, existsSync(dir) ? Promise.resolve() : createBareRepo(dataDir, ws, slug));
    }
    return repoReady.get(key)!;
  };
  await Promise.all(state.repositories.map((r) => ensureRepo(r.workspace, r.slug)));
  let gitUrl = '';

  /** Applies faults; returns true when the request was answered (or dropped) by a fault. */
  async function injectFault(
    req: IncomingMessage,
    res: ServerResponse,
    record: RequestRecord,
  ): Promise<boolean> {
    const fault = faults.take();
    if (faults.delayMs) await sleep(faults.delayMs);
    if (!fault) return false;
    if (fault.kind === 'drop') {
      record.status = 0;
      req.socket.destroy();
    } else if (fault.kind === 'server-error') {
      record.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('Service temporarily unavailable\n');
    } else {
      record.status = 429;
      res
        .writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(fault.retryAfterSeconds) })
        .end('Rate limit for this resource has been exceeded\n');
    }
    return true;
  }

  async function onGit(req: IncomingMessage, res: ServerResponse, record: RequestRecord): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const m = GIT_PATH.exec(url.pathname);
    const sub = m?.[3] ?? '';
    if (!m || sub.includes('..')) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    const [ws, slug] = [m[1]!, m[2]!];
    // The POST path names the service; only ref discovery takes it from the query. Never let a query string
    // relabel a push as a fetch.
    const service = sub.endsWith('/git-receive-pack')
      ? 'git-receive-pack'
      : sub.endsWith('/git-upload-pack')
        ? 'git-upload-pack'
        : sub === '/info/refs'
          ? url.searchParams.get('service')
          : undefined;
    if (service === 'git-upload-pack' || service === 'git-receive-pack') record.service = service;
    const decision = decideGit(state, emulatorNow(state), {
      authorization: req.headers.authorization,
      workspace: ws,
      slug,
      operation: service === 'git-receive-pack' ? 'write' : 'read',
    });
    record.tokenId = decision.tokenId;
    if (decision.outcome !== 'ok' || !decision.remoteUser) {
      record.status = decision.status;
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      // Without the challenge git never asks its credential helper and never retries.
      if (decision.status === 401) headers['www-authenticate'] = 'Basic realm="Bitbucket.org HTTP"';
      req.resume();
      res.writeHead(decision.status, headers).end(decision.lines.map((l) => `${l}\n`).join(''));
      return;
    }
    const token = state.tokens.find((t) => t.id === decision.tokenId);
    if (token) token.lastAccess = emulatorNow(state).toISOString();
    await ensureRepo(ws, slug);
    record.status = await serveGitBackend(req, res, {
      dataDir,
      pathInfo: `/${ws}/${slug}.git${sub}`,
      query: url.search.slice(1),
      remoteUser: decision.remoteUser,
    });
  }

  function onApi(req: IncomingMessage, res: ServerResponse, record: RequestRecord): void {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const out = handleRest(state, emulatorNow(state), {
      method: req.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      authorization: req.headers.authorization,
      gitUrl,
    });
    if (url.pathname.startsWith('/users/')) record.surface = 'admin';
    record.status = out.reply.status;
    record.tokenId = out.tokenId;
    req.resume();
    res.writeHead(out.reply.status, out.reply.headers).end(out.reply.body);
  }

  function handler(surface: 'git' | 'rest', inner: typeof onGit) {
    return (req: IncomingMessage, res: ServerResponse) => {
      const cred = parseAuthorization(req.headers.authorization);
      const record: RequestRecord = {
        surface,
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://emulator').pathname,
        username: cred.scheme === 'basic' ? cred.username : undefined,
        status: 0,
        at: Date.now(),
      };
      requests.push(record);
      void (async () => {
        try {
          if (await injectFault(req, res, record)) return;
          await inner(req, res, record);
        } catch (error) {
          record.status = 500;
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`emulator error: ${(error as Error).message}\n`);
        }
      })();
    };
  }

  const gitServer = createServer(handler('git', onGit));
  const apiServer = createServer(handler('rest', async (req, res, rec) => onApi(req, res, rec)));
  gitUrl = await listen(gitServer, opts.port ?? 0, host);
  const apiUrl = await listen(apiServer, opts.apiPort ?? 0, host).catch(async (e: unknown) => {
    gitServer.close();
    throw e;
  });

  return {
    gitUrl,
    apiUrl,
    dataDir,
    state,
    requests,
    setFaults: (f) => faults.set(f),
    async close() {
      await Promise.all(
        [gitServer, apiServer].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
