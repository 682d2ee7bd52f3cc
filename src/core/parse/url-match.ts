/**
 * git's urlmatch.c: whether a config URL like `credential.https://*.example.com/ws.helper` or
 * `http.https://bitbucket.org.extraHeader` applies to a URL. Scheme, host and port must match (hosts compare
 * case-insensitively, `*` matches exactly one DNS label, default ports are dropped); the config path must be a
 * prefix of the URL path at a '/' boundary; a user name in the config URL must match exactly.
 */
import { splitKey } from './git-config.js';
import { percentDecode } from './percent.js';

export interface MatchUrl {
  scheme: string;
  user?: string;
  host: string;
  /** `''` when absent or the scheme's default. */
  port: string;
  /** Normalised, always starting with '/'. */
  path: string;
}

export interface UrlMatchResult {
  /** Length of the matched config path; longer = more specific (git's tie-breaker for `http.<url>.*`). */
  pathLength: number;
  userMatched: boolean;
  hostLength: number;
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-escapes normalised as git does: unreserved characters decoded, other escapes upper-cased. */
function normalizePathText(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '.') {
      if (i === parts.length - 1) out.push('');
    } else if (p === '..') {
      if (out.length > 1) out.pop();
      if (i === parts.length - 1) out.push('');
    } else out.push(p);
  }
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/** git's url_normalize() for matching; undefined when the text is not a `scheme://host` URL. */
export function normalizeMatchUrl(url: string): MatchUrl | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(url);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  const hostport = at < 0 ? authority : authority.slice(at + 1);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  if (!hp || hp[1] === '') return undefined; // git refuses a URL without a host (file:// aside)
  let port = hp[2] ?? '';
  if (port === DEFAULT_PORT[scheme]) port = '';
  const result: MatchUrl = {
    scheme,
    host: hp[1]!.toLowerCase(),
    port,
    path: removeDotSegments(normalizePathText(m[3] === '' ? '/' : m[3]!)),
  };
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    result.user = percentDecode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  }
  return result;
}

/** One DNS label of `*` in the pattern matches any one label of the host; otherwise labels compare exactly. */
function hostMatches(host: string, pattern: string): boolean {
  const h = host.split('.');
  const p = pattern.split('.');
  if (h.length !== p.length) return false;
  return p.every((label, i) => label === '*' || label === h[i]);
}

/** git's url_match_prefix(): both paths get an implicit trailing '/'; match only at a segment boundary. */
function pathMatchLength(path: string, prefix: string): number {
  if (prefix === '' || prefix === '/') return path === '' || path.startsWith('/') ? 1 : 0;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (!path.startsWith(p)) return 0;
  return path.length === p.length || path[p.length] === '/' ? p.length + 1 : 0;
}

/** Whether the normalised config URL `pattern` applies to the normalised `url`, and how specifically. */
export function matchUrl(pattern: MatchUrl, url: MatchUrl): UrlMatchResult | undefined {
  if (pattern.scheme !== url.scheme) return undefined;
  if (pattern.user !== undefined && pattern.user !== url.user) return undefined;
  if (!hostMatches(url.host, pattern.host)) return undefined;
  if (pattern.port !== url.port) return undefined;
  const pathLength = pathMatchLength(url.path, pattern.path);
  if (pathLength === 0) return undefined;
  return { pathLength, userMatched: pattern.user !== undefined, hostLength: pattern.host.length };
}

const NO_URL: UrlMatchResult = { pathLength: 0, userMatched: false, hostLength: 0 };

/** git's cmp_matches(): longer host, then longer path, then a matched user is more specific. */
function compareMatches(a: UrlMatchResult, b: UrlMatchResult): number {
  if (a.hostLength !== b.hostLength) return a.hostLength - b.hostLength;
  if (a.pathLength !== b.pathLength) return a.pathLength - b.pathLength;
  return Number(a.userMatched) - Number(b.userMatched);
}

/**
 * The `<section>.<variable>` and `<section>.<url>.<variable>` entries git hands its config callback for
 * `url`, in order (urlmatch_config_entry with the default selector, as http.c uses for `http.*`): an entry
 * less specific than one already taken is skipped. For a single-valued key the last entry returned wins; for
 * `http.extraHeader` every value counts, and an empty value clears the ones before it.
 */
export function urlScopedEntries<E extends { key: string }>(
  entries: readonly E[],
  section: string,
  variable: string,
  url: string,
): E[] {
  const target = normalizeMatchUrl(url);
  const out: E[] = [];
  let best: UrlMatchResult | undefined;
  for (const e of entries) {
    const k = splitKey(e.key);
    if (k.section !== section.toLowerCase() || k.variable !== variable.toLowerCase()) continue;
    let m: UrlMatchResult | undefined = NO_URL; // `section.variable` itself applies to every URL
    if (k.subsection !== undefined) {
      const pattern = normalizeMatchUrl(k.subsection);
      m = pattern && target ? matchUrl(pattern, target) : undefined;
    }
    if (!m || (best && compareMatches(m, best) < 0)) continue;
    best = m;
    out.push(e);
  }
  return out;
}
