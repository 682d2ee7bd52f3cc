/**
 * writeFileAtomic goes through symlinks (a dotfiles link stays a link) and never renames over anything that is not
 * a regular file; a report asked to go to a device or a FIFO is written straight into it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotARegularFile, writeFileAtomic } from '../../src/store/atomic.js';
import { writeOutputFile } from '../../src/cli/output.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bbauth-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it("replaces a symlink's target and keeps the link, with the target's mode", async () => {
    const real = join(dir, 'dotfiles', 'git-credentials');
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(real, 'old\n', { mode: 0o600 });
    const link = join(dir, '.git-credentials');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new\n');
    expect(lstatSync(real).mode & 0o777).toBe(0o600);
  });

  it('a dangling symlink is replaced by the file', async () => {
    const link = join(dir, 'report.json');
    symlinkSync(join(dir, 'missing', 'x.json'), link);
    await writeFileAtomic(link, '{}\n');
    expect(readFileSync(link, 'utf8')).toBe('{}\n');
  });

  it('refuses a folder or a FIFO: never renamed over', async () => {
    await expect(writeFileAtomic(dir, 'x')).rejects.toBeInstanceOf(NotARegularFile);
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toBeInstanceOf(NotARegularFile);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('writeOutputFile (scan --output, report --json/--csv/--html)', () => {
  it('into a FIFO: written straight through, the FIFO stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const closed = new Promise((r) => reader.once('close', r));
    await writeOutputFile(fifo, '{"a":1}');
    await closed;
    expect(got).toBe('{"a":1}\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a folder: a usage error naming it', async () => {
    await expect(writeOutputFile(dir, 'x')).rejects.toThrow(`${dir} is a folder`);
  });
});
