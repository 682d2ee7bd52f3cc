/**
 * The `get` path's read-only look-up of a token's recorded expiry. Loading src/store/records.ts costs more than
 * the rest of the helper (its config-dir module pulls env-paths), so where the records path is plain
 * (BBAUTH_CONFIG_DIR, XDG_CONFIG_HOME, Linux ~/.config) this reads the same file with the same digest directly;
 * elsewhere it uses the store. test/unit/helper-records-lookup.test.ts pins both to records.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** records.ts's recordsPath() where it needs no platform look-up; undefined on macOS/Windows without XDG. */
export function plainRecordsPath(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (env.BBAUTH_CONFIG_DIR) return join(env.BBAUTH_CONFIG_DIR, 'records.json');
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'bbauth', 'records.json');
  if (platform === 'linux' && env.HOME) return join(env.HOME, '.config', 'bbauth', 'records.json');
  return undefined;
}

interface StoredRecord {
  digest?: unknown;
  expires?: unknown;
}

/** The recorded expiry of `secret`, if any. Throws (with a message naming the file) only for a corrupt file. */
export async function lookupExpiry(secret: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const path = plainRecordsPath(env);
  if (path === undefined) {
    const { findRecord, readRecords } = await import('../store/records.js');
    return findRecord(await readRecords(env), secret)?.expires;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // no records yet (CI, a fresh server): nothing to add
  }
  let records: StoredRecord[];
  try {
    const parsed = JSON.parse(text) as { schemaVersion?: unknown; credentials?: unknown };
    if (parsed.schemaVersion !== 1 || !Array.isArray(parsed.credentials)) throw new Error('unexpected shape');
    records = parsed.credentials as StoredRecord[];
  } catch (e) {
    throw new Error(`bbauth's records file ${path} is corrupt (${(e as Error).message})`);
  }
  if (records.length === 0) return undefined;
  // node:crypto takes milliseconds to initialise: only load it when there is a record to compare with.
  const { createHash } = await import('node:crypto');
  const digest = `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
  const expires = records.find((r) => r.digest === digest)?.expires;
  return typeof expires === 'string' ? expires : undefined;
}
