/**
 * stdout is for results, stderr for everything else. Both pass through redactText() with every secret bbauth
 * has read, so nothing radioactive reaches a terminal, a log or a pipe, and through neutralizeControls(), so no
 * control sequence from outside text (a server's answer, a file name, a URL username) reaches the terminal.
 */
import { open, stat } from 'node:fs/promises';
import { createColors } from 'picocolors';
import { UsageError } from '../core/errors.js';
import { NotARegularFile, prepareAtomic, type PendingWrite } from '../store/atomic.js';
import { redactText } from '../core/redact.js';
import { neutralizeControls } from '../core/terminal.js';
import { registeredSecrets } from '../core/secret-registry.js';

/** Whether colour is allowed: a TTY, no NO_COLOR, no --no-color, no --json. */
export function colorEnabled(
  opts: { color: boolean; json: boolean },
  stream: NodeJS.WriteStream = process.stdout,
): boolean {
  return (
    opts.color &&
    !opts.json &&
    Boolean(stream.isTTY) &&
    !('NO_COLOR' in process.env) &&
    process.env.TERM !== 'dumb'
  );
}

export type Colors = ReturnType<typeof createColors>;

/** Colour functions that are no-ops when colour is off. */
export function colors(enabled: boolean): Colors {
  return createColors(enabled);
}

/** Writes a result to stdout, masked. */
export function printResult(text: string): void {
  process.stdout.write(
    neutralizeControls(redactText(text.endsWith('\n') ? text : `${text}\n`, registeredSecrets())),
  );
}

/** Writes chatter (progress, warnings, errors) to stderr, masked. */
export function printInfo(text: string): void {
  process.stderr.write(
    neutralizeControls(redactText(text.endsWith('\n') ? text : `${text}\n`, registeredSecrets())),
  );
}

/**
 * Prepares a report the user asked for with `--output FILE` (or `--json/--csv/--html FILE`), chunk by chunk,
 * each masked: atomically for a regular file (a symlink's target is replaced; nothing changes until commit),
 * straight through at commit for a device or a FIFO (`/dev/stdout`, a named pipe), which cannot be renamed over.
 */
export async function prepareOutputFile(path: string, chunks: Iterable<string>): Promise<PendingWrite> {
  const secrets = registeredSecrets();
  function* masked(): Generator<string> {
    let last = '';
    for (const c of chunks) {
      if (c === '') continue;
      last = c;
      yield redactText(c, secrets);
    }
    if (!last.endsWith('\n')) yield '\n';
  }
  try {
    return await prepareAtomic(path, masked(), 0o600);
  } catch (e) {
    if (!(e instanceof NotARegularFile)) throw e;
    if ((await stat(path)).isDirectory())
      throw new UsageError(`${path} is a folder; nothing was written.`, ['Give a file name inside it.']);
    return {
      async commit() {
        const fh = await open(path, 'w');
        try {
          for (const c of masked()) await fh.write(c);
        } finally {
          await fh.close();
        }
      },
      abort: async () => {},
    };
  }
}

/** prepareOutputFile and commit: one report file. */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  await (await prepareOutputFile(path, [text])).commit();
}
