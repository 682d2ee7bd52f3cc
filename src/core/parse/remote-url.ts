/**
 * Remote URLs as git understands them (urls(7)): `scheme://[user[:password]@]host[:port]/path`, scp-like
 * `[user@]host:path`, local paths, and `transport::address`. Pure string work: no DNS, no fs.
 */
import { percentDecode } from './percent.js';

export interface RemoteUrl {
  raw: string;
  scheme: 'https' | 'http' | 'ssh' | 'git' | 'file' | 'other';
  /** Lower-cased; IPv6 literals without their brackets (`::1`). */
  host?: string;
  port?: number;
  /** Percent-decoded. */
  username?: string;
  /** Percent-decoded. `''` for `user:@host`. */
  password?: string;
  /** As written (not decoded), without query or fragment: `/ws/repo.git` for URLs, `ws/repo.git` for scp-like. */
  path?: string;
  /** First path segment, percent-decoded, when the path has exactly two segments (Bitbucket Cloud layout). */
  workspace?: string;
  /** Second path segment without `.git`, percent-decoded. */
  repo?: string;
  isScpLike?: boolean;
  /**
   * The userinfo held more than one raw `@`. We split at the last one so the whole secret is found and masked,
   * but git itself does not: curl rejects such a URL and `git credential` splits at the first `@`.
   */
  rawAtInUserinfo?: boolean;
}

const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const TRANSPORT = /^[A-Za-z][A-Za-z0-9+.-]*::/;
const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ssh: 22, git: 9418 };

function schemeKind(s: string): RemoteUrl['scheme'] {
  const lower = s.toLowerCase();
  if (lower === 'https' || lower === 'http' || lower === 'git' || lower === 'file') return lower;
  if (lower === 'ssh' || lower === 'git+ssh' || lower === 'ssh+git') return 'ssh';
  return 'other';
}

/** Splits `host[:port]` (IPv6 in brackets); a non-numeric port leaves the whole text as the host. */
function splitHostPort(hostport: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(hostport);
  if (v6) return v6[2] ? { host: v6[1]!.toLowerCase(), port: Number(v6[2]) } : { host: v6[1]!.toLowerCase() };
  const m = /^([^:]*):(\d*)$/.exec(hostport);
  if (m) return m[2] ? { host: m[1]!.toLowerCase(), port: Number(m[2]) } : { host: m[1]!.toLowerCase() };
  return { host: hostport.toLowerCase() };
}

/** Splits `user[:password]` at the first ':' (a ':' inside the username must be percent-encoded). */
function splitUserinfo(userinfo: string): { username?: string; password?: string } {
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { username: percentDecode(userinfo) };
  return {
    username: percentDecode(userinfo.slice(0, colon)),
    password: percentDecode(userinfo.slice(colon + 1)),
  };
}

function addWorkspaceRepo(url: RemoteUrl): RemoteUrl {
  const segments = (url.path ?? '').split('/').filter((s) => s !== '');
  if (segments.length === 2) {
    url.workspace = percentDecode(segments[0]!);
    url.repo = percentDecode(segments[1]!).replace(/\.git$/, '');
  }
  return url;
}

interface Authority {
  scheme: string;
  userinfo?: string;
  hostport: string;
  rest: string;
  rawAt: boolean;
}

