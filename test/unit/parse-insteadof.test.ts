import { describe, expect, it } from 'vitest';
import { parseConfigList, type ConfigEntry } from '../../src/core/parse/git-config.js';
import { effectiveRemoteUrls, rewriteUrl } from '../../src/core/parse/insteadof.js';

/** Config entries from `[key, value]` pairs, as `git config --list -z` would list them. */
function cfg(pairs: [string, string | undefined][]): ConfigEntry[] {
  return parseConfigList(pairs.map(([k, v]) => (v === undefined ? `${k}\0` : `${k}\n${v}\0`)).join(''));
}

describe('rewriteUrl', () => {
  it.each<[string, [string, string | undefined][], string, boolean, string]>([
    ['no rules', [], 'https://bitbucket.org/ws/r.git', false, 'https://bitbucket.org/ws/r.git'],
    [
      'https → scp-like ssh',
      [['url.git@bitbucket.org:.insteadOf', 'https://bitbucket.org/']],
      'https://bitbucket.org/ws/r.git',
      false,
      'git@bitbucket.org:ws/r.git',
    ],
    [
      'shorthand alias',
      [['url.https://bitbucket.org/.insteadOf', 'bb:']],
      'bb:ws/r.git',
      false,
      'https://bitbucket.org/ws/r.git',
    ],
    [
      'longest prefix wins whatever the order',
      [
        ['url.ssh://git@bitbucket.org/.insteadOf', 'https://bitbucket.org/ws/'],
        ['url.git@bitbucket.org:.insteadOf', 'https://bitbucket.org/'],
      ],
      'https://bitbucket.org/ws/r.git',
      false,
      'ssh://git@bitbucket.org/r.git',
    ],
    [
      'equal length: first configured base wins',
      [
        ['url.A.insteadOf', 'https://'],
        ['url.B.insteadOf', 'https://'],
      ],
      'https://x/y',
      false,
      'Ax/y',
    ],
    [
      'several insteadOf values for one base',
      [
        ['url.https://bitbucket.org/.insteadOf', 'bb:'],
        ['url.https://bitbucket.org/.insteadOf', 'bitbucket:'],
      ],
      'bitbucket:ws/r',
      false,
      'https://bitbucket.org/ws/r',
    ],
    [
      'prefix match is plain string, not path-aware',
      [['url.X.insteadOf', 'https://bitbucket.org/w']],
      'https://bitbucket.org/ws/r',
      false,
      'Xs/r',
    ],
    ['case-sensitive prefix', [['url.X.insteadOf', 'HTTPS://']], 'https://h/r', false, 'https://h/r'],
    ['empty insteadOf matches everything', [['url.E.insteadOf', '']], 'https://a/1', false, 'Ehttps://a/1'],
    [
      'bare insteadOf key is ignored (git errors)',
      [['url.E.insteadOf', undefined]],
      'https://a',
      false,
      'https://a',
    ],
    [
      'pushInsteadOf ignored for fetch',
      [['url.https://x-bitbucket-api-token-auth@bitbucket.org/.pushInsteadOf', 'https://bitbucket.org/']],
      'https://bitbucket.org/ws/r.git',
      false,
      'https://bitbucket.org/ws/r.git',
    ],
    [
      'pushInsteadOf used for push',
      [['url.https://x-bitbucket-api-token-auth@bitbucket.org/.pushInsteadOf', 'https://bitbucket.org/']],
      'https://bitbucket.org/ws/r.git',
      true,
      'https://x-bitbucket-api-token-auth@bitbucket.org/ws/r.git',
    ],
    [
      'pushInsteadOf beats a longer insteadOf for push',
      [
        ['url.P.pushInsteadOf', 'https://'],
        ['url.I.insteadOf', 'https://bitbucket.org/'],
      ],
      'https://bitbucket.org/ws/r',
      true,
      'Pbitbucket.org/ws/r',
    ],
    [
      'push falls back to insteadOf when no pushInsteadOf matches',
      [
        ['url.P.pushInsteadOf', 'ssh://'],
        ['url.I.insteadOf', 'https://'],
      ],
      'https://h/r',
      true,
      'Ih/r',
    ],
    [
      'a pushInsteadOf-only base does not take part in insteadOf ties',
      [
        ['url.B.pushInsteadOf', 'https://'],
        ['url.A.insteadOf', 'https://'],
        ['url.B.insteadOf', 'https://'],
      ],
      'https://x/y',
      false,
      'Ax/y',
    ],
    [
      'base with a subsection containing dots and capitals',
      [['url.https://Mirror.Example.com/bb/.insteadOf', 'https://bitbucket.org/']],
      'https://bitbucket.org/ws/r',
      false,
      'https://Mirror.Example.com/bb/ws/r',
    ],
  ])('%s', (_name, pairs, url, forPush, out) => {
    expect(rewriteUrl(url, cfg(pairs), forPush)).toBe(out);
  });
});

// Each row was checked against `git remote get-url --all [--push] origin` (git 2.39.5).
describe('effectiveRemoteUrls (matches git remote get-url)', () => {
  it.each<[string, [string, string][], string[], string[], { fetch: string[]; push: string[] }]>([
    [
      'longest match',
      [
        ['url.git@bitbucket.org:.insteadOf', 'https://bitbucket.org/'],
        ['url.ssh://git@bitbucket.org/.insteadOf', 'https://bitbucket.org/ws/'],
      ],
      ['https://bitbucket.org/ws/r.git'],
      [],
      { fetch: ['ssh://git@bitbucket.org/r.git'], push: ['ssh://git@bitbucket.org/r.git'] },
    ],
    [
      'pushInsteadOf adds a push URL',
      [['url.https://x-bitbucket-api-token-auth@bitbucket.org/.pushInsteadOf', 'https://bitbucket.org/']],
      ['https://bitbucket.org/ws/r.git'],
      [],
      {
        fetch: ['https://bitbucket.org/ws/r.git'],
        push: ['https://x-bitbucket-api-token-auth@bitbucket.org/ws/r.git'],
      },
    ],
    [
      'explicit pushurl: pushInsteadOf ignored, insteadOf applied',
      [
        ['url.P.pushInsteadOf', 'https://'],
        ['url.I.insteadOf', 'https://'],
      ],
      ['https://x/y'],
      ['https://p/q'],
      { fetch: ['Ix/y'], push: ['Ip/q'] },
    ],
    [
      'pushInsteadOf matching only one of two urls: push goes only there',
      [
        ['url.P.pushInsteadOf', 'https://a/'],
        ['url.I.insteadOf', 'https://'],
      ],
      ['https://a/1', 'https://b/2'],
      [],
      { fetch: ['Ia/1', 'Ib/2'], push: ['P1'] },
    ],
    ['no rules', [], ['https://h/ws/r'], [], { fetch: ['https://h/ws/r'], push: ['https://h/ws/r'] }],
  ])('%s', (_name, pairs, urls, pushUrls, out) => {
    expect(effectiveRemoteUrls({ urls, pushUrls }, cfg(pairs))).toEqual(out);
  });
});
