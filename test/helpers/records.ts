/** Puts a record for a token into bbauth's records file of a sandbox environment (replacing any others). */
import { fingerprint } from '../../src/core/redact.js';
import { updateRecords, upsertRecord, type CredentialRecord } from '../../src/store/records.js';

/** Writes the only record: an API token for `host` with the given fields (expires, email, lastFailed…). */
export async function recordToken(
  env: NodeJS.ProcessEnv,
  token: string,
  fields: Partial<Omit<CredentialRecord, 'digest' | 'fingerprint'>> = {},
): Promise<void> {
  await updateRecords((f) => {
    f.credentials = [];
    upsertRecord(
      f,
      token,
      { kind: 'api-token', host: 'bitbucket.org', usernames: [], ...fields, fingerprint: fingerprint(token) },
      new Date(),
    );
  }, env);
}

/** `YYYY-MM-DD` n days from today (UTC). */
export function dayFromNow(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}