/** The pieces of a `scheme://` URL, undecoded. The authority ends at the first '/', '?' or '#'. */
function splitAuthority(raw: string): Authority | undefined {
  const m = SCHEME_URL.exec(raw);
  if (!m) return undefined;
  const afterScheme = raw.slice(m[0].length);
  const end = afterScheme.search(/[/?#]/);
  const authority = end < 0 ? afterScheme : afterScheme.slice(0, end);
  const rest = end < 0 ? '' : afterScheme.slice(end);
  const at = authority.lastIndexOf('@');
  if (at < 0) return { scheme: m[1]!, hostport: authority, rest, rawAt: false };
  return {
    scheme: m[1]!,
    userinfo: authority.slice(0, at),
    hostport: authority.slice(at + 1),
    rest,
    rawAt: authority.indexOf('@') !== at,
  };
}

/** Parses a remote URL the way git would read it; never throws. */
export function parseRemoteUrl(raw: string): RemoteUrl {
  const a = splitAuthority(raw);
  if (a) {
    const url: RemoteUrl = { raw, scheme: schemeKind(a.scheme) };
    const { host, port } = splitHostPort(a.hostport);
    if (host !== '') url.host = host;
    if (port !== undefined) url.port = port;
    if (a.userinfo !== undefined) Object.assign(url, splitUserinfo(a.userinfo));
    if (a.rawAt) url.rawAtInUserinfo = true;
    const path = a.rest.replace(/[?#].*$/s, '');
    if (path !== '') url.path = path;
    return addWorkspaceRepo(url);
  }
  if (TRANSPORT.test(raw)) return { raw, scheme: 'other' };
  const scp = parseScpLike(raw);
  if (scp) return addWorkspaceRepo(scp);
  return { raw, scheme: 'file', path: raw };
}

interface ScpParts {
  userinfo?: string;
  /** As written, brackets included. */
  hostText: string;
  path: string;
}

/**
 * git's rule (connect.c): with no "://", a ':' before the first '/' makes it scp-like ssh, unless it is a
 * Windows drive letter (`C:\\repo`). The host part ends at that first ':' (so `a:b@h:p` is host `a`), except that
 * `[::1]:path` and `user@[host]:path` bracket the host. ssh then splits `user@host` at the last '@', so
 * `git@x@h:p` is user `git@x` on host `h`.
 */
function splitScpLike(raw: string): ScpParts | undefined {
  const colon = raw.indexOf(':');
  const slash = raw.indexOf('/');
  if (colon <= 0 || (slash >= 0 && slash < colon)) return undefined;
  const bracketed = /^(?:([^/]*?)@)?(\[[^\]/]*\]):(.*)$/s.exec(raw);
  if (bracketed && (bracketed[1] !== undefined || raw.startsWith('['))) {
    const [, userinfo, hostText, path] = bracketed;
    return userinfo === undefined
      ? { hostText: hostText!, path: path! }
      : { userinfo, hostText: hostText!, path: path! };
  }
  const hostPart = raw.slice(0, colon);
  const path = raw.slice(colon + 1);
  const at = hostPart.lastIndexOf('@');
  if (at < 0) return /^[A-Za-z]$/.test(hostPart) ? undefined : { hostText: hostPart, path };
  return { userinfo: hostPart.slice(0, at), hostText: hostPart.slice(at + 1), path };
}

function parseScpLike(raw: string): RemoteUrl | undefined {
  const p = splitScpLike(raw);
  if (!p) return undefined;
  const url: RemoteUrl = { raw, scheme: 'ssh', isScpLike: true };
  url.host = p.hostText.replace(/^\[|\]$/g, '').toLowerCase();
  if (p.userinfo !== undefined) Object.assign(url, splitUserinfo(p.userinfo));
  url.path = p.path;
  return url;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The URL with no password and no username, or with `username` in place of whatever was there. Keeps the
 * scheme, host, port and path exactly as written; `transport::address` and local paths come back unchanged.
 */
export function withoutCredentials(url: RemoteUrl, username?: string): string {
  const user = username === undefined ? '' : `${encodeURIComponent(username)}@`;
  const a = splitAuthority(url.raw);
  if (a) return `${a.scheme}://${user}${a.hostport}${a.rest}`;
  const scp = url.isScpLike ? splitScpLike(url.raw) : undefined;
  if (scp) return `${user}${scp.hostText}:${scp.path}`;
  return url.raw;
}

/** `scheme://host[:port]` for http(s) URLs (host lower-cased, default port dropped); undefined otherwise. */
export function originOf(url: RemoteUrl): string | undefined {
  if ((url.scheme !== 'https' && url.scheme !== 'http') || url.host === undefined) return undefined;
  const port = url.port !== undefined && url.port !== DEFAULT_PORTS[url.scheme] ? `:${url.port}` : '';
  return `${url.scheme}://${hostForUrl(url.host)}${port}`;
}
