/**
 * What the emulator knows: accounts, credentials, repositories, permissions and a few switches. Plain JSON, so a
 * user can write a state file for `bbauth emulator --state FILE` and tests can mutate it between requests.
 */
import { readFile } from 'node:fs/promises';
import { AbortError } from '../core/errors.js';
import { redactText } from '../core/redact.js';
import { mintSecret } from '../core/token/format.js';

export interface EmulatorAccount {
  username: string;
  email: string;
  displayName?: string;
  uuid?: string;
  accountId?: string;
}

export type EmulatorTokenKind = 'api-token' | 'app-password' | 'access-token';

export interface EmulatorToken {
  /** Label, unique; appears in request logs instead of the secret. */
  id: string;
  kind: EmulatorTokenKind;
  secret: string;
  /** Owner username (api-token, app-password). */
  account?: string;
  /**
   * api-token: granular scopes, none implied; [] or missing = unscoped "classic" token (401 everywhere).
   * access-token / app-password: legacy scopes with the OAuth implications of facts §3.2 (app password: missing = all).
   */
  scopes?: string[];
  resource?: {
    type: 'repository' | 'project' | 'workspace';
    workspace: string;
    repo?: string;
    project?: string;
  };
  /** ISO date/time; past → 401. */
  expires?: string;
  revoked?: boolean;
  /** ISO; shown by the admin token listing. */
  createdAt?: string;
  /** ISO; updated by the server on every accepted use. */
  lastAccess?: string;
}

export interface EmulatorRepo {
  workspace: string;
  slug: string;
  project?: string;
  /** Keys are account usernames. */
  permissions: Record<string, 'read' | 'write' | 'admin'>;
}

export interface EmulatorSettings {
  /** ISO; the emulator's clock (expiry, app password retirement). Default: real time. */
  now?: string;
  /** Default: 'retired' from 2026-07-28, else 'valid'. 'retired' and 'brownout' → git 410, REST 401. */
  appPasswords?: 'retired' | 'valid' | 'brownout';
  /** Status for a valid credential without repository access (UNCONFIRMED in the facts). Default 403. */
  noAccessStatus?: 403 | 404;
  /** Bearer key for the admin token listing (`/users/{account_id}/manage/api-tokens`); absent = disabled. */
  adminKey?: string;
  /**
   * More REST paths to answer as removed (410 CHANGE-2770, as for `/2.0/workspaces`), for testing that a caller
   * never reads such a 410 as a retired app password: e.g. `['/2.0/user']`.
   */
  removedEndpoints?: string[];
}

export interface EmulatorState {
  accounts: EmulatorAccount[];
  tokens: EmulatorToken[];
  repositories: EmulatorRepo[];
  settings?: EmulatorSettings;
}

/** Date app passwords stopped working entirely (facts §7). */
export const APP_PASSWORD_RETIREMENT = '2026-07-28T00:00:00Z';

/** The emulator's current time: settings.now if set, else the real clock. */
export function emulatorNow(state: EmulatorState, real: Date = new Date()): Date {
  return state.settings?.now ? new Date(state.settings.now) : real;
}

/** How app passwords behave at `now`. */
export function appPasswordMode(state: EmulatorState, now: Date): 'retired' | 'valid' | 'brownout' {
  return state.settings?.appPasswords ?? (now >= new Date(APP_PASSWORD_RETIREMENT) ? 'retired' : 'valid');
}

/** The account's uuid/account id, derived from the username when the state does not set them. */
export function accountIds(account: EmulatorAccount): { uuid: string; accountId: string } {
  let hex = '';
  for (const ch of account.username) hex += ch.charCodeAt(0).toString(16).padStart(2, '0');
  hex = hex.padEnd(12, '0').slice(0, 12);
  return {
    uuid: account.uuid ?? `{00000000-0000-4000-8000-${hex}}`,
    accountId: account.accountId ?? `712020:${hex}`,
  };
}

const RW = ['read:repository:bitbucket', 'write:repository:bitbucket'];

