/**
 * `http.extraHeader` Authorization headers: which ones git sends to a URL, and what is wrong with them. Shared by
 * doctor (entries from `git config --list`) and scan (entries parsed from config files on disk).
 */
import { finding } from '../findings/build.js';
import * as fixes from '../findings/advice.js';
import type { Finding, Location } from '../model.js';
import type { ConfigEntry } from '../parse/git-config.js';
import { urlScopedEntries } from '../parse/url-match.js';
import type { SecretUse } from '../credential/use.js';

export interface AuthorizationHeader<E extends ConfigEntry> {
  entry: E;
  scheme: 'basic' | 'bearer';
  /** The token, or for Basic the decoded password. */
  secret: string;
  /** For Basic: the decoded username. */
  username?: string;
}

/**
 * The Authorization headers git sends to `url`, by git's own rules: the applicable `http[.<url>].extraHeader`
 * entries in order, an empty value clearing the list so far. Basic values are decoded.
 */
export function authorizationHeaders<E extends ConfigEntry>(
  entries: readonly E[],
  url: string,
): AuthorizationHeader<E>[] {
  let out: AuthorizationHeader<E>[] = [];
  for (const entry of urlScopedEntries(entries, 'http', 'extraheader', url)) {
    if (!entry.value) {
      out = [];
      continue;
    }
    const h = /^\s*authorization\s*:\s*(basic|bearer)\s+(\S+)\s*$/i.exec(entry.value);
    if (!h) continue;
    const scheme = h[1]!.toLowerCase() as 'basic' | 'bearer';
    const header: AuthorizationHeader<E> = { entry, scheme, secret: h[2]! };
    if (scheme === 'basic') {
      const decoded = Buffer.from(header.secret, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i >= 0) Object.assign(header, { username: decoded.slice(0, i), secret: decoded.slice(i + 1) });
    }
    out.push(header);
  }
  return out;
}

/**
 * authorization-extraheader (an error for an API token) and bearer-with-api-token for a header secret. The fix
 * unsets the key in the file it lives in (`git config --file …`), wherever that is.
 */
export function extraHeaderFindings(use: SecretUse, at: Location, ctx: fixes.FixContext): Finding[] {
  const api = use.class.kind === 'api-token';
  const file = at.configOrigin?.startsWith('file:') ? at.configOrigin.slice('file:'.length) : at.file;
  const fix = fixes.extraHeaderFix({
    ...ctx,
    configKey: at.configKey,
    ...(file ? { configFile: file } : {}),
  });
  const out = [
    finding(
      'authorization-extraheader',
      `${at.configKey ?? 'http.extraHeader'} sends a fixed Authorization header to Bitbucket; it overrides the credential helper${api ? ', and Bitbucket refuses API tokens sent this way' : ''}.`,
      at,
      fix,
      { use, severity: api ? 'error' : 'warning' },
    ),
  ];
  if (use.scheme === 'bearer' && api) {
    out.push(
      finding(
        'bearer-with-api-token',
        'An API token is sent as "Authorization: Bearer"; Bitbucket accepts API tokens only with Basic authentication.',
        at,
        fix,
        { use },
      ),
    );
  }
  return out;
}
