/** Flags every command shares, typed once and spread into each command's args. */
import type { ArgsDef } from 'citty';
import { resolveEndpoints, type Endpoints } from '../core/endpoints.js';
import { UsageError } from '../core/errors.js';
import { REQUEST_TIMEOUT_MS, RUN_BUDGET_MS, setRunBudget } from '../net/request.js';

export const globalArgs = {
  json: { type: 'boolean', description: 'Print machine-readable JSON on stdout' },
  verbose: { type: 'boolean', alias: 'v', description: 'Say more on stderr (requests sent, git calls)' },
  color: {
    type: 'boolean',
    default: true,
    description: 'Colour output on a TTY',
    negativeDescription: 'Never colour output',
  },
  'bitbucket-url': {
    type: 'string',
    valueHint: 'URL',
    description: 'Bitbucket origin git talks to (env BBAUTH_BITBUCKET_URL; default https://bitbucket.org)',
  },
  'api-url': {
    type: 'string',
    valueHint: 'URL',
    description: 'REST API origin (env BBAUTH_API_URL; default https://api.bitbucket.org)',
  },
} as const satisfies ArgsDef;

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
  endpoints: Endpoints;
}

/** Turns parsed global flags into options, validating the URLs (UsageError on bad input). */
export function readGlobalOptions(args: {
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
  'bitbucket-url'?: string;
  'api-url'?: string;
  timeout?: string;
}): GlobalOptions {
  // The run's network budget is set before anything is sent; commands that never go online have no --timeout.
  if (args.timeout !== undefined) setRunBudget(readTimeout(args.timeout));
  return {
    json: Boolean(args.json),
    verbose: Boolean(args.verbose),
    color: args.color !== false,
    endpoints: resolveEndpoints(
      { bitbucketUrl: args['bitbucket-url'], apiUrl: args['api-url'] },
      process.env,
    ),
  };
}

/** `--timeout SECONDS` → milliseconds: more than 0, at most an hour; UsageError naming the flag otherwise. */
export function readTimeout(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600)
    throw new UsageError(`--timeout must be a number of seconds between 0 and 3600, got "${value}".`, [
      `The default is ${RUN_BUDGET_MS / 1000} (seconds for the whole run).`,
    ]);
  return Math.round(n * 1000);
}

/** `--timeout SECONDS`, for every command that can contact Bitbucket: the time limits, stated once. */
export const networkArgs = {
  timeout: {
    type: 'string',
    valueHint: 'SECONDS',
    description: `Network time for the whole run (default ${RUN_BUDGET_MS / 1000}): every request and Retry-After wait fits in it, and each request has at most ${REQUEST_TIMEOUT_MS / 1000} s (connect, headers, body). A check that runs out of time is reported as not checked`,
  },
} as const satisfies ArgsDef;

/** `--cwd DIR`: the repository a read-only command inspects (doctor, status). */
export const cwdArgs = {
  cwd: {
    type: 'string',
    valueHint: 'DIR',
    description: 'Repository to inspect (default: current directory)',
  },
} as const satisfies ArgsDef;

/** The directory `--cwd` names, or the current one. */
export function readCwd(args: { cwd?: string }): string {
  return args.cwd ?? process.cwd();
}

/**
 * `--offline`, shared by every command that can contact Bitbucket. What staying offline gives up differs per
 * command, so each says it in its own help line.
 */
export function offlineArgs(description: string) {
  return {
    offline: { type: 'boolean', description },
    ...networkArgs,
  } as const satisfies ArgsDef;
}

/** `--email EMAIL`: the Atlassian account email for the REST identity check (the service also reads BBAUTH_EMAIL). */
export function emailArgs(description: string) {
  return { email: { type: 'string', valueHint: 'EMAIL', description } } as const satisfies ArgsDef;
}

/** The `email` option for a service, present only when the flag was given. */
export function readEmail(args: { email?: string }): { email?: string } {
  return args.email ? { email: args.email } : {};
}

/** `--warn-days N`, shared by every command that reports recorded token expiry. */
export const warnDaysArg = {
  'warn-days': {
    type: 'string',
    valueHint: 'N',
    description: 'Warn about tokens that expire within N days (default 30)',
  },
} as const satisfies ArgsDef;

/** A whole number of days, 0 or more (default 30); UsageError naming the flag otherwise. */
export function readDays(value: string | undefined, flag = '--warn-days'): number {
  if (value === undefined) return 30;
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`${flag} must be a whole number of days, got "${value}".`);
  return Number(value.trim());
}

/** `--need fetch|push`: what access this machine needs (doctor, status, fix, login). */
export function needArgs(description: string) {
  return { need: { type: 'string', valueHint: 'fetch|push', description } } as const satisfies ArgsDef;
}

/** The `need` option for a service, present only when the flag was given (the service validates it). */
export function readNeed(args: { need?: string }): { need?: string } {
  return args.need !== undefined ? { need: args.need } : {};
}
