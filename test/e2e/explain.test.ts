/**
 * `bbauth explain` end to end: a Jenkins-style console log on stdin and as a file, human and JSON; the secret the
 * log carries is masked everywhere (and reported); exit 1 when a line proves an error; bad input exits 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { mintSecret } from '../../src/core/token/format.js';

let sb: Sandbox;
const appPassword = mintSecret('app-password');
const log = [
  'Started by user admin',
  ` > git fetch --tags --force --progress -- https://deploy:${appPassword}@bitbucket.org/acme/app.git +refs/heads/*:refs/remotes/origin/*`,
  'remote: CHANGE-3222 - Functionality has been deprecated',
  'remote: App passwords are deprecated and must be replaced with API tokens.',
  'remote: https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222',
  "fatal: unable to access 'https://bitbucket.org/acme/app.git/': The requested URL returned error: 410",
  '',
  "fatal: Authentication failed for 'https://bitbucket.org/acme/lib.git/'",
  'git@bitbucket.org: Permission denied (publickey).\x1b]52;c;aGk=\x07',
  'Finished: FAILURE',
].join('\n');

beforeAll(() => {
  sb = createSandbox('bbauth-explain-e2e-');
  sb.write('console.log', `${log}\n`);
});
afterAll(() => sb?.cleanup());

const explain = (args: string[], input?: string) =>
  runCli(['explain', ...args], { cwd: sb.home, env: sb.env, ...(input === undefined ? {} : { input }) });

describe('bbauth explain', () => {
  it('maps each event of a log to its finding, masks the secret it holds, exit 1 for a proven error', async () => {
    const run = await explain([], log);
    expectNoSecrets(run, [appPassword]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/secret-in-file\s+line 2/);
    expect(run.stdout).toMatch(/app-password-retired\s+line 3/);
    expect(run.stdout).toMatch(/ambiguous credential-rejected\s+line 8/);
    expect(run.stdout).toMatch(/ssh-key-rejected\s+line 9/);
    expect(run.stdout).toContain('bbauth fix --all');
    expect(run.stdout).toMatch(/4 explained line\(s\) of 10\./);
    expect(run.stdout).not.toContain('\x1b]52'); // the log's escape sequence never reaches the terminal
  });

  it('--json from a file: the same findings, each with its line, masked evidence and ambiguity', async () => {
    const run = await explain(['--json', join(sb.home, 'console.log')]);
    expectNoSecrets(run, [appPassword]);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, type: 'bbauth.explain', lines: 10 });
    expect(
      doc.findings.map((f: { id: string; location: { line: number } }) => [f.id, f.location.line]),
    ).toEqual([
      ['secret-in-file', 2],
      ['app-password-retired', 3],
      ['credential-rejected', 8],
      ['ssh-key-rejected', 9],
    ]);
    expect(doc.findings[1].evidence.split('\n')).toHaveLength(4); // the server's three lines and git's 410
    expect(doc.findings[2].ambiguous).toBe(true);
    expect(doc.findings[1].ambiguous).toBeUndefined();
  });

  it('a log with nothing to explain: exit 0 and says so', async () => {
    const run = await explain([], 'Building…\nFinished: SUCCESS\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No line of 2 names a Bitbucket authentication problem/);
  });

  it('a file that cannot be read: exit 2 naming it', async () => {
    for (const bad of [join(sb.home, 'missing.log'), sb.home]) {
      const run = await explain([bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(bad);
    }
  });
});
