/**
 * The bridge to the real `git http-backend` (CGI): the emulator decides who may do what, git does the protocol.
 * The backend runs with an environment sealed off from the user's git config, so a developer's global settings
 * can never change what tests see.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** Environment for every git the emulator starts: no system/global config, HOME inside the data dir. */
function sealedEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dataDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LC_ALL: 'C',
    ...extra,
  };
}

function git(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: opts.cwd, env: opts.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`git ${args[0]} failed (${code}): ${err.trim()}`)),
    );
    // git init/update-ref never read stdin and may exit before we write: EPIPE is expected, not fatal.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Creates `<dataDir>/<ws>/<slug>.git` as a bare repository with one commit on `main`. */
export async function createBareRepo(dataDir: string, workspace: string, slug: string): Promise<string> {
  const dir = join(dataDir, workspace, `${slug}.git`);
  await mkdir(dir, { recursive: true });
  const env = sealedEnv(dataDir, {
    GIT_DIR: dir,
    GIT_AUTHOR_NAME: 'Bitbucket Emulator',
    GIT_AUTHOR_EMAIL: 'emulator@example.invalid',
    GIT_COMMITTER_NAME: 'Bitbucket Emulator',
    GIT_COMMITTER_EMAIL: 'emulator@example.invalid',
    // Fixed dates give every emulator the same initial commit id.
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  });
  await git(['init', '--quiet', '--bare', '--initial-branch=main', dir], { cwd: dataDir, env });
  const blob = await git(['hash-object', '-w', '--stdin'], {
    cwd: dir,
    env,
    input: `# ${workspace}/${slug}\n\nServed by the bbauth Bitbucket Cloud emulator.\n`,
  });
  const tree = await git(['mktree'], { cwd: dir, env, input: `100644 blob ${blob}\tREADME.md\n` });
  const commit = await git(['commit-tree', tree, '-m', 'Initial commit'], { cwd: dir, env });
  await git(['update-ref', 'refs/heads/main', commit], { cwd: dir, env });
  return dir;
}

/** Parses CGI response headers (`Status:` included) from the head of the backend's output. */
export function parseCgiHeaders(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

/**
 * Hands an authorised request to `git http-backend` and streams its answer back. `pathInfo` is the path under
 * the data dir (`/acme/web.git/info/refs`). Resolves with the HTTP status sent.
 */
export function serveGitBackend(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { dataDir: string; pathInfo: string; query: string; remoteUser: string },
): Promise<number> {
  const h = req.headers;
  const env = sealedEnv(opts.dataDir, {
    GIT_PROJECT_ROOT: opts.dataDir,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    PATH_INFO: opts.pathInfo,
    QUERY_STRING: opts.query,
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: h['content-type'] ?? '',
    // git http-backend enables receive-pack only for an authenticated REMOTE_USER.
    REMOTE_USER: opts.remoteUser,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...(h['content-length'] ? { CONTENT_LENGTH: h['content-length'] } : {}),
    ...(h['content-encoding'] ? { HTTP_CONTENT_ENCODING: h['content-encoding'] } : {}),
    // Protocol v2 is negotiated through this header; without it everything silently falls back to v0.
    ...(h['git-protocol'] ? { GIT_PROTOCOL: String(h['git-protocol']) } : {}),
  });
  return new Promise((resolve) => {
    const child = spawn('git', ['http-backend'], { env, cwd: opts.dataDir });
    let head = Buffer.alloc(0);
    let started = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      let end = head.indexOf('\r\n\r\n');
      let sep = 4;
      if (end < 0) {
        end = head.indexOf('\n\n');
        sep = 2;
      }
      if (end < 0) return;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end).toString('latin1'));
      res.statusCode = status;
      for (const [name, value] of headers) res.setHeader(name, value);
      started = true;
      const rest = head.subarray(end + sep);
      if (rest.length) res.write(rest);
    });
    child.on('error', () => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('git http-backend could not be started\n');
      resolve(500);
    });
    child.on('close', () => {
      if (!started && !res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`git http-backend failed: ${stderr.trim()}\n`);
        resolve(500);
        return;
      }
      res.end();
      resolve(res.statusCode);
    });
    child.stdin.on('error', () => {});
    req.pipe(child.stdin);
  });
}
