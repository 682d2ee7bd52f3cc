/** Authorization headers configured with http.extraHeader / http.<url>.extraHeader that git would send. */
import { classifySecret } from '../core/classify/secret.js';
import type { SecretUse } from '../core/doctor/facts.js';
import type { Location } from '../core/model.js';
import type { ConfigEntry } from '../core/parse/git-config.js';
import { registerSecret } from '../core/secret-registry.js';
import { urlScopedEntries } from '../core/parse/url-match.js';

/** Parses the Authorization extra headers that apply to `url` into secret uses (decoding Basic). */
export function readExtraHeaders(config: ConfigEntry[], url: string, location: Location): SecretUse[] {
  let out: SecretUse[] = [];
  // git's own rules: the applicable http.<url>.extraHeader entries in order, an empty value clearing the list.
  for (const e of urlScopedEntries(config, 'http', 'extraheader', url)) {
    if (!e.value) {
      out = [];
      continue;
    }
    const h = /^\s*authorization\s*:\s*(basic|bearer)\s+(\S+)\s*$/i.exec(e.value);
    if (!h) continue;
    const scheme = h[1]!.toLowerCase() as 'basic' | 'bearer';
    let secret = h[2]!;
    let username: string | undefined;
    registerSecret(secret);
    if (scheme === 'basic') {
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i >= 0) {
        username = decoded.slice(0, i);
        secret = decoded.slice(i + 1);
        registerSecret(secret);
      }
    }
    out.push({
      secret,
      username,
      source: 'extraheader',
      scheme,
      location: {
        ...location,
        configKey: e.key,
        configOrigin: e.origin,
        ...(e.scope ? { configScope: e.scope } : {}),
      },
      class: classifySecret(secret),
    });
  }
  return out;
}