/** A demo world with freshly minted tokens of every kind (synthetic; never real credentials). */
export function demoState(): EmulatorState {
  const api = (id: string, account: string, scopes: string[], extra: Partial<EmulatorToken> = {}) => ({
    id,
    kind: 'api-token' as const,
    secret: mintSecret('api-token'),
    account,
    scopes,
    createdAt: '2026-01-15T09:00:00Z',
    expires: '2027-01-15T09:00:00Z',
    ...extra,
  });
  const access = (id: string, scopes: string[], resource: EmulatorToken['resource']): EmulatorToken => ({
    id,
    kind: 'access-token',
    secret: mintSecret('access-token'),
    scopes,
    resource,
  });
  return {
    accounts: [
      { username: 'alice', email: 'alice@example.com', displayName: 'Alice Example' },
      { username: 'bob', email: 'bob@example.com', displayName: 'Bob Example' },
    ],
    tokens: [
      api('alice-rw', 'alice', [...RW, 'read:user:bitbucket', 'read:workspace:bitbucket']),
      api('alice-read', 'alice', ['read:repository:bitbucket']),
      api('alice-write-only', 'alice', ['write:repository:bitbucket']),
      api('alice-unscoped', 'alice', []),
      api('alice-expired', 'alice', RW, {
        createdAt: '2025-01-01T00:00:00Z',
        expires: '2026-01-01T00:00:00Z',
      }),
      api('alice-revoked', 'alice', RW, { revoked: true }),
      api('alice-user-only', 'alice', ['read:user:bitbucket']),
      {
        id: 'alice-app-password',
        kind: 'app-password',
        secret: mintSecret('app-password'),
        account: 'alice',
      },
      api('bob-rw', 'bob', [...RW, 'read:user:bitbucket']),
      access('web-repo-write', ['repository:write'], { type: 'repository', workspace: 'acme', repo: 'web' }),
      access('web-repo-read', ['repository'], { type: 'repository', workspace: 'acme', repo: 'web' }),
      access('web-repo-pr', ['pullrequest'], { type: 'repository', workspace: 'acme', repo: 'web' }),
      access('acme-project-read', ['repository'], { type: 'project', workspace: 'acme', project: 'WEB' }),
      access('acme-workspace-write', ['repository:write'], { type: 'workspace', workspace: 'acme' }),
    ],
    repositories: [
      { workspace: 'acme', slug: 'web', project: 'WEB', permissions: { alice: 'write', bob: 'read' } },
      { workspace: 'acme', slug: 'secret', project: 'SEC', permissions: { bob: 'admin' } },
    ],
    settings: {},
  };
}

function shapeError(file: string, what: string): AbortError {
  return new AbortError(`emulator state file ${file}: ${what}`, [
    'Fix the file, or run `bbauth emulator` without --state for the demo state.',
  ]);
}

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const KINDS = new Set(['api-token', 'app-password', 'access-token']);

/** Throws AbortError naming `file` and the first thing wrong with the parsed JSON. */
export function ensureStateShape(value: unknown, file: string): asserts value is EmulatorState {
  const v = value as Partial<EmulatorState> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw shapeError(file, 'expected a JSON object');
  for (const key of ['accounts', 'tokens', 'repositories'] as const) {
    if (!Array.isArray(v[key])) throw shapeError(file, `"${key}" must be an array`);
  }
  v.accounts!.forEach((a, i) => {
    if (typeof a?.username !== 'string' || typeof a.email !== 'string') {
      throw shapeError(file, `accounts[${i}] needs string "username" and "email"`);
    }
  });
  const ids = new Set<string>();
  v.tokens!.forEach((t, i) => {
    if (typeof t?.id !== 'string' || typeof t.secret !== 'string' || !KINDS.has(t.kind)) {
      throw shapeError(
        file,
        `tokens[${i}] needs "id", "secret" and "kind" (api-token|app-password|access-token)`,
      );
    }
    if (ids.has(t.id)) throw shapeError(file, `token id "${t.id}" is used twice`);
    ids.add(t.id);
    if (t.scopes !== undefined && !Array.isArray(t.scopes))
      throw shapeError(file, `tokens[${i}].scopes must be an array`);
  });
  v.repositories!.forEach((r, i) => {
    if (typeof r?.workspace !== 'string' || typeof r.slug !== 'string' || typeof r.permissions !== 'object') {
      throw shapeError(file, `repositories[${i}] needs "workspace", "slug" and "permissions"`);
    }
    // They become directories under the data dir: no dot-leading names ('..'), no separators.
    if (!SAFE_NAME.test(r.workspace) || !SAFE_NAME.test(r.slug)) {
      throw shapeError(file, `repositories[${i}] has an invalid workspace or slug`);
    }
  });
}

/** Reads and validates a state file (AbortError naming the file on unreadable, bad JSON or bad shape). */
export async function loadState(path: string): Promise<EmulatorState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new AbortError(`cannot read emulator state file ${path}: ${(e as Error).message}`, [], {
      cause: e,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 quotes a snippet of the text in its message, and a state file is full of secrets: mask it.
    throw shapeError(path, `not valid JSON (${redactText((e as Error).message)})`);
  }
  ensureStateShape(value, path);
  return value;
}
