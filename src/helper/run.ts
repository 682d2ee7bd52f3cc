/**
 * The helper's I/O edge: reads the token file and the records, and returns what to print. It never throws for
 * bad input (git must never see a crash from a credential helper) and never puts a secret into `stderr`.
 * The records store is imported lazily: `get` for a foreign host, or with no token, never pays for it.
 */
import { readFileSync, statSync } from 'node:fs';
import {
  answerGet,
  readOnlyNote,
  helperTarget,
  isTargetRequest,
  reportedToken,
  type HelperTarget,
} from '../core/helper/answer.js';
import { parseHelperArgs } from '../core/helper/args.js';
import { chooseToken, TOKEN_ENV_VARS, type OfferedToken, type TokenFileRead } from '../core/helper/tokens.js';
import { lookupRecord, type RecordedFacts } from './records-lookup.js';
import { formatCredentialMessage, parseCredentialMessage } from '../core/parse/credential-protocol.js';

export interface HelperIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Reads git's request from stdin; only called for a known action. */
  readRequest: () => Promise<string>;
  now: Date;
}

export interface HelperOutcome {
  /** Protocol lines only (or the usage text for --help). */
  stdout: string;
  /** One line each, without the `bbauth: ` prefix. */
  stderr: string[];
}

/**
 * endpoints.ts's DEFAULT_BITBUCKET_URL, repeated so the common (HTTPS) path does not load endpoints.ts and
 * errors.ts; test/unit/helper-args.test.ts pins the two together.
 */
export const HELPER_DEFAULT_URL = 'https://bitbucket.org';

export const HELPER_USAGE = `usage: git credential-bbauth [--token-file PATH] [--bitbucket-url URL] <get|store|erase>

A git credential helper for Bitbucket Cloud. Configure it with \`bbauth setup-git\`, or:
  git config --global credential.https://bitbucket.org.helper ''
  git config --global --add credential.https://bitbucket.org.helper 'bbauth --token-file /run/secrets/bitbucket'
Token sources, first set wins: ${TOKEN_ENV_VARS.join(', ')}, then --token-file.
`;

/** A token file is a few hundred bytes; anything much larger is not one (and is not read into memory). */
const TOKEN_FILE_MAX = 64 * 1024;

