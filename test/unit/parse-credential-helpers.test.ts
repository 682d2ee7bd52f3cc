import { describe, expect, it } from 'vitest';
import { helperKind, helpersFor } from '../../src/core/parse/credential-helpers.js';
import { parseConfigList, type ConfigEntry } from '../../src/core/parse/git-config.js';

function cfg(pairs: [string, string | undefined, string?][]): ConfigEntry[] {
  return parseConfigList(
    pairs
      .map(
        ([k, v, origin = 'file:/home/u/.gitconfig']) =>
          `global\0${origin}\0${k}${v === undefined ? '' : `\n${v}`}\0`,
      )
      .join(''),
  );
}

const names = (url: string, entries: ConfigEntry[]) => helpersFor(url, entries).helpers.map((h) => h.name);

// Every row was checked against real git 2.39.5: `git credential fill` with helpers that log their label.
describe('helpersFor: which helpers git runs (verified against git credential fill)', () => {
  it.each<[string, [string, string][], string, string[]]>([
    ['global helper applies everywhere', [['credential.helper', 'A']], 'https://example.com/x', ['A']],
    [
      'URL-scoped helper after the global one',
      [
        ['credential.helper', 'A'],
        ['credential.https://bitbucket.org.helper', 'B'],
      ],
      'https://bitbucket.org/ws/r.git',
      ['A', 'B'],
    ],
    [
      'scheme must match',
      [
        ['credential.helper', 'A'],
        ['credential.https://bitbucket.org.helper', 'B'],
      ],
      'http://bitbucket.org/ws/r.git',
      ['A'],
    ],
    [
      'default port equals no port',
      [['credential.https://bitbucket.org.helper', 'B']],
      'https://bitbucket.org:443/ws/r',
      ['B'],
    ],
    [
      'other port does not match',
      [['credential.https://bitbucket.org.helper', 'B']],
      'https://bitbucket.org:8443/ws/r',
      [],
    ],
    [
      'empty helper resets the list so far, for matching URLs only',
      [
        ['credential.helper', 'A'],
        ['credential.https://bitbucket.org.helper', ''],
        ['credential.helper', 'C'],
      ],
      'https://bitbucket.org/ws/r.git',
      ['C'],
    ],
    [
      'reset does not apply to other hosts',
      [
        ['credential.helper', 'A'],
        ['credential.https://bitbucket.org.helper', ''],
        ['credential.helper', 'C'],
      ],
      'https://other.org/x',
      ['A', 'C'],
    ],
    [
      'path prefix at a segment boundary, trailing slash optional',
      [
        ['credential.https://bitbucket.org/ws.helper', 'P'],
        ['credential.https://bitbucket.org/ws/.helper', 'Q'],
        ['credential.https://bitbucket.org/w.helper', 'R'],
      ],
      'https://bitbucket.org/ws/r.git',
      ['P', 'Q'],
    ],
    [
      'path prefix is not a string prefix',
      [['credential.https://bitbucket.org/ws.helper', 'P']],
      'https://bitbucket.org/wsx/r.git',
      [],
    ],
    [
      'exact path matches',
      [['credential.https://bitbucket.org/ws.helper', 'P']],
      'https://bitbucket.org/ws',
      ['P'],
    ],
    [
      'config URL with a path does not match a URL without one',
      [['credential.https://bitbucket.org/ws.helper', 'P']],
      'https://bitbucket.org',
      [],
    ],
    [
      '*.example.com matches one label',
      [
        ['credential.https://*.example.com.helper', 'W'],
        ['credential.https://*.com.helper', 'X'],
      ],
      'https://a.example.com/r',
      ['W'],
    ],
    [
      '*.example.com does not match example.com (but *.com does)',
      [
        ['credential.https://*.example.com.helper', 'W'],
        ['credential.https://*.com.helper', 'X'],
      ],
      'https://example.com/r',
      ['X'],
    ],
    [
      '* does not span two labels',
      [['credential.https://*.example.com.helper', 'W']],
      'https://a.b.example.com/r',
      [],
    ],
    [
      'host is case-insensitive',
      [['credential.https://*.example.com.helper', 'W']],
      'https://A.Example.COM/r',
      ['W'],
    ],
    [
      'user in config URL must match the URL user',
      [
        ['credential.https://me@bitbucket.org.helper', 'U'],
        ['credential.helper', 'A'],
      ],
      'https://me@bitbucket.org/ws/r',
      ['U', 'A'],
    ],
    [
      'other user does not match',
      [['credential.https://me@bitbucket.org.helper', 'U']],
      'https://you@bitbucket.org/ws/r',
      [],
    ],
    [
      'no URL user does not match a config user',
      [['credential.https://me@bitbucket.org.helper', 'U']],
      'https://bitbucket.org/ws/r',
      [],
    ],
    [
      'partial keys (no scheme) match host exactly, any scheme',
      [
        ['credential.bitbucket.org.helper', 'PART'],
        ['credential.https://Bitbucket.ORG.helper', 'CASE'],
        ['credential.bitbucket.org/ws/r.helper', 'PP'],
      ],
      'https://bitbucket.org/ws/r',
      ['PART', 'CASE', 'PP'],
    ],
    [
      'partial key, other scheme',
      [['credential.bitbucket.org.helper', 'PART']],
      'http://bitbucket.org/x',
      ['PART'],
    ],
    [
      'partial key compares host case-sensitively; full URL does not',
      [
        ['credential.bitbucket.org.helper', 'PART'],
        ['credential.https://Bitbucket.ORG.helper', 'CASE'],
      ],
      'https://Bitbucket.org/ws/r',
      ['CASE'],
    ],
    [
      'partial key with a port never matches the bare host',
      [['credential.bitbucket.org.helper', 'PART']],
      'https://bitbucket.org:8443/',
      [],
    ],
    ['IPv6 with port', [['credential.https://[::1]:8443.helper', 'V6']], 'https://[::1]:8443/ws/r', ['V6']],
    ['IPv6 other port', [['credential.https://[::1]:8443.helper', 'V6']], 'https://[::1]/ws/r', []],
    [
      'percent-encoded unreserved char in config path is normalised; encoded slash never matches',
      [
        ['credential.https://bitbucket.org/ws%2Fx.helper', 'ENC'],
        ['credential.https://bitbucket.org/w%73.helper', 'UNR'],
      ],
      'https://bitbucket.org/ws%2Fx/r',
      ['UNR'],
    ],
  ])('%s', (_name, pairs, url, expected) => {
    expect(names(url, cfg(pairs))).toEqual(expected);
  });
});

