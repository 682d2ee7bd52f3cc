/**
 * `http.extraHeader` / `http.<url>.extraHeader` entries that send an Authorization header to Bitbucket, read
 * from config files on disk (doctor asks git; scan cannot afford a git process per repository). Basic values
 * are decoded to username and secret; the findings are doctor's: authorization-extraheader (error for an API
 * token), bearer-with-api-token, and what the secret is.
 */
import { classifySecret } from '../credential/secret-class.js';
import { classFindings } from '../findings/build.js';
import { authorizationHeaders, extraHeaderFindings } from '../places/extra-header.js';
import * as fixes from '../findings/advice.js';
import type { Finding, Location } from '../model.js';
import type { SecretUse } from '../credential/use.js';
import type { FileConfigEntry } from './git-config-file.js';
import type { ScanItem } from './types.js';

/** Authorization extra headers in `entries` that apply to `origin`, as scan items with their file and line. */
export function extraHeaderItems(
  entries: readonly FileConfigEntry[],
  origin: string,
  repository?: string,
): ScanItem[] {
  return authorizationHeaders(entries, `${origin}/`).map(({ entry: e, scheme, secret, username }) => {
    const at: Location = {
      file: e.origin.replace(/^file:/, ''),
      line: e.line,
      configKey: e.key,
      configOrigin: e.origin,
    };
    if (repository) at.repository = repository;
    const use: SecretUse = {
      secret,
      username,
      source: 'extraheader',
      scheme,
      location: at,
      class: classifySecret(secret),
    };
    const ctx: fixes.FixContext = { origin, kind: use.class.kind, username };
    const findings: Finding[] = [...extraHeaderFindings(use, at, ctx), ...classFindings(use, ctx)];
    return { secret, kind: use.class.kind, username, source: 'extraheader', scheme, location: at, findings };
  });
}
