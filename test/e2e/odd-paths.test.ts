/**
 * A working folder whose name is not valid UTF-8 (Node's process.cwd() can only return it lossily): doctor still
 * runs git there and reads the repository, instead of reporting that git is not installed.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sb: Sandbox;
beforeAll(() => {
  sb = createSandbox('bbauth-odd-');
});
afterAll(() => sb?.cleanup());

/** Runs a shell script in a folder given as raw bytes (a shell `cd`: Node cannot name it); $NODE and $BIN set. */
function inFolder(
  dirBytes: Buffer,
  script: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const octal = [...dirBytes]
    .map((b) =>
      b < 0x80 && b !== 0x5c && b !== 0x25 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`,
    )
    .join('');
  return new Promise((resolve) => {
    const child = spawn(
      '/bin/sh',
      ['-c', `mkdir -p "$(printf '${octal}')" && cd "$(printf '${octal}')" && ${script}`],
      {
        env: { ...sb.env, NODE: process.execPath, BIN },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a folder name that is not UTF-8', () => {
  it('doctor runs git in it and reads the remote', async () => {
    const dir = Buffer.concat([Buffer.from(`${sb.root}/repo-`), Buffer.from([0xff, 0xfe])]);
    const run = await inFolder(
      dir,
      'git init -q && git remote add origin https://bitbucket.org/acme/web.git && exec "$NODE" "$BIN" doctor --offline --json',
    );
    expect(run.stderr).not.toMatch(/git is not installed|bug in bbauth/);
    const report = JSON.parse(run.stdout) as { remotes: { name: string }[] };
    expect(report.remotes.map((r) => r.name)).toEqual(['origin']);
  });
});