describe('helpersFor: origins, reset, username and useHttpPath', () => {
  const entries = cfg([
    ['credential.helper', 'store', 'file:/etc/gitconfig'],
    ['credential.helper', '', 'file:/home/u/.gitconfig'],
    ['credential.helper', 'manager', 'file:/home/u/.gitconfig'],
    ['credential.username', 'first'],
    ['credential.https://bitbucket.org.username', 'second'],
    ['credential.https://other.org.username', 'third'],
    ['credential.https://bitbucket.org/ws.useHttpPath', undefined],
    ['credential.https://bitbucket.org/ws/off.useHttpPath', 'false'],
    ['credential.helper', undefined],
  ]);

  it('reports the helpers with origin and scope, and where the list was reset', () => {
    const chain = helpersFor('https://bitbucket.org/ws/r', entries);
    expect(chain.helpers).toEqual([{ name: 'manager', origin: 'file:/home/u/.gitconfig', scope: 'global' }]);
    expect(chain.resetAt).toEqual({ origin: 'file:/home/u/.gitconfig', scope: 'global' });
  });

  // Verified with git credential fill: the username a helper receives.
  it.each<[string, string | undefined, string | undefined, boolean]>([
    ['https://bitbucket.org/ws/r', 'second', 'file:/home/u/.gitconfig', true],
    ['https://bitbucket.org/zz/r', 'second', 'file:/home/u/.gitconfig', false],
    ['https://me@bitbucket.org/ws/r', 'me', 'url', true],
    ['https://x.org/a', 'first', 'file:/home/u/.gitconfig', false],
    ['https://bitbucket.org/ws/off/r', 'second', 'file:/home/u/.gitconfig', false],
  ])('%s → username %j from %j, useHttpPath %j', (url, username, origin, useHttpPath) => {
    const chain = helpersFor(url, entries);
    expect(chain.username).toBe(username);
    expect(chain.usernameOrigin).toBe(origin);
    expect(chain.useHttpPath).toBe(useHttpPath);
  });

  it('handles a URL it cannot parse as having no URL-specific config', () => {
    expect(helpersFor('not a url', entries).helpers.map((h) => h.name)).toEqual(['manager']);
    expect(helpersFor('', []).helpers).toEqual([]);
  });
});

describe('helperKind', () => {
  it.each<[string, ReturnType<typeof helperKind>]>([
    ['store', 'store'],
    ['store --file ~/.my-credentials', 'store'],
    ['/usr/lib/git-core/git-credential-store', 'store'],
    ['cache', 'cache'],
    ['cache --timeout=3600', 'cache'],
    ['manager', 'gcm'],
    ['manager-core', 'gcm'],
    ['/usr/local/bin/git-credential-manager', 'gcm'],
    ['/usr/local/share/gcm-core/git-credential-manager-core', 'gcm'],
    ['C:/Program\\ Files/Git/mingw64/bin/git-credential-manager.exe', 'gcm'],
    ['"C:\\Program Files\\Git\\mingw64\\bin\\git-credential-manager.exe"', 'gcm'],
    ['C:\\Program Files\\Git\\mingw64\\libexec\\git-core\\git-credential-manager.exe', 'gcm'],
    ['!git credential-manager', 'gcm'],
    ['osxkeychain', 'osxkeychain'],
    ['/usr/share/doc/git/contrib/credential/libsecret/git-credential-libsecret', 'libsecret'],
    ['libsecret', 'libsecret'],
    ['wincred', 'wincred'],
    ['bbauth', 'bbauth'],
    ['bbauth --token-file /run/secrets/bb', 'bbauth'],
    ['/opt/node/bin/git-credential-bbauth', 'bbauth'],
    ['!npx bbauth credential', 'bbauth'],
    ['!f() { echo password=$TOKEN; }; f', 'other'],
    ['gnome-keyring', 'other'],
    ['constructor', 'other'],
    ['', 'other'],
  ])('%j → %s', (name, kind) => {
    expect(helperKind(name)).toBe(kind);
  });
});
