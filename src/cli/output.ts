/**
 * stdout is for results, stderr for everything else. Both pass through redactText() with every secret bbauth
 * has read, so nothing radioactive reaches a terminal, a log or a pipe, and through neutralizeControls(), so no
 * control sequence from outside text (a server's answer, a file name, a URL username) reaches the terminal.
 */
import { createColors } from 'picocolors';
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
