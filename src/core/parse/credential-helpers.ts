/**
 * Which credential helpers git runs for a URL, in order (gitcredentials(7), credential.c): every
 * `credential.helper` and `credential.<url>.helper` whose URL matches applies, in config order (not "best
 * match"); an empty `helper =` empties the list so far. `username` and `useHttpPath` follow the same matching,
 * last one wins. Matching sees the URL's path even without useHttpPath, so a config URL with a path only
 * applies below that path.
 */
import { credentialFromUrl, type CredentialUrl } from './credential-url.js';
import { parseGitBool, splitKey, type ConfigEntry } from './git-config.js';
import { matchUrl, normalizeMatchUrl, type MatchUrl } from './url-match.js';

export interface HelperChain {
  helpers: { name: string; origin: string; scope?: string }[];
  /** Where the last empty `helper =` emptied the list (helpers configured before it are ignored). */
  resetAt?: { origin: string; scope?: string };
  /** The username git will use: from the URL if it has one, else the last matching `credential.*.username`. */
  username?: string;
  /** `url` when the username came from the URL, else the config origin it came from. */
  usernameOrigin?: string;
  useHttpPath: boolean;
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/** The URL git formats from the credential fields (credential_format) and then normalises for matching. */
function requestUrl(c: CredentialUrl): MatchUrl | undefined {
  if (c.protocol === undefined || c.host === undefined) return undefined;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(c.host);
  const scheme = c.protocol.toLowerCase();
  let port = hp?.[2] ?? '';
  if (port === DEFAULT_PORT[scheme]) port = '';
  const url: MatchUrl = {
    scheme,
    host: (hp?.[1] ?? c.host).toLowerCase(),
    port,
    path: normalizeMatchUrl(`x://h/${encodeURI(c.path ?? '')}`)?.path ?? '/',
  };
  if (c.username !== undefined && c.username !== '') url.user = c.username;
  return url;
}

/** git's match_partial_url(): for config keys that are not full URLs (`credential.bitbucket.org.helper`). */
function partialMatches(pattern: string, have: CredentialUrl): boolean {
  const want = credentialFromUrl(pattern, true);
  if (!want) return false;
  const check = (k: keyof CredentialUrl) => want[k] === undefined || want[k] === have[k];
  return check('protocol') && check('host') && check('path') && check('username');
}

function applies(subsection: string | undefined, have: CredentialUrl, url: MatchUrl | undefined): boolean {
  if (subsection === undefined) return true;
  const pattern = normalizeMatchUrl(subsection);
  if (pattern) return url !== undefined && matchUrl(pattern, url) !== undefined;
  return partialMatches(subsection, have);
}

/** The helper chain, username and useHttpPath git would use for `url` given the config entries. */
export function helpersFor(url: string, entries: readonly ConfigEntry[]): HelperChain {
  const have = credentialFromUrl(url) ?? {};
  const matchable = requestUrl(have);
  const chain: HelperChain = { helpers: [], useHttpPath: false };
  if (have.username !== undefined && have.username !== '') {
    chain.username = have.username;
    chain.usernameOrigin = 'url';
  }
  for (const e of entries) {
    const k = splitKey(e.key);
    if (k.section !== 'credential' || !applies(k.subsection, have, matchable)) continue;
    const where = e.scope === undefined ? { origin: e.origin } : { origin: e.origin, scope: e.scope };
    if (k.variable === 'helper') {
      if (e.value === undefined) continue; // git errors on a bare `helper` and ignores it
      if (e.value === '') {
        chain.helpers = [];
        chain.resetAt = where;
      } else chain.helpers.push({ name: e.value, ...where });
    } else if (k.variable === 'username' && e.value !== undefined && chain.usernameOrigin !== 'url') {
      chain.username = e.value;
      chain.usernameOrigin = e.origin;
    } else if (k.variable === 'usehttppath') {
      chain.useHttpPath = parseGitBool(e.value) ?? chain.useHttpPath;
    }
  }
  return chain;
}

type HelperKind =
  | 'store'
  | 'cache'
  | 'gcm'
  | 'osxkeychain'
  | 'libsecret'
  | 'wincred'
  | 'bbauth'
  | 'oauth' // git-credential-oauth: keeps nothing, signs in through a browser (Bitbucket OAuth) when asked
  | 'other';

const KINDS: Record<string, HelperKind> = {
  store: 'store',
  cache: 'cache',
  manager: 'gcm',
  'manager-core': 'gcm',
  osxkeychain: 'osxkeychain',
  libsecret: 'libsecret',
  wincred: 'wincred',
  bbauth: 'bbauth',
  oauth: 'oauth',
};

/** What kind of helper a `credential.helper` value names ('manager', 'store --file x', '/path/git-credential-manager.exe', …). */
export function helperKind(name: string): HelperKind {
  const words = helperWords(name);
  let first = basename(words[0] ?? '');
  // `!git credential-foo` and `git-credential-foo` both name helper `foo`.
  if (first === 'git' && words[1]?.startsWith('credential-')) first = words[1];
  const bare = first
    .replace(/\.exe$/i, '')
    .replace(/^git-credential-/, '')
    .replace(/^credential-/, '')
    .toLowerCase();
  if (Object.hasOwn(KINDS, bare)) return KINDS[bare]!;
  // Unquoted Windows paths and shell snippets: fall back to the program name anywhere in the value.
  const m =
    /git-credential-(manager-core|manager|osxkeychain|libsecret|wincred|store|cache|bbauth|oauth)\b/i.exec(
      name,
    );
  if (m) return KINDS[m[1]!.toLowerCase()]!;
  return /(^|[\s/\\])bbauth(\.c?js)?(\s|$)/.test(name) ? 'bbauth' : 'other';
}

/**
 * How git runs a `credential.helper` value (credential.c): `!…` through the shell; an absolute path as that
 * program; anything else as `git credential-<first word>`, i.e. the program `git-credential-<first word>` found on
 * git's exec-path or PATH.
 */
export function helperProgram(
  name: string,
): { via: 'shell' } | { via: 'path'; path: string } | { via: 'git'; program: string } {
  const value = name.trim();
  if (value.startsWith('!')) return { via: 'shell' };
  const first = helperWords(value)[0] ?? '';
  if (first.startsWith('/') || /^[A-Za-z]:[\\/]/.test(first)) return { via: 'path', path: first };
  return { via: 'git', program: `git-credential-${first}` };
}

/** Splits a helper value into shell-ish words (quotes and backslash-escaped spaces), dropping a leading '!'. */
export function helperWords(name: string): string[] {
  const text = name.trim().replace(/^!\s*/, '');
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|((?:\\.|[^\s"'])+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1] ?? m[2] ?? m[3]!.replace(/\\(.)/g, '$1'));
  return words;
}

function basename(path: string): string {
  return path.split(/[/\\]/).pop() ?? path;
}

/**
 * Helpers that, asked for a credential they do not have, start an interactive sign-in (a browser) and wait for it,
 * whatever GIT_TERMINAL_PROMPT says: a read-only question (doctor's `git credential fill`) must leave them out.
 * (Git Credential Manager is kept quiet by GCM_INTERACTIVE=never instead.)
 */
export function signsInInteractively(name: string): boolean {
  return helperKind(name) === 'oauth';
}
