/** The Authorization extra headers git would send to a remote, as secret uses for doctor. */
import { classifySecret } from '../core/credential/secret-class.js';
import { authorizationHeaders } from '../core/places/extra-header.js';
import type { Location } from '../core/model.js';
import type { ConfigEntry } from '../core/parse/git-config.js';
import { registerSecret } from '../core/secret-registry.js';
import type { SecretUse } from '../core/credential/use.js';

/** Secret uses for the headers that apply to `url`; every secret is registered for masking. */
export function readExtraHeaders(config: ConfigEntry[], url: string, location: Location): SecretUse[] {
  return authorizationHeaders(config, url).map(({ entry, scheme, secret, username }) => {
    registerSecret(entry.value?.replace(/^\s*authorization\s*:\s*\S+\s+/i, ''));
    registerSecret(secret);
    const at: Location = {
      ...location,
      configKey: entry.key,
      configOrigin: entry.origin,
      ...(entry.scope ? { configScope: entry.scope } : {}),
    };
    return { secret, username, source: 'extraheader', scheme, location: at, class: classifySecret(secret) };
  });
}
