/**
 * The `get` path's read-only look-up of a token's recorded expiry and push refusal. git runs the helper on every fetch and push,
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
  pushRefused?: unknown;
}

/** What the `get` path uses from a token's record. */
export interface RecordedFacts {
  expires?: string;
  /** When a check proved the token cannot push. */
  pushRefused?: string;
}

/** The recorded facts about `secret`, if any. Throws (with a message naming the file) only for a corrupt file. */
export async function lookupRecord(
  secret: string,
  env: NodeJS.ProcessEnv,
): Promise<RecordedFacts | undefined> {
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
  const found = records.find((r) => r.digest === digest);
  if (!found) return undefined;
  const out: RecordedFacts = {};
  if (typeof found.expires === 'string') out.expires = found.expires;
  if (typeof found.pushRefused === 'string') out.pushRefused = found.pushRefused;
  return out;
}
