/**
 * The `get` path's read-only look-up of a token's recorded expiry. git runs the helper on every fetch and push,
 * so this reads the records file directly (same path, same digest as src/store/records.ts, pinned by
 * test/unit/helper-records-lookup.test.ts) instead of loading the read-write store and its dependencies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from '../store/config-dir.js';

/** records.ts's recordsPath(). */
export function plainRecordsPath(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  return join(configDir(env, platform), 'records.json');
}

interface StoredRecord {
  digest?: unknown;
  expires?: unknown;
}

/** The recorded expiry of `secret`, if any. Throws (with a message naming the file) only for a corrupt file. */
export async function lookupExpiry(secret: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const path = plainRecordsPath(env);
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
