/** `bbauth logout`: undo login — erase the host's stored credentials and bbauth's records for that host. */
import type { Endpoints } from '../core/endpoints.js';
import { updateRecords } from '../store/records.js';
import { eraseHostCredentials } from './store-token.js';

/** Returns how many records were removed. */
export async function runLogout(
  cwd: string,
  env: NodeJS.ProcessEnv,
  endpoints: Endpoints,
): Promise<{ host: string; removed: number }> {
  await eraseHostCredentials(cwd, env, endpoints);
  const host = new URL(endpoints.bitbucketUrl).host;
  let removed = 0;
  await updateRecords((file) => {
    const before = file.credentials.length;
    file.credentials = file.credentials.filter((c) => c.host !== host);
    removed = before - file.credentials.length;
  }, env);
  return { host, removed };
}
