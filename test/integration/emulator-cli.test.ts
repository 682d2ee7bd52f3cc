/**
 * `bbauth emulator` as users run it: the built binary (npm test builds first) prints working URLs and demo
 * tokens, serves real git, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import { gitAsync } from '../helpers/emulator.js';
import { createSandbox } from '../helpers/sandbox.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const sandbox = createSandbox('bbauth-emu-cli-');
afterAll(() => sandbox.cleanup());

interface Printed {
  gitUrl: string;
  apiUrl: string;
  tokens: { id: string; kind: string; scopes: string[]; token: string }[];
}

test.skipIf(!existsSync(BIN))('prints URLs and tokens that work, then exits 0 on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'emulator', '--json'], { env: sandbox.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${stderr}`)), 15_000);
      child.stderr.on('data', () => {
        if (stderr.includes('Emulator running')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const printed = JSON.parse(stdout) as Printed;
    expect(printed.gitUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.apiUrl).not.toBe(printed.gitUrl);
    const rw = printed.tokens.find((t) => t.id === 'alice-rw')!;
    expect(rw.token).toMatch(/^ATATT3xFfGF0[A-Za-z0-9_-]{171}=[0-9A-F]{8}$/);

    const res = await fetch(`${printed.apiUrl}/2.0/user`, {
      headers: { authorization: `Basic ${Buffer.from(`alice@example.com:${rw.token}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);

    const file = sandbox.write(
      '.cli-credentials',
      `${printed.gitUrl.replace('//', `//x-bitbucket-api-token-auth:${rw.token}@`)}\n`,
      0o600,
    );
    const clone = await gitAsync(sandbox, [
      '-c',
      `credential.helper=store --file=${file}`,
      'clone',
      '--quiet',
      `${printed.gitUrl}/acme/web.git`,
      'web',
    ]);
    expect(clone).toMatchObject({ code: 0, stderr: '' });
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(stderr).toContain('Emulator stopped.');
});

test.skipIf(!existsSync(BIN))('a bad --port is a usage error (exit 2)', async () => {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', 'seventy'], { env: sandbox.env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(2);
  expect(stderr).toContain('--port must be a port number');
});
