/**
 * A flag several commands take means the same thing in each: `--cwd DIR`, `--email EMAIL` and `--offline` are
 * defined once in src/cli/args.ts and spread in. A command that redefined one (say `--email` as a boolean, or
 * `--cwd` without its value) would parse differently from its siblings; this catches it.
 */
import type { ArgsDef, CommandDef } from 'citty';
import { describe, expect, it } from 'vitest';
import {
  cwdArgs,
  emailArgs,
  networkArgs,
  offlineArgs,
  readCwd,
  readEmail,
  readTimeout,
} from '../../src/cli/args.js';
import { commands } from '../../src/cli/commands.js';

const argsOf = async (name: string): Promise<ArgsDef> => {
  const command = (await commands[name]!()) as CommandDef;
  return (command.args ?? {}) as ArgsDef;
};

describe('shared command flags', () => {
  it.each(['doctor', 'status'])('%s takes --cwd DIR, the shared definition', async (name) => {
    expect((await argsOf(name)).cwd).toEqual(cwdArgs.cwd);
  });

  it.each(['doctor', 'fix', 'login'])('%s takes --email EMAIL as a string', async (name) => {
    const { email } = await argsOf(name);
    expect(email).toMatchObject({ type: 'string', valueHint: 'EMAIL' });
    expect(email).toEqual(emailArgs((email as { description: string }).description).email);
  });

  it.each(['doctor', 'status', 'fix', 'login'])('%s takes --offline as a boolean', async (name) => {
    const { offline } = await argsOf(name);
    const own = (offline as { description: string }).description;
    expect(offline).toEqual(offlineArgs(own).offline);
    expect(own).toMatch(/\S/);
  });

  it.each(['doctor', 'status', 'fix', 'login', 'scan', 'rotate'])(
    '%s takes --timeout SECONDS, whose help states both time limits',
    async (name) => {
      const { timeout } = await argsOf(name);
      expect(timeout).toEqual(networkArgs.timeout);
      expect(networkArgs.timeout.description).toMatch(
        /whole run \(default 120\).*each request has at most 15 s/,
      );
    },
  );

  it.each(['logout', 'setup-git', 'check-expiry', 'demo', 'report', 'explain'])(
    '%s never goes online: no --timeout',
    async (name) => {
      expect((await argsOf(name)).timeout).toBeUndefined();
    },
  );

  it.each([
    ['30', 30_000],
    ['0.5', 500],
    [' 7 ', 7000],
  ])('--timeout %j is %d ms', (text, ms) => {
    expect(readTimeout(text)).toBe(ms);
  });

  it.each(['0', '-1', 'abc', '', '1e9', 'Infinity'])('--timeout %j is refused, naming the flag', (text) => {
    expect(() => readTimeout(text)).toThrow(/--timeout must be a number of seconds/);
  });

  it('reads --cwd, falling back to the current directory', () => {
    expect(readCwd({ cwd: '/some/repo' })).toBe('/some/repo');
    expect(readCwd({})).toBe(process.cwd());
  });

  it('passes --email on only when given', () => {
    expect(readEmail({ email: 'a@example.com' })).toEqual({ email: 'a@example.com' });
    expect(readEmail({ email: '' })).toEqual({});
    expect(readEmail({})).toEqual({});
  });
});
