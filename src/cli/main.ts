#!/usr/bin/env node
/**
 * Entry point: resolves the command, rejects unknown flags, runs it, and is the only place that sets the exit
 * code (0 ok, 1 error findings, 2 usage/environment, 3 bug). Commands return their exit code.
 */
import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import { renderUsage, runCommand, type ArgsDef, type CommandDef } from 'citty';
import { BugError, ExitCode, isExpectedError, UsageError } from '../core/errors.js';
import { NetworkError } from '../net/network-error.js';
import { commands } from './commands.js';
import { configDir } from '../store/config-dir.js';
import { colorEnabled, printInfo, printResult } from './output.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

const root = {
  meta: {
    name: 'bbauth',
    version: pkg.version,
    description: 'Find, diagnose and fix Bitbucket Cloud authentication after the app-password retirement.',
  },
  subCommands: commands,
} satisfies CommandDef;

/** Throws UsageError for a flag the command does not define (citty itself ignores them silently). */
export function ensureKnownFlags(argv: readonly string[], args: ArgsDef): void {
  const known = new Set<string>(['help', 'h']);
  for (const [name, def] of Object.entries(args)) {
    known.add(name);
    if (def.type === 'boolean') known.add(`no-${name}`);
    const aliases = 'alias' in def ? def.alias : undefined;
    for (const a of [aliases ?? []].flat()) known.add(a);
  }
  for (const token of argv) {
    if (token === '--') break;
    const m = /^--?([^=]+)/.exec(token);
    if (!m || token === '-') continue;
    const name = m[1]!;
    const names = token.startsWith('--') ? [name] : [...name];
    for (const n of names) {
      if (!known.has(n)) {
        throw new UsageError(`unknown option ${token.startsWith('--') ? '--' : '-'}${n}`, [
          'Run with --help to see the options.',
        ]);
      }
    }
  }
}

/** citty colours its usage text unconditionally; strip it unless colour is allowed. */
async function usage(cmd: CommandDef, parent?: CommandDef): Promise<string> {
  const text = await renderUsage(cmd, parent);
  const allowed = colorEnabled({ color: !process.argv.includes('--no-color'), json: false });
  return allowed ? text : stripVTControlCharacters(text);
}

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (!name || name === '--help' || name === '-h') {
    printResult(await usage(root));
    return name ? ExitCode.ok : ExitCode.usage;
  }
  if (name === '--version' || name === '-V') {
    printResult(pkg.version);
    return ExitCode.ok;
  }
  const load = commands[name];
  if (!load) {
    throw new UsageError(`unknown command "${name}"`, [
      `Commands: ${Object.keys(commands).join(', ')}. Run bbauth --help.`,
    ]);
  }
  const cmd = await load();
  const rest = argv.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) {
    printResult(await usage(cmd, root));
    return ExitCode.ok;
  }
  ensureKnownFlags(rest, (await (typeof cmd.args === 'function' ? cmd.args() : cmd.args)) ?? {});
  // Where records and backups go is settled before any command changes anything: a run that would find out
  // half-way (a token stored, then no place for its record) is not all-or-nothing.
  configDir(process.env);
  const { result } = await runCommand(cmd, { rawArgs: rest });
  return typeof result === 'number' ? result : ExitCode.ok;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** `cannot open /x/y: no such file or folder` for a Node file-system error that names its path. */
function fileSystemError(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || !e.code || !e.path || !FS_REASONS[e.code]) return undefined;
  // An atomic write fails on its temp file beside the target: name the target.
  const target = e.path.replace(/\/\.([^/]+)\.bbauth-\d+-[0-9a-f]{8}\.tmp$/, '/$1');
  const verb = target === e.path ? (e.syscall ?? 'use') : 'write';
  return `cannot ${verb} ${target}: ${FS_REASONS[e.code]}.`;
}

function report(error: unknown): number {
  if (isExpectedError(error)) {
    printInfo(`bbauth: ${error.message}`);
    for (const step of error.nextSteps) printInfo(`  → ${step}`);
    return ExitCode.usage;
  }
  if (error instanceof NetworkError) {
    printInfo(`bbauth: ${error.message}`);
    printInfo('  → Check your network or proxy settings (HTTPS_PROXY, NO_PROXY) and try again.');
    return ExitCode.usage;
  }
  // The file system said no (a missing folder for --output, a read-only or full config dir): name the path.
  const fsError = fileSystemError(error);
  if (fsError) {
    printInfo(`bbauth: ${fsError}`);
    printInfo('  → Choose a path that exists and you can write to, or fix the permissions, then run again.');
    return ExitCode.usage;
  }
  // citty's own argument errors (missing required, bad enum value) are usage errors too.
  if (error instanceof Error && error.name === 'CLIError') {
    printInfo(`bbauth: ${error.message}`);
    printInfo('  → Run with --help to see the options.');
    return ExitCode.usage;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const label = error instanceof BugError ? 'invariant broken' : 'internal error';
  printInfo(`bbauth: ${label} — this is a bug in bbauth.\n${detail}`);
  printInfo('  → Please report it with the command you ran (secrets are masked above).');
  return ExitCode.bug;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
