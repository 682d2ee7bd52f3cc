/**
 * git's credential_from_url(): how a URL becomes the protocol/host/path/username/password fields of the
 * credential protocol. Used for ~/.git-credentials lines, `url=` in the protocol, and helper matching.
 */
import { percentDecode } from './percent.js';

export interface CredentialUrl {
  protocol?: string;
  /** Percent-decoded, port included (`bitbucket.org:8443`), case as written. */
  host?: string;
  /** Percent-decoded, leading and trailing slashes trimmed; absent when empty. */
  path?: string;
  username?: string;
  password?: string;
}

/**
 * Parses a URL into credential fields; undefined when it has no `scheme://` (unless `allowPartial`, which
 * accepts `host[/path]` as config keys like `credential.bitbucket.org.helper` do). Unlike git, which splits at
 * the first '@', the userinfo ends at the last '@' of the authority, so a raw '@' in a password stays inside it.
 */
export function credentialFromUrl(url: string, allowPartial = false): CredentialUrl | undefined {
  const protoEnd = url.indexOf('://');
  if (protoEnd <= 0 && !allowPartial) return undefined;
  const c: CredentialUrl = {};
  const start = protoEnd >= 0 ? protoEnd + 3 : 0;
  if (protoEnd > 0) c.protocol = url.slice(0, protoEnd);
  const rest = url.slice(start);
  const slashAt = rest.search(/[/?#]/);
  const authority = slashAt < 0 ? rest : rest.slice(0, slashAt);
  const at = authority.lastIndexOf('@');
  const hostText = at < 0 ? authority : authority.slice(at + 1);
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    c.username = percentDecode(colon < 0 ? userinfo : userinfo.slice(0, colon));
    if (colon >= 0) c.password = percentDecode(userinfo.slice(colon + 1));
  }
  if (!allowPartial || hostText !== '') c.host = percentDecode(hostText);
  const path = (slashAt < 0 ? '' : rest.slice(slashAt)).replace(/^\/+/, '').replace(/\/+$/, '');
  if (path !== '') c.path = percentDecode(path);
  return c;
}
