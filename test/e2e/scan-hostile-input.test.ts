/**
 * Text built to make a backtracking detector quadratic (each of these shapes once took scan seconds per 100 KB and
 * hours per 10 MB), 10 MB of it in each file, scanned by the real command with --max-file-size raised so nothing is
 * skipped: each file is read in well under a second per MB, and the one real token in it is still found.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { secrets } from '../helpers/secrets.js';

const MB = 1024 * 1024;
const SIZE_MB = 10;

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox('bbauth-scan-hostile-');
});
afterAll(() => sandbox.cleanup());

/** `unit` repeated to `SIZE_MB` MB. */
const fill = (unit: string) => unit.repeat(Math.ceil((SIZE_MB * MB) / unit.length));

describe('scan on 10 MB of adversarial text', () => {
  it.each([
    ['a scheme-like run with no ://', fill('a.')],
    ['many :// after long runs', fill(`${'a'.repeat(4000)}://`)],
    ['bitbucket glued to itself', fill('bitbucket')],
    ['bitbucket then word characters', fill(`bitbucket${'_'.repeat(1000)}`)],
    ['quoted dots after the host', `bitbucket.org${fill('"a.')}`],
    // Read by the Jenkins parser as well as the detectors.
    ['unclosed credential tags in credentials.xml', fill('<x.UsernamePassword>'), 'jenkins/credentials.xml'],
  ])(
    '%s: well under a second per MB, and the real token found',
    async (name, junk, file = 'notes.txt') => {
      const token = secrets.api();
      const dir = join(sandbox.root, name.replace(/\W+/g, '-'));
      sandbox.write(
        join(dir, file),
        `bitbucket.org\n${junk}\nhttps://x-bitbucket-api-token-auth:${token}@bitbucket.org/a/b.git\n`,
      );
      const started = Date.now();
      const run = await runCli(['scan', '--json', '--max-file-size', '20M', dir], {
        cwd: dir,
        env: sandbox.env,
        timeoutMs: 120_000,
      });
      const ms = Date.now() - started;
      expectNoSecrets(run, [token]);
      // Process start-up and reading the file included: a quadratic detector takes hours here, a linear one seconds.
      expect(ms).toBeLessThan(SIZE_MB * 1000);
      const doc = JSON.parse(run.stdout) as { credentials: { fingerprint: string }[]; skipped: unknown[] };
      expect(doc.skipped).toEqual([]);
      expect(doc.credentials.map((c) => c.fingerprint)).toContain(
        `${token.slice(0, 6)}…${token.slice(-4)} (${token.length} chars)`,
      );
    },
    120_000,
  );
});
