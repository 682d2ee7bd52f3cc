/**
 * A flag several commands take means the same thing in each: `--cwd DIR`, `--email EMAIL` and `--offline` are
 * defined once in src/cli/args.ts and spread in. A command that redefined one (say `--email` as a boolean, or
 * `--cwd` without its value) would parse differently from its siblings; this catches it.
 */
import type { ArgsDef, CommandDef } from 'citty';
import { describe, expect, it } from 'vitest';
import { cwdArgs, emailArgs, offlineArgs, readCwd, readEmail } from '../../src/cli/args.js';
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

  it.each(['doctor', 'status', 'fix', 'login'])(
    '%s takes --offline as a boolean, and its help states the time limits',
    async (name) => {
      const { offline } = await argsOf(name);
      const own = (offline as { description: string }).description.split('. Online, ')[0]!;
      expect(offline).toEqual(offlineArgs(own).offline);
      expect(own).toMatch(/\S/);
      expect((offline as { description: string }).description).toMatch(
        /each request has 15 s in all \(connect, headers, body\) and the run 120 s/,
      );
    },
  );

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
