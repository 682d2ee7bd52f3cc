#!/usr/bin/env node
/**
 * `git-credential-bbauth`: the credential helper git runs for `credential.helper = bbauth` on every fetch and
 * push. Start-up cost is the point: this file imports only node built-ins and small core modules (no citty,
 * picocolors, undici or main.ts), and talks to fds 0/1/2 with synchronous reads and writes, because touching
 * process.stdin/stdout builds stream objects that cost more than the rest of the helper together.
 * stdout carries protocol lines only; stderr one line per reason, redacted. Always exits 0: a helper's failure
 * must leave git free to ask the next helper.
 */
import { readSync, writeSync } from 'node:fs';
import { redactText } from '../core/redact.js';
import { TOKEN_ENV_VARS } from '../core/helper/tokens.js';
import { runHelper } from '../helper/run.js';

const MAX_REQUEST_BYTES = 64 * 1024;

function requestComplete(text: string): boolean {
  return text.length > MAX_REQUEST_BYTES || text.startsWith('\n') || /\r?\n\r?\n/.test(text);
}

/** The async fallback for a non-blocking stdin (EAGAIN): the stream API copes with it. */
function readRest(text: string): Promise<string> {
  return new Promise((resolve) => {
    let all = text;
    const done = () => {
      process.stdin.off('data', onData);
      process.stdin.destroy();
      resolve(all);
    };
    const onData = (chunk: Buffer) => {
      all += chunk.toString('utf8');
      if (requestComplete(all)) done();
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', done);
    process.stdin.once('error', done);
  });
}

/** Reads git's request up to the blank line that ends it, EOF or a size cap; never waits on a terminal. */
async function readRequest(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const buf = Buffer.alloc(16 * 1024);
  let text = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return readRest(text);
      return text; // EOF or a closed descriptor: what came so far is the request
    }
    if (n === 0) return text;
    text += buf.toString('utf8', 0, n);
    if (requestComplete(text)) return text;
  }
}

function write(fd: 1 | 2, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    (fd === 1 ? process.stdout : process.stderr).write(text);
  }
}

const outcome = await runHelper({
  argv: process.argv.slice(2),
  env: process.env,
  readRequest,
  now: new Date(),
});
if (outcome.stdout) write(1, outcome.stdout);
// Lines carry fingerprints only; masking the environment's tokens as well is defence in depth.
const secrets = TOKEN_ENV_VARS.map((n) => process.env[n] ?? '');
for (const line of outcome.stderr) write(2, `bbauth: ${redactText(line, secrets)}\n`);
process.exitCode = 0;
