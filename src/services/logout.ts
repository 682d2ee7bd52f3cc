/**
 * `bbauth logout`: undo login — erase the host's stored credentials, bbauth's records for that host, and the
 * helper setting login added (only that exact value: a helper the user set by hand stays).
 */
import type { Endpoints } from '../core/endpoints.js';
import { unsetConfig } from '../git/config.js';
import { updateRecords, type CredentialRecord } from '../store/records.js';
import { eraseHostCredentials } from './store-token.js';

export interface LogoutResult {
  host: string;
  removed: number;
  /** `key = value` of each helper setting removed. */
  unsetHelpers: string[];
}

/** Logs out of the Bitbucket host. */
export async function runLogout(
  cwd: string,
  env: NodeJS.ProcessEnv,
  endpoints: Endpoints,
): Promise<LogoutResult> {
  await eraseHostCredentials(cwd, env, endpoints);
  const host = new URL(endpoints.bitbucketUrl).host;
  let gone: CredentialRecord[] = [];
  await updateRecords((file) => {
    gone = file.credentials.filter((c) => c.host === host);
    file.credentials = file.credentials.filter((c) => c.host !== host);
  }, env);
  const helpers = new Map<string, { key: string; value: string }>();
  for (const c of gone)
    if (c.configuredHelper)
      helpers.set(`${c.configuredHelper.key}=${c.configuredHelper.value}`, c.configuredHelper);
  const unsetHelpers: string[] = [];
  for (const h of helpers.values()) {
    if (await unsetConfig({ scope: 'global' }, h.key, { value: h.value, cwd, env }))
      unsetHelpers.push(`${h.key} = ${h.value}`);
  }
  return { host, removed: gone.length, unsetHelpers };
}
