/**
 * Control sequences in outside text never reach the terminal: a remote URL username, a file name and a config
 * value carrying OSC 52 (clipboard), OSC 8 (links) and a screen clear are printed as visible escapes by doctor and
 * scan, human and JSON alike, and the JSON stays JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { mintSecret } from '../../src/core/token/format.js';

let sb: Sandbox;
const EVIL = '\x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b]8;;https://example.invalid\x1b\\';

beforeAll(() => {
  sb = createSandbox('bbauth-term-');
  sb.git(['init', '-q', 'repo']);
  sb.git(
    ['remote', 'add', 'origin', `https://${encodeURIComponent('a')}${EVIL}@bitbucket.org/acme/web.git`],
    {
      cwd: join(sb.home, 'repo'),
    },
  );
  sb.write(`repo/notes${EVIL.replace(/\//g, '_')}.env`, `BITBUCKET_TOKEN=${mintSecret('api-token')}\n`);
});
afterAll(() => sb?.cleanup());

const raw = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('outside text on the terminal', () => {
  it.each([
    ['doctor', ['doctor', '--offline']],
    ['doctor --json', ['doctor', '--offline', '--json']],
    ['scan', ['scan']],
    ['scan --json', ['scan', '--json']],
  ])(
    '%s prints no control character from the URL or a file name, and shows them escaped',
    async (_name, args) => {
      const repo = join(sb.home, 'repo');
      const run = await runCli(args[0] === 'scan' ? [...args, repo] : args, { cwd: repo, env: sb.env });
      expect(run.stderr).not.toMatch(/bug in bbauth/);
      expect(run.stdout).not.toMatch(raw);
      expect(run.stderr).not.toMatch(raw);
      if (args.includes('--json')) {
        expect(JSON.stringify(JSON.parse(run.stdout))).toContain('\\u001b]52');
      } else expect(run.stdout).toContain('\\u001b]52');
    },
  );
});
