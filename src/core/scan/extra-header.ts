/**
 * `http.extraHeader` / `http.<url>.extraHeader` entries that send an Authorization header to Bitbucket, read
 * from config files on disk (doctor asks git; scan cannot afford a git process per repository). Basic values
 * are decoded to username and secret; the findings are doctor's: authorization-extraheader (error for an API
 * token), bearer-with-api-token, and what the secret is.
 */
import { classifySecret } from '../classify/secret.js';
import { classFindings, finding } from '../findings.js';
import * as fixes from '../fixes.js';
import type { Finding, Location } from '../model.js';
import { urlScopedEntries } from '../parse/url-match.js';
import type { SecretUse } from '../secret-use.js';
import type { FileConfigEntry } from './git-config-file.js';
import type { ScanItem } from './types.js';

/** Authorization extra headers in `entries` that apply to `origin`, as scan items with their file and line. */
export function extraHeaderItems(
  entries: readonly FileConfigEntry[],
  origin: string,
  repository?: string,
): ScanItem[] {
  const items: ScanItem[] = [];
  for (const e of urlScopedEntries(entries, 'http', 'extraheader', `${origin}/`)) {
    const h = /^\s*authorization\s*:\s*(basic|bearer)\s+(\S+)\s*$/i.exec(e.value ?? '');
    if (!h) continue;
    const scheme = h[1]!.toLowerCase() as 'basic' | 'bearer';
    let secret = h[2]!;
    let username: string | undefined;
    if (scheme === 'basic') {
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i >= 0) [username, secret] = [decoded.slice(0, i), decoded.slice(i + 1)];
    }
    const file = e.origin.replace(/^file:/, '');
    const at: Location = { file, line: e.line, configKey: e.key, configOrigin: e.origin };
    if (repository) at.repository = repository;
    const use: SecretUse = {
      secret,
      username,
      source: 'extraheader',
      scheme,
      location: at,
      class: classifySecret(secret),
    };
    const api = use.class.kind === 'api-token';
    const ctx: fixes.FixContext = { origin, configKey: e.key, kind: use.class.kind, username };
    const out: Finding[] = [
      finding(
        'authorization-extraheader',
        `${e.key} sends a fixed Authorization header to Bitbucket; it overrides the credential helper${api ? ', and Bitbucket refuses API tokens sent this way' : ''}.`,
        at,
        fixes.extraHeaderFix({ ...ctx, configScopeFlag: `--file ${file}` }),
        { use, severity: api ? 'error' : 'warning' },
      ),
    ];
    if (scheme === 'bearer' && api) {
      out.push(
        finding(
          'bearer-with-api-token',
          'An API token is sent as "Authorization: Bearer"; Bitbucket accepts API tokens only with Basic authentication.',
          at,
          fixes.extraHeaderFix({ ...ctx, configScopeFlag: `--file ${file}` }),
          { use },
        ),
      );
    }
    out.push(...classFindings(use, ctx));
    items.push({ secret, kind: use.class.kind, username, location: at, findings: out });
  }
  return items;
}
