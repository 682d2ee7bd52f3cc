/**
 * The few error types bbauth throws on purpose. Expected failures carry a message a user can act on;
 * anything else reaching the CLI is a bug. Only src/cli/main.ts turns these into exit codes.
 */

/** Exit codes, documented in the README: scripts depend on them. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  bug: 3,
} as const;

/** The user asked for something that cannot be done as asked (bad flag, bad value). Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly nextSteps: string[] = [],
  ) {
    super(message);
  }
}

/**
 * The environment stopped us (git missing, file unreadable, no TTY for a prompt, refusing to send a secret
 * over plain HTTP). The message names the thing; nextSteps say what to do. Exit 2.
 */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(
    message: string,
    readonly nextSteps: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An invariant broke: our fault. The CLI prints the stack and asks for an issue report. */
export class BugError extends Error {
  override readonly name = 'BugError';
}

/** Returns true for errors whose message is meant for the user as it is. */
export function isExpectedError(error: unknown): error is UsageError | AbortError {
  return error instanceof UsageError || error instanceof AbortError;
}
