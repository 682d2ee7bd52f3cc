/**
 * Servers that answer in Bitbucket's place the way a broken network, a portal or an attacker would: never, a byte
 * at a time, endlessly, compressed a thousandfold, with someone else's page, with redirects, with a rate limit
 * nobody can wait out, with 503s, by hanging up, or over TLS with a certificate nobody trusts. Loopback only.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const HOSTILE_MODES = [
  'slow-headers',
  'slow-body',
  'huge-body',
  'gzip-bomb',
  'html-200',
  'redirect-on-host',
  'redirect-off-host',
  'rate-limit-forever',
  'unavailable',
  'reset',
  'self-signed-tls',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileServer {
  mode: HostileMode;
  /** `http(s)://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request path the server saw, in order. */
  paths: string[];
  close(): Promise<void>;
}

/** The content type Bitbucket would send for this path, so a client cannot tell the server apart by it. */
function contentTypeFor(path: string): string {
  if (/\/info\/refs\?service=git-upload-pack/.test(path))
    return 'application/x-git-upload-pack-advertisement';
  if (/\/info\/refs\?service=git-receive-pack/.test(path))
    return 'application/x-git-receive-pack-advertisement';
  return 'application/json; charset=utf-8';
}

const MB = 1024 * 1024;
let bomb: Buffer | undefined;
/** 256 MiB of zeros, gzipped (about 256 KiB): made once per process. */
function gzipBomb(): Buffer {
  return (bomb ??= gzipSync(Buffer.alloc(256 * MB), { level: 9 }));
}

/** Writes `chunk` until the client hangs up or `limit` bytes went out, respecting back-pressure. */
function flood(res: ServerResponse, chunk: Buffer, limit: number): void {
  let sent = 0;
  const more = () => {
    while (sent < limit && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

function handler(mode: HostileMode, timers: Set<NodeJS.Timeout>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const ok = { 'content-type': contentTypeFor(path) };
    switch (mode) {
      case 'slow-headers':
        return; // accepted, never answered
      case 'slow-body': {
        res.writeHead(200, ok);
        res.write('0');
        const t = setInterval(() => res.write('0'), 1000);
        timers.add(t);
        res.on('close', () => clearInterval(t));
        return;
      }
      case 'huge-body':
        res.writeHead(200, ok);
        return flood(res, Buffer.alloc(64 * 1024, 0x30), 512 * MB);
      case 'gzip-bomb':
        res.writeHead(200, { ...ok, 'content-encoding': 'gzip' });
        return void res.end(gzipBomb());
      case 'html-200':
        return void res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<html><title>Sign in to the Wi-Fi</title><body>Accept the terms</body></html>');
      case 'redirect-on-host':
        return void res.writeHead(302, { location: `/sso/login?next=${encodeURIComponent(path)}` }).end();
      case 'redirect-off-host':
        return void res.writeHead(302, { location: 'https://collector.invalid/steal' }).end();
      case 'rate-limit-forever':
        return void res
          .writeHead(429, { 'content-type': 'text/plain', 'retry-after': '86400' })
          .end('Rate limit exceeded\n');
      case 'unavailable':
        return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service unavailable\n');
      case 'reset':
        return void req.socket.destroy();
      case 'self-signed-tls':
        return void res.writeHead(200, ok).end('{}');
    }
  };
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl), in `dir`. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'hostile-key.pem');
  const cert = join(dir, 'hostile-cert.pem');
  const gen = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (gen.status !== 0) throw new Error(`openssl could not make a certificate: ${gen.stderr}`);
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** Starts a server of `mode` on 127.0.0.1 (any free port); `dir` holds its certificate when it needs one. */
export async function startHostileServer(mode: HostileMode, dir: string): Promise<HostileServer> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const paths: string[] = [];
  const handle = handler(mode, timers);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    paths.push(req.url ?? '/');
    handle(req, res);
  };
  const server: Server =
    mode === 'self-signed-tls' ? createHttpsServer(selfSigned(dir), onRequest) : createServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    mode,
    url: `${mode === 'self-signed-tls' ? 'https' : 'http'}://127.0.0.1:${port}`,
    paths,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
