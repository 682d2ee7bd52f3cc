import { describe, expect, it } from 'vitest';
import { parseConfigList, type ConfigEntry } from '../../src/core/parse/git-config.js';
import {
  matchUrl,
  normalizeMatchUrl,
  urlScopedEntries,
  type MatchUrl,
} from '../../src/core/parse/url-match.js';

function cfg(pairs: [string, string][]): ConfigEntry[] {
  return parseConfigList(pairs.map(([k, v]) => `${k}\n${v}\0`).join(''));
}

describe('normalizeMatchUrl', () => {
  it.each<[string, MatchUrl | undefined]>([
    ['https://bitbucket.org', { scheme: 'https', host: 'bitbucket.org', port: '', path: '/' }],
    ['HTTPS://BitBucket.ORG:443/', { scheme: 'https', host: 'bitbucket.org', port: '', path: '/' }],
    ['http://h:80/x', { scheme: 'http', host: 'h', port: '', path: '/x' }],
    ['https://h:80/x', { scheme: 'https', host: 'h', port: '80', path: '/x' }],
    ['https://h:/x', { scheme: 'https', host: 'h', port: '', path: '/x' }],
    ['https://u:p@h/x', { scheme: 'https', user: 'u', host: 'h', port: '', path: '/x' }],
    ['https://me%40x.com@h', { scheme: 'https', user: 'me@x.com', host: 'h', port: '', path: '/' }],
    ['https://[::1]:8443/a', { scheme: 'https', host: '[::1]', port: '8443', path: '/a' }],
    ['https://h/a/./b/../c', { scheme: 'https', host: 'h', port: '', path: '/a/c' }],
    ['https://h/a/..', { scheme: 'https', host: 'h', port: '', path: '/' }],
    ['https://h/%7euser/%2f%41', { scheme: 'https', host: 'h', port: '', path: '/~user/%2FA' }],
    ['https://h/x?q=1#f', { scheme: 'https', host: 'h', port: '', path: '/x' }],
    ['https://*.example.com', { scheme: 'https', host: '*.example.com', port: '', path: '/' }],
    ['bitbucket.org', undefined],
    ['https://', undefined],
    ['https://:443/', undefined],
    ['https://h:x/', undefined],
  ])('%s', (url, out) => {
    expect(normalizeMatchUrl(url)).toEqual(out);
  });
});

describe('matchUrl', () => {
  const m = (p: string, u: string) => matchUrl(normalizeMatchUrl(p)!, normalizeMatchUrl(u)!);
  it.each<[string, string, boolean]>([
    ['https://h', 'https://h/ws/r', true],
    ['https://h/ws', 'https://h/ws/r', true],
    ['https://h/ws/', 'https://h/ws', true],
    ['https://h/ws', 'https://h/wsx', false],
    ['https://h/ws/r', 'https://h/ws', false],
    ['http://h', 'https://h', false],
    ['https://h:8443', 'https://h', false],
    ['https://h', 'https://h:443', true],
    ['https://*.h', 'https://a.h', true],
    ['https://*.h', 'https://h', false],
    ['https://a.*.h', 'https://a.b.h', true],
    ['https://u@h', 'https://u@h/x', true],
    ['https://u@h', 'https://v@h/x', false],
    ['https://u@h', 'https://h/x', false],
    ['https://h', 'https://u@h/x', true],
  ])('%s on %s → %j', (p, u, out) => {
    expect(m(p, u) !== undefined).toBe(out);
  });

  it('reports specificity', () => {
    expect(m('https://h/ws', 'https://h/ws/r')).toEqual({ pathLength: 4, userMatched: false, hostLength: 1 });
    expect(m('https://u@*.h', 'https://u@a.h/')).toEqual({ pathLength: 1, userMatched: true, hostLength: 3 });
  });
});

// Each row checked against the X-H headers real git 2.39.5 sent for `git ls-remote http://127.0.0.1:P/ws/r.git`.
describe('urlScopedEntries (http.<url>.extraHeader as git applies it)', () => {
  const B = 'http://127.0.0.1:18766';
  const URL = `${B}/ws/r.git`;
  /** The header values git sends: entries in order, an empty value clears the list. */
  const sent = (pairs: [string, string][]) => {
    let out: string[] = [];
    for (const e of urlScopedEntries(cfg(pairs), 'http', 'extraHeader', URL)) {
      if (e.value === '') out = [];
      else out.push(e.value!);
    }
    return out;
  };
  it.each<[string, [string, string][], string[]]>([
    [
      'global then URL-scoped: both',
      [
        ['http.extraHeader', 'a'],
        [`http.${B}.extraHeader`, 'b'],
      ],
      ['a', 'b'],
    ],
    [
      'URL-scoped then global: the less specific one is skipped',
      [
        [`http.${B}.extraHeader`, 'b'],
        ['http.extraHeader', 'a'],
      ],
      ['b'],
    ],
    [
      'longer paths win over host-only seen later',
      [
        [`http.${B}/ws.extraHeader`, 'p'],
        [`http.${B}.extraHeader`, 'b'],
        [`http.${B}/ws/r.git.extraHeader`, 'q'],
      ],
      ['p', 'q'],
    ],
    [
      'empty value clears',
      [
        ['http.extraHeader', 'a'],
        ['http.extraHeader', ''],
        ['http.extraHeader', 'c'],
      ],
      ['c'],
    ],
    [
      'user-scoped URL does not match a URL without that user',
      [
        ['http.http://me@127.0.0.1:18766.extraHeader', 'u'],
        [`http.${B}.extraHeader`, 'b'],
      ],
      ['b'],
    ],
    [
      'wildcard host is as specific as its length',
      [
        ['http.http://*.0.0.1:18766.extraHeader', 'w'],
        ['http.http://127.0.0.1:18766/.extraHeader', 'b'],
      ],
      ['w', 'b'],
    ],
    ['other host', [['http.https://bitbucket.org.extraHeader', 'x']], []],
    ['not a URL: never matches for http.*', [['http.127.0.0.1.extraHeader', 'x']], []],
  ])('%s', (_name, pairs, out) => {
    expect(sent(pairs)).toEqual(out);
  });

  it('last entry is the value of a single-valued key', () => {
    const e = urlScopedEntries(
      cfg([
        ['http.sslVerify', 'false'],
        ['http.https://bitbucket.org.sslVerify', 'true'],
        ['http.sslVerify', 'false'],
      ]),
      'http',
      'sslverify',
      'https://bitbucket.org/ws/r',
    );
    expect(e.at(-1)!.value).toBe('true');
  });
});
