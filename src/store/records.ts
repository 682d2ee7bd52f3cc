/**
 * bbauth's own records about credentials: kind, fingerprint, usernames, email, scopes seen, expiry, when it
 * last worked or failed. Never the secret. One JSON file, mode 0600, replaced atomically.
 *
 * A record is matched to a token by `digest`: a SHA-256 of the token, only ever computed for high-entropy
 * Atlassian tokens (a digest of a short password could be brute-forced, so those get no record).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError } from '../core/errors.js';
import { fingerprint as fingerprintOf } from '../core/redact.js';
import type { CredentialKind } from '../core/model.js';
import { writeFileAtomic } from './atomic.js';
import { configDir } from './config-dir.js';
import { acquirePidLock } from './pid-lock.js';

export interface CredentialRecord {
  /** `sha256:<hex>` of the token. */
  digest: string;
  fingerprint: string;
  kind: CredentialKind;
  /** `bitbucket.org` (host[:port]). */
  host: string;
  /** Git usernames this token was stored or used with. */
  usernames: string[];
  email?: string;
  label?: string;
  scopesSeen?: string[];
  scopesMissing?: string[];
  /** `YYYY-MM-DD` (end of that day, UTC) or a full ISO timestamp. */
  expires?: string;
  createdAt: string;
  /**
   * When bbauth first met the token, by any command (login, fix, the helper, scan, doctor, status): an API token
   * lives at most a year, so this bounds its expiry when none is recorded. Older records: createdAt.
   */
  firstSeen?: string;
  updatedAt: string;
  lastVerified?: string;
  /** When a check last proved the token cannot push (read-only); git-credential-bbauth warns in a repository that pushes. */
  pushRefused?: string;
  /** git reported success through the helper (`store`). */
  lastWorked?: string;
  /** git reported failure through the helper (`erase`). */
  lastFailed?: string;
  /** How bbauth learned of it: `login`, `helper`, `fix`. */
  source?: string;
  /** The credential helpers `bbauth login` stored it in (doctor tells an erased token from a moved one). */
  storedIn?: string[];
  /** When `bbauth rotate` replaced this token everywhere it was found. */
  retired?: string;
  /** The fingerprint of the token that replaced it. */
  replacedBy?: string;
  /** A global helper setting `bbauth login` added for it, so `bbauth logout` can take it away again. */
  configuredHelper?: { key: string; value: string };
}

export interface RecordsFile {
  schemaVersion: 1;
  credentials: CredentialRecord[];
}

/** `sha256:<hex>` for a token; the only key that ties a record to a secret. */
export function digestOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** Path of the records file. */
export function recordsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'records.json');
}

/** Reads the records; an absent file is an empty list, a corrupt one an AbortError naming it. */
export async function readRecords(env: NodeJS.ProcessEnv = process.env): Promise<RecordsFile> {
  const path = recordsPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 1, credentials: [] };
    throw new AbortError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as RecordsFile;
    if (parsed.schemaVersion !== 1 || !Array.isArray(parsed.credentials)) throw new Error('unexpected shape');
    return parsed;
  } catch (e) {
    throw new AbortError(`bbauth's records file ${path} is corrupt (${(e as Error).message}).`, [
      `Move it aside (mv ${path} ${path}.bad) and run \`bbauth login\` again; no secret is stored in it.`,
    ]);
  }
}

const LOCK_WAIT_MS = 10_000;

/**
 * Holds `records.json.lock` for `fn`. git runs the helper once per fetch and push, so many may report at once;
 * each read-modify-write waits its turn (a lock left by a killed run is taken over at once).
 */
async function withRecordsLock<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const path = `${recordsPath(env)}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const got = await acquirePidLock(path);
    if ('release' in got) {
      try {
        return await fn();
      } finally {
        await got.release();
      }
    }
    if (Date.now() > deadline)
      throw new AbortError(`${path} has been held by process ${got.heldBy} for ${LOCK_WAIT_MS / 1000}s.`, [
        `If no bbauth is running, delete ${path}.`,
      ]);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
}

/**
 * Applies `mutate` to the records and writes them back atomically (0600), under the records lock so that
 * concurrent runs never lose each other's updates. Returns the new file.
 */
export async function updateRecords(
  mutate: (file: RecordsFile) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RecordsFile> {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  return withRecordsLock(env, async () => {
    const file = await readRecords(env);
    mutate(file);
    await writeFileAtomic(recordsPath(env), JSON.stringify(file, null, 2) + '\n', 0o600);
    return file;
  });
}

/** Finds the record for a token, if any. */
export function findRecord(file: RecordsFile, secret: string): CredentialRecord | undefined {
  const d = digestOf(secret);
  return file.credentials.find((c) => c.digest === d);
}

/** Inserts or merges a record for `secret` (usernames are unioned; given fields overwrite). */
export function upsertRecord(
  file: RecordsFile,
  secret: string,
  fields: Omit<Partial<CredentialRecord>, 'digest'> & Pick<CredentialRecord, 'fingerprint' | 'kind' | 'host'>,
  now: Date,
): CredentialRecord {
  const existing = findRecord(file, secret);
  const stamp = now.toISOString();
  if (existing) {
    const usernames = [...new Set([...existing.usernames, ...(fields.usernames ?? [])])];
    Object.assign(existing, fields, { usernames, updatedAt: stamp });
    return existing;
  }
  const record: CredentialRecord = {
    usernames: [],
    createdAt: stamp,
    firstSeen: stamp,
    ...fields,
    digest: digestOf(secret),
    updatedAt: stamp,
  };
  file.credentials.push(record);
  return record;
}

/** A token met in a place (scan, doctor, status), for noteSeen. */
export interface SeenToken {
  secret: string;
  kind: CredentialKind;
  /** Host[:port] it is for. */
  host: string;
}

/** Kinds whose secret is high-entropy enough to key a record by its digest (and whose lifetime matters). */
const RECORDED_KINDS = new Set<CredentialKind>(['api-token', 'access-token']);

/**
 * Records the first sighting of each token bbauth meets, so its expiry is bounded later (`firstSeen`), and returns
 * the records as they are then. `known`: the records the caller has read already (not read again). Tokens the
 * records know are left as they are; nothing is written (and no lock taken) when every one is known. A records
 * file that cannot be written is not the caller's failure: the sighting is simply not kept.
 */
export async function noteSeen(
  seen: readonly SeenToken[],
  env: NodeJS.ProcessEnv,
  now: Date,
  known?: RecordsFile,
): Promise<RecordsFile> {
  const records = known ?? (await readRecords(env));
  const fresh = seen.filter(
    (s, i) =>
      RECORDED_KINDS.has(s.kind) &&
      !findRecord(records, s.secret) &&
      seen.findIndex((x) => x.secret === s.secret) === i,
  );
  if (fresh.length === 0) return records;
  try {
    return await updateRecords((file) => {
      for (const s of fresh)
        if (!findRecord(file, s.secret))
          upsertRecord(
            file,
            s.secret,
            { fingerprint: fingerprintOf(s.secret), kind: s.kind, host: s.host, source: 'seen' },
            now,
          );
    }, env);
  } catch {
    // Unwritable records: the next command that can write them records the sighting.
    return records;
  }
}
