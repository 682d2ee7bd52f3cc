/**
 * Interactive questions. Only on a TTY; every question has a flag twin, and without a TTY the caller gets
 * undefined and must say which flag to pass.
 */
import { createInterface } from 'node:readline/promises';
import type { HelperOption } from '../services/store-token.js';
import { UsageError } from '../core/errors.js';

/** True when both stdin and stderr are terminals (prompts go to stderr: stdout is for results). */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && process.env.CI !== 'true';
}

/** Hidden token prompt. */
export async function promptToken(): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  return password(
    { message: 'Paste your Bitbucket API token (input hidden):', mask: false },
    { output: process.stderr },
  );
}

/** Which helper to configure when none applies. */
export async function promptHelper(options: HelperOption[]): Promise<string> {
  const { default: select } = await import('@inquirer/select');
  return select(
    {
      message: 'No credential helper is set up for Bitbucket. Where should git keep the token?',
      choices: options.map((o) => ({ name: `${o.name} — ${o.description}`, value: o.name })),
    },
    { output: process.stderr },
  );
}

/** A plain one-line question (e.g. the expiry date); empty answer = undefined. */
export async function promptLine(question: string): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim();
    return answer === '' ? undefined : answer;
  } finally {
    rl.close();
  }
}

/**
 * A token the way every command takes one: stdin with --with-token, then BBAUTH_TOKEN, then the hidden prompt on
 * a terminal; never argv. Without any of them, a UsageError that says how (`command` names the example).
 */
export async function obtainToken(withToken: boolean, command: string): Promise<string> {
  if (withToken) return readStdin();
  if (process.env.BBAUTH_TOKEN) return process.env.BBAUTH_TOKEN;
  if (canPrompt()) return promptToken();
  throw new UsageError('no token given, and there is no terminal to ask for one.', [
    `Pipe it on stdin: \`bbauth ${command} --with-token < token.txt\`, or set BBAUTH_TOKEN in the environment.`,
  ]);
}

/** Reads all of stdin (for --with-token). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
