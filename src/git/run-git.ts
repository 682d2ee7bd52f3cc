/**
 * The one way bbauth starts git. Locale pinned (parsers read English), no pager, no prompts of any kind
 * (terminal or askpass: VS Code's terminal sets GIT_ASKPASS), a timeout, and secrets passed only on stdin or in
 * the environment, never in argv where `ps` shows them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AbortError, UsageError } from '../core/errors.js';

export interface RunGitOptions {
  cwd?: string;
  /** The whole environment for git (default: process.env); an isolated HOME in tests, say. */
  env?: NodeJS.ProcessEnv;
  /** Written to git's stdin, then closed. The only way a secret reaches git. */
  input?: string;
  /** Milliseconds before git is killed. */
  timeoutMs?: number;
  /**
   * Let git run the user's askpass program (GIT_ASKPASS, core.askPass, SSH_ASKPASS) when it needs a password:
   * only for `doctor --ask-askpass`, which asks it on purpose. The terminal stays off.
   */
  allowAskPass?: boolean;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Environment that keeps git from ever waiting for a human (but for an askpass program, when allowed). */
export function quietGitEnv(base: NodeJS.ProcessEnv = process.env, allowAskPass = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    // An empty GIT_ASKPASS is not unset: git skips core.askPass and SSH_ASKPASS too, so nothing pops up.
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: base.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
  };
  // bbauth's own token input (login, fix, rotate) is for bbauth: git, its helpers and hooks never see it.
  delete env.BBAUTH_TOKEN;
  if (allowAskPass) {
    // The user's own choice, as git would see it: set (even empty) or unset, never invented.
    for (const key of ['GIT_ASKPASS', 'SSH_ASKPASS'] as const) {
      if (base[key] === undefined) delete env[key];
      else env[key] = base[key];
    }
  }
  return env;
}

/** Counts git subprocesses, so benchmarks and --verbose can report them. */
export const gitStats = { spawned: 0 };

/**
 * Runs `git <args>` and resolves with its exit code and output; never rejects on a non-zero exit
 * (callers decide what a code means). Rejects with AbortError if git is missing or times out.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const env = quietGitEnv(options.env ?? process.env, options.allowAskPass);
  return new Promise((resolve, reject) => {
    gitStats.spawned++;
    // A current folder whose name is not valid UTF-8 has no exact string form in Node (process.cwd() returns it
    // with U+FFFD): git is started in it by inheriting it, not by naming it.
    const cwd =
      options.cwd !== undefined && options.cwd === process.cwd() && !existsSync(options.cwd)
        ? undefined
        : options.cwd;
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // spawn says ENOENT for a missing working folder too: only a folder that exists means git is missing.
      if (e.code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)) {
        reject(
          new UsageError(
            `cannot run git in ${JSON.stringify(cwd)}: no such folder${/\uFFFD/.test(cwd) ? ' (its name is not valid UTF-8, which Node cannot address)' : ''}.`,
            ['Run bbauth from another folder, or rename the folder to a UTF-8 name.'],
          ),
        );
      } else if (e.code === 'ENOENT') {
        reject(
          new AbortError('git is not installed (no `git` on PATH).', [
            'Install git (https://git-scm.com/downloads) and run bbauth again.',
          ]),
        );
      } else reject(new AbortError(`could not start git: ${e.message}`, [], { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new AbortError(`git ${args[0] ?? ''} did not finish within ${timeoutMs / 1000}s.`));
        return;
      }
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // EPIPE when git exits before reading stdin is expected (e.g. a bad subcommand); the close event reports it.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