// Synchronous reads: this process does one thing at a time, and node:fs is loaded already. Only a regular file
// is opened: a FIFO would block until something writes to it, /dev/zero never ends, and git would wait on both.
function readTokenFile(path: string): TokenFileRead {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { path, error: 'not a regular file' };
    if (st.size > TOKEN_FILE_MAX)
      return { path, error: `larger than ${TOKEN_FILE_MAX / 1024} KiB, not a token file` };
    return { path, content: readFileSync(path, 'utf8') };
  } catch (e) {
    return { path, error: (e as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
}

/** Loaded only for plain HTTP, which real use never is (the emulator is the one loopback server). */
async function isLoopback(hostname: string): Promise<boolean> {
  const { isLoopbackHost } = await import('../core/endpoints.js');
  return isLoopbackHost(hostname);
}

/** The token file is read only when no environment variable already decides. */
function tokenFileFor(path: string | undefined, env: NodeJS.ProcessEnv): TokenFileRead | undefined {
  if (path === undefined || TOKEN_ENV_VARS.some((n) => env[n])) return undefined;
  return readTokenFile(path);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function recordedFacts(
  token: OfferedToken,
  env: NodeJS.ProcessEnv,
  stderr: string[],
): Promise<RecordedFacts | undefined> {
  try {
    return await lookupRecord(token.secret, env);
  } catch (e) {
    stderr.push(`${message(e)} (answering without an expiry)`);
    return undefined;
  }
}

/** `store` → lastWorked, `erase` → lastFailed, for a token the records know or this helper offers. */
async function noteOutcome(
  action: 'store' | 'erase',
  reported: NonNullable<ReturnType<typeof reportedToken>>,
  offered: OfferedToken | undefined,
  target: HelperTarget,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<void> {
  const { findRecord, readRecords, updateRecords, upsertRecord } = await import('../store/records.js');
  const { fingerprint } = await import('../core/redact.js');
  const record = findRecord(await readRecords(env), reported.secret);
  if (!record && offered?.secret !== reported.secret) return;
  // git runs `store` after every operation that worked: a record that says so already, recently enough, with
  // this username, is left alone, so a fetch costs no locked, fsynced write (the lock and rename are most of it).
  if (action === 'store' && record && worksAlreadyNoted(record, reported.username, now)) return;
  const stamp = now.toISOString();
  await updateRecords((file) => {
    const existing = findRecord(file, reported.secret);
    upsertRecord(
      file,
      reported.secret,
      {
        fingerprint: existing?.fingerprint ?? fingerprint(reported.secret),
        kind: existing?.kind ?? reported.kind,
        host: existing?.host ?? target.host,
        usernames: reported.username ? [reported.username] : [],
        ...(existing ? {} : { source: 'helper' }),
        ...(action === 'store' ? { lastWorked: stamp } : { lastFailed: stamp }),
      },
      now,
    );
  }, env);
}

/** How fresh `lastWorked` is kept: finer would cost a write per git operation and say nothing more. */
const LAST_WORKED_GRANULARITY_MS = 60 * 60 * 1000;

/** The record already says this token worked (with this username) within the last hour, and failed not since. */
function worksAlreadyNoted(
  record: { lastWorked?: string; lastFailed?: string; usernames: string[] },
  username: string | undefined,
  now: Date,
): boolean {
  if (!record.lastWorked) return false;
  const worked = Date.parse(record.lastWorked);
  if (!(now.getTime() - worked < LAST_WORKED_GRANULARITY_MS && now.getTime() >= worked)) return false;
  if (record.lastFailed && Date.parse(record.lastFailed) >= worked) return false;
  return username === undefined || record.usernames.includes(username);
}

/** `git config --get bbauth.need` in the repository git runs the helper in; undefined when unset or unreadable. */
async function repositoryNeed(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { spawnSync } = await import('node:child_process');
  const res = spawnSync('git', ['config', '--get', 'bbauth.need'], { env, encoding: 'utf8', timeout: 3000 });
  return res.status === 0 ? res.stdout.trim() : undefined;
}

/** Runs one helper invocation. Never rejects. */
export async function runHelper(io: HelperIo): Promise<HelperOutcome> {
  const out: HelperOutcome = { stdout: '', stderr: [] };
  try {
    await runHelperInner(io, out);
  } catch (e) {
    // A bug must not break git: say so in one line and answer nothing.
    out.stdout = '';
    out.stderr.push(`internal error in git-credential-bbauth (${message(e)}); not answering`);
  }
  return out;
}

async function runHelperInner(io: HelperIo, out: HelperOutcome): Promise<void> {
  const args = parseHelperArgs(io.argv);
  if (args.help) {
    out.stdout = HELPER_USAGE;
    return;
  }
  if (args.unknown.length > 0)
    out.stderr.push(`ignoring unknown helper option(s): ${args.unknown.join(', ')}`);
  if (args.action === 'none') {
    out.stderr.push(HELPER_USAGE.split('\n')[0]!);
    return;
  }
  // git's convention: a helper ignores actions it does not know.
  if (args.action === 'other') return;
  const url = args.bitbucketUrl ?? (io.env.BBAUTH_BITBUCKET_URL || HELPER_DEFAULT_URL);
  const target = helperTarget(url);
  const msg = parseCredentialMessage(await io.readRequest());
  if (!target) {
    if (args.action === 'get')
      out.stderr.push(`--bitbucket-url ${url} is not an http(s) URL — not answering`);
    return;
  }
  if (args.action === 'get') {
    if (!isTargetRequest(msg, target)) return;
    // Plain HTTP is for the emulator only.
    const insecure = target.protocol === 'http' && !(await isLoopback(new URL(url).hostname));
    if (insecure) {
      out.stderr.push(`${url} is plain HTTP; bbauth will not send a token over it — not answering`);
      return;
    }
    const choice = chooseToken(io.env, tokenFileFor(args.tokenFile, io.env));
    if (choice.note) out.stderr.push(choice.note);
    if (!choice.token) return;
    const recorded = await recordedFacts(choice.token, io.env, out.stderr);
    const answer = answerGet(choice.token, recorded?.expires, io.now);
    if (answer.note) out.stderr.push(answer.note);
    // A token a check proved read-only, in a repository that needs push: say so before git's push fails with a
    // bare 403. Only then is git asked for bbauth.need (a few milliseconds, bounded).
    if (answer.reply && recorded?.pushRefused) {
      const note = readOnlyNote(choice.token, recorded.pushRefused, await repositoryNeed(io.env));
      if (note) out.stderr.push(note);
    }
    if (answer.reply) out.stdout = formatCredentialMessage(answer.reply);
    return;
  }
  const reported = reportedToken(msg, target);
  if (!reported) return;
  const offered = chooseToken(io.env, tokenFileFor(args.tokenFile, io.env)).token;
  try {
    await noteOutcome(args.action, reported, offered, target, io.env, io.now);
  } catch (e) {
    out.stderr.push(`could not update bbauth's records: ${message(e)}`);
  }
}
