/**
 * git-credential-oauth (Debian's package, the real program) in the helper chain. Asked for a credential it does
 * not have, it opens a browser and waits for the sign-in, whatever GIT_TERMINAL_PROMPT says; doctor is read-only
 * and never prompts, so it must not ask it. The "browser" here is a script that leaves a mark: after doctor, no
 * mark. doctor names the order that makes every git command sign in again (oauth before the storage helper, or
 * alone), and is quiet about the order its README sets up (cache, then oauth).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { runCli } from '../helpers/cli.js';

const OAUTH = '/usr/bin/git-credential-oauth';
let sb: Sandbox;
let mark: string;

beforeAll(() => {
  expect(
    existsSync(OAUTH),
    `${OAUTH} is missing: install Debian's git-credential-oauth (scripts/install-test-clients.sh)`,
  ).toBe(true);
  sb = createSandbox('bbauth-oauth-e2e-');
  mark = join(sb.root, 'browser-opened');
  const browser = sb.write(join(sb.root, 'browser'), `#!/bin/sh\necho "$@" > '${mark}'\n`, 0o755);
  sb.env.BROWSER = browser;
  delete sb.env.DISPLAY; // xdg-open then hands the URL to $BROWSER
  sb.git(['init', '-q', 'repo']);
  sb.git(['remote', 'add', 'origin', 'https://bitbucket.org/acme/app.git'], { cwd: join(sb.home, 'repo') });
});
afterAll(() => sb?.cleanup());

const doctor = () => runCli(['doctor', '--offline', '--json'], { cwd: join(sb.home, 'repo'), env: sb.env });
const helpers = (...values: string[]) => {
  sb.git(['config', '--global', '--unset-all', 'credential.helper']);
  for (const v of values) sb.git(['config', '--global', '--add', 'credential.helper', v]);
};

describe('git-credential-oauth in the chain', () => {
  it('the browser stand-in works: git itself, asked for a credential, makes git-credential-oauth open it', async () => {
    helpers('oauth');
    // Its own process group, so the helper (which waits for the sign-in) goes down with git.
    const git = spawn('git', ['credential', 'fill'], {
      cwd: join(sb.home, 'repo'),
      env: { ...sb.env, GIT_TERMINAL_PROMPT: '0' },
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    git.stdin.end('protocol=https\nhost=bitbucket.org\n\n');
    const exited = new Promise<number | null>((r) => git.once('exit', (code) => r(code)));
    for (let i = 0; i < 100 && !existsSync(mark); i++) await new Promise((r) => setTimeout(r, 50));
    const opened = existsSync(mark);
    process.kill(-git.pid!, 'SIGKILL');
    await exited;
    expect(opened).toBe(true);
  });

  it('doctor never asks it, and says that oauth alone signs in on every command', async () => {
    helpers('oauth');
    spawnSync('rm', ['-f', mark]);
    const run = await doctor();
    expect(existsSync(mark), 'doctor made git-credential-oauth open a browser').toBe(false);
    const doc = JSON.parse(run.stdout);
    const order = doc.findings.filter((f: { id: string }) => f.id === 'helper-order');
    expect(order).toHaveLength(1);
    expect(order[0].message).toMatch(/keeps nothing and no helper before it stores what it gets/);
    expect(doc.findings.map((f: { id: string }) => f.id)).not.toContain('no-credential-helper');
  });

  it('oauth before cache: named; cache before oauth (its README): no order finding, and still no browser', async () => {
    helpers('oauth', 'cache --timeout 7200');
    let doc = JSON.parse((await doctor()).stdout);
    expect(doc.findings.find((f: { id: string }) => f.id === 'helper-order')?.message).toMatch(
      /comes before cache/,
    );
    helpers('cache --timeout 7200', 'oauth');
    doc = JSON.parse((await doctor()).stdout);
    expect(doc.findings.map((f: { id: string }) => f.id)).not.toContain('helper-order');
    expect(existsSync(mark)).toBe(false);
  });
});
