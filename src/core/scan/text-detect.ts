/**
 * Content detectors for any text file: credentialed Bitbucket URLs (`https://user:SECRET@bitbucket.org/…`,
 * a token in the username), Atlassian-shaped tokens anywhere, and `BITBUCKET_…TOKEN=value` assignments. Every
 * hit carries its line; what a secret *is* is left to classifySecret(), the classifier doctor uses.
 */
import { isTokenLike } from '../credential/secret-class.js';
import { maskUrl } from '../redact.js';
import { parseRemoteUrl } from '../parse/remote-url.js';

export interface TextHit {
  /** The secret as git or the tool would send it (URL parts percent-decoded). In memory only. */
  secret: string;
  username?: string;
  line: number;
  via: 'url' | 'username-token' | 'token' | 'assignment';
  /** Which Bitbucket surface the URL talks to (`api.` host = REST); undefined when unknown. */
  surface?: 'git' | 'rest';
  /** Masked URL, for URL hits. */
  url?: string;
  host?: string;
}

export const DEFAULT_SCAN_HOSTS = ['bitbucket.org', 'api.bitbucket.org'];

const TOKEN_RE =
  /(?<![A-Za-z0-9+/])(?:AT(?:ATT|CTT)[A-Za-z0-9_=-]{20,}|ATBB[A-Za-z0-9]{20,}|BBDC-[A-Za-z0-9+/@_-]{40,50}(?![A-Za-z0-9+/@_-]))/g;
// Every quantifier between the anchor and the value is bounded, so each `bitbucket` costs a bounded amount of
// work however long the run of word characters around it (an unbounded lazy `[\w.-]*?` is quadratic).
const ASSIGN_RE =
  /bitbucket[\w.-]{0,64}?(?:password|passwd|pwd|token|secret)\w{0,64}["']?\s{0,16}(?:=|:|=>)\s{0,16}["']?([^\s"'`,;]{1,4096})/gi;

const SCHEME_CHAR = /[a-z0-9+.-]/i;
const WORD_CHAR = /\w/;
const AUTHORITY_END = /[\s/?#'"<>`()]/;
/** Longest scheme looked at, and longest authority: real ones are far shorter. */
const MAX_SCHEME = 32;
const MAX_AUTHORITY = 2048;

/**
 * Every `scheme://authority` in the text, as a left-to-right regex would find them (a scheme starts with a letter
 * at a word boundary), in linear time: anchored on each `://` and walking a bounded window either side, where a
 * regex over untrusted text retries from every letter of a long run.
 */
function* urlsIn(text: string): Generator<{ index: number; match: string }> {
  let from = 0;
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', Math.max(i + 3, from))) {
    let start = i;
    while (start > 0 && i - start < MAX_SCHEME && SCHEME_CHAR.test(text[start - 1]!)) start--;
    let p = start;
    while (p < i && !(/[a-z]/i.test(text[p]!) && (p === 0 || !WORD_CHAR.test(text[p - 1]!)))) p++;
    if (p === i) continue;
    let end = i + 3;
    while (end < text.length && end - i < MAX_AUTHORITY && !AUTHORITY_END.test(text[end]!)) end++;
    if (end === i + 3) continue;
    from = end;
    yield { index: p, match: text.slice(p, end) };
  }
}

/** `${VAR}`, `$VAR`, `{{ x }}`, `<token>`, `***`, `%s`, `$(cmd)`: references to a secret, not a secret. */
export function isPlaceholder(value: string): boolean {
  return /^(?:\$|\{\{|<|%[a-z0-9({]|\*{3}|x{3,}$|\.\.\.|changeme$|your[-_])/i.test(value) || value === '';
}

/** 1-based line numbers for string offsets, built only for files that matched. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** `host` from `host:port`, `[v6]:port` or `[v6]`, lower case: hosts are compared without ports. */
export function bareHost(hostport: string): string {
  const h = hostport.toLowerCase();
  const v6 = /^\[([^\]]*)\]/.exec(h);
  return v6 ? v6[1]! : h.replace(/:\d*$/, '');
}

/** Whether a host (any port) is one of the Bitbucket hosts. */
export function isBitbucketHost(host: string | undefined, hosts: readonly string[]): boolean {
  return host !== undefined && hosts.includes(bareHost(host));
}

function hostOfAuthority(authority: string): string {
  return bareHost(authority.slice(authority.lastIndexOf('@') + 1));
}

/** Finds every Bitbucket secret in a text. `hosts` are the Bitbucket hosts (lower case). Never throws. */
export function detectInText(text: string, hosts: readonly string[] = DEFAULT_SCAN_HOSTS): TextHit[] {
  const lineOf = lineIndex(text);
  const hits: TextHit[] = [];
  const taken: [number, number][] = [];
  for (const m of urlsIn(text)) {
    const authority = m.match.slice(m.match.indexOf('://') + 3);
    if (!authority.includes('@')) continue;
    const host = hostOfAuthority(authority);
    if (!hosts.includes(host)) continue;
    const end = m.index + m.match.length;
    const rest = /^[^\s'"<>`]*/.exec(text.slice(end, end + 2048))![0];
    const url = parseRemoteUrl(m.match + rest);
    taken.push([m.index, end]);
    const base = { line: lineOf(m.index), url: maskUrl(url.raw), host, surface: surfaceOf(host) };
    if (url.password !== undefined && url.password !== '') {
      if (isPlaceholder(url.password)) continue;
      hits.push({ ...base, secret: url.password, username: url.username, via: 'url' });
    } else if (url.username && isTokenLike(url.username)) {
      hits.push({ ...base, secret: url.username, via: 'username-token' });
    }
  }
  const inUrl = (i: number): boolean => taken.some(([a, b]) => i >= a && i < b);
  for (const m of text.matchAll(TOKEN_RE)) {
    if (inUrl(m.index)) continue;
    taken.push([m.index, m.index + m[0].length]);
    hits.push({ secret: m[0], line: lineOf(m.index), via: 'token' });
  }
  for (const m of text.matchAll(ASSIGN_RE)) {
    const value = m[1]!;
    const at = m.index + m[0].length - value.length;
    if (inUrl(at) || isPlaceholder(value) || !looksLikeSecretValue(value)) continue;
    hits.push({ secret: value, line: lineOf(at), via: 'assignment' });
  }
  return hits;
}

function surfaceOf(host: string): 'git' | 'rest' {
  return host.startsWith('api.') ? 'rest' : 'git';
}

/** Rules out paths, URLs, booleans and plain words after `BITBUCKET_TOKEN:` (a secret has some entropy). */
function looksLikeSecretValue(v: string): boolean {
  if (v.length < 8 || /[/\\]/.test(v) || /^(?:true|false|null|none|required|optional)$/i.test(v))
    return false;
  if (/^[a-z_-]+$/.test(v) || /^[A-Z_]+$/.test(v)) return false; // variable names, words
  return /[0-9]/.test(v) || /[A-Z]/.test(v);
}
