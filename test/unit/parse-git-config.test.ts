import { describe, expect, it } from 'vitest';
import {
  configGet,
  configGetAll,
  normalizeKey,
  parseConfigList,
  parseGitBool,
  remotesFrom,
  splitKey,
  type ConfigEntry,
} from '../../src/core/parse/git-config.js';

// Captured from git 2.39.5: `git -c Cmd.Line=v=1 config --list -z --show-origin --show-scope` in a repo, with
// GIT_CONFIG_GLOBAL=<tmp file> GIT_CONFIG_NOSYSTEM=1 (paths rewritten to /home/u). The global file had a bare
// boolean, a quoted value with `\n`, '=' and unicode, a URL subsection with capitals, and an include.
const FULL =
  'global\0file:/home/u/.gitconfig\0credential.helper\nstore --file ~/.my-creds\0' +
  'global\0file:/home/u/.gitconfig\0credential.helper\n\0' +
  'global\0file:/home/u/.gitconfig\0credential.helper\ncache --timeout=3600\0' +
  'global\0file:/home/u/.gitconfig\0credential.https://Bitbucket.org.helper\nmanager\0' +
  'global\0file:/home/u/.gitconfig\0credential.https://Bitbucket.org.usehttppath\0' +
  'global\0file:/home/u/.gitconfig\0credential.https://Bitbucket.org.username\nme@example.com\0' +
  'global\0file:/home/u/.gitconfig\0core.barebool\0' +
  'global\0file:/home/u/.gitconfig\0core.askpass\na=b\nline2 ünïcode ✓\0' +
  'global\0file:/home/u/.gitconfig\0url.git@bitbucket.org:.insteadof\nhttps://bitbucket.org/\0' +
  'global\0file:/home/u/.gitconfig\0http.https://bitbucket.org/.extraheader\nAuthorization: Bearer not-a-token\0' +
  'global\0file:/home/u/.gitconfig\0include.path\n/home/u/inc.gitconfig\0' +
  'global\0file:/home/u/inc.gitconfig\0x.Sub.Section.With.Dots.key\nwith "quote" and\ttab\0' +
  'global\0file:/home/u/inc.gitconfig\0x.Sub.Section.With.Dots.empty\n\0' +
  'local\0file:.git/config\0core.repositoryformatversion\n0\0' +
  'local\0file:.git/config\0core.filemode\ntrue\0' +
  'local\0file:.git/config\0core.bare\nfalse\0' +
  'local\0file:.git/config\0core.logallrefupdates\ntrue\0' +
  'local\0file:.git/config\0remote.origin.url\nhttps://user:p%40ss@bitbucket.org/ws/repo.git\0' +
  'local\0file:.git/config\0remote.origin.fetch\n+refs/heads/*:refs/remotes/origin/*\0' +
  'local\0file:.git/config\0remote.origin.pushurl\nhttps://x-bitbucket-api-token-auth@bitbucket.org/ws/repo.git\0' +
  'command\0command line:\0cmd.line\nv=1\0';

// The same config without --show-scope (git < 2.26 cannot print it) and without --show-origin.
const NO_SCOPE = FULL.replace(/(^|\0)(?:global|local|command)\0/g, '$1');
const BARE = NO_SCOPE.replace(/(^|\0)(?:file:[^\0]*|command line:)\0/g, '$1');

describe('parseConfigList on captured git output', () => {
  const entries = parseConfigList(FULL);

  it('reads every entry with scope and origin', () => {
    expect(entries).toHaveLength(21);
    expect(entries[0]).toEqual({
      key: 'credential.helper',
      value: 'store --file ~/.my-creds',
      origin: 'file:/home/u/.gitconfig',
      scope: 'global',
    });
    expect(entries.at(-1)).toEqual({
      key: 'cmd.line',
      value: 'v=1',
      origin: 'command line:',
      scope: 'command',
    });
  });

  it.each<[string, string | undefined]>([
    ['credential.helper', 'cache --timeout=3600'],
    ['credential.https://Bitbucket.org.helper', 'manager'],
    ['credential.https://Bitbucket.org.usehttppath', undefined],
    ['core.barebool', undefined],
    ['core.askpass', 'a=b\nline2 ünïcode ✓'],
    ['x.Sub.Section.With.Dots.key', 'with "quote" and\ttab'],
    ['x.Sub.Section.With.Dots.empty', ''],
    ['remote.origin.url', 'https://user:p%40ss@bitbucket.org/ws/repo.git'],
    ['cmd.line', 'v=1'],
  ])('%s → %j', (key, value) => {
    const e = configGet(entries, key);
    expect(e).toBeDefined();
    expect(e!.value).toBe(value);
  });

  it('tells an empty value from a bare boolean', () => {
    expect(configGetAll(entries, 'credential.helper').map((e) => e.value)).toEqual([
      'store --file ~/.my-creds',
      '',
      'cache --timeout=3600',
    ]);
    expect(configGet(entries, 'core.barebool')!.value).toBeUndefined();
  });

  it('keeps the origin of included files and of the repository', () => {
    expect(configGet(entries, 'x.Sub.Section.With.Dots.key')!.origin).toBe('file:/home/u/inc.gitconfig');
    expect(configGet(entries, 'core.bare')).toMatchObject({ origin: 'file:.git/config', scope: 'local' });
  });

  it('parses output without --show-scope the same way, minus scope', () => {
    const noScope = parseConfigList(NO_SCOPE);
    expect(noScope).toEqual(entries.map(({ scope: _s, ...rest }) => rest));
  });

  it('parses output without --show-origin, origin empty', () => {
    const bare = parseConfigList(BARE);
    expect(bare.map((e) => [e.key, e.value])).toEqual(entries.map((e) => [e.key, e.value]));
    expect(bare.every((e) => e.origin === '' && e.scope === undefined)).toBe(true);
  });

  it('finds remotes with fetch and push URLs', () => {
    expect(remotesFrom(entries)).toEqual([
      {
        name: 'origin',
        urls: ['https://user:p%40ss@bitbucket.org/ws/repo.git'],
        pushUrls: ['https://x-bitbucket-api-token-auth@bitbucket.org/ws/repo.git'],
      },
    ]);
  });
});

describe('parseConfigList edge cases', () => {
  it.each<[string, string, ConfigEntry[]]>([
    ['empty output', '', []],
    ['no trailing NUL', 'a.b\nc', [{ key: 'a.b', value: 'c', origin: '' }]],
    ['value that is only newlines', 'a.b\n\n\n\0', [{ key: 'a.b', value: '\n\n', origin: '' }]],
    [
      'value that looks like a scope word',
      'global\0file:/g\0a.b\nglobal\0',
      [{ key: 'a.b', value: 'global', origin: 'file:/g', scope: 'global' }],
    ],
    [
      'value that looks like an origin',
      'local\0file:x\0a.b\nfile:/etc/passwd\0',
      [{ key: 'a.b', value: 'file:/etc/passwd', origin: 'file:x', scope: 'local' }],
    ],
    [
      'origin path with spaces and newline (-z does not quote)',
      'global\0file:/home/u/my dir/we\nird\0a.b\nc\0',
      [{ key: 'a.b', value: 'c', origin: 'file:/home/u/my dir/we\nird', scope: 'global' }],
    ],
    [
      'blob and stdin origins',
      'unknown\0blob:HEAD:.gitmodules\0submodule.x.url\n../x\0standard input:\0a.b\nc\0',
      [
        { key: 'submodule.x.url', value: '../x', origin: 'blob:HEAD:.gitmodules', scope: 'unknown' },
        { key: 'a.b', value: 'c', origin: 'standard input:' },
      ],
    ],
    [
      'mixed-case key from a hand-made sample',
      'Credential.https://Bitbucket.ORG/WS.Helper\nx\0',
      [{ key: 'credential.https://Bitbucket.ORG/WS.helper', value: 'x', origin: '' }],
    ],
  ])('%s', (_name, input, expected) => {
    expect(parseConfigList(input)).toEqual(expected);
  });
});

describe('keys', () => {
  it.each([
    ['Core.AskPass', 'core.askpass'],
    ['credential.https://Bitbucket.org.Helper', 'credential.https://Bitbucket.org.helper'],
    ['url.git@Bitbucket.org:.insteadOf', 'url.git@Bitbucket.org:.insteadof'],
    ['NoDot', 'nodot'],
  ])('normalizeKey(%j) = %j', (input, out) => {
    expect(normalizeKey(input)).toBe(out);
  });

  it('splits section, subsection and variable', () => {
    expect(splitKey('credential.https://a.b/c.helper')).toEqual({
      section: 'credential',
      subsection: 'https://a.b/c',
      variable: 'helper',
    });
    expect(splitKey('credential.helper')).toEqual({ section: 'credential', variable: 'helper' });
  });

  it('configGet is case-insensitive on section and variable, last one wins', () => {
    const entries = parseConfigList('core.askpass\none\0core.askpass\ntwo\0');
    expect(configGet(entries, 'CORE.AskPass')!.value).toBe('two');
    expect(configGet(entries, 'core.missing')).toBeUndefined();
    expect(configGetAll(entries, 'core.missing')).toEqual([]);
  });

  it('subsections are case-sensitive', () => {
    const entries = parseConfigList('remote.Origin.url\nA\0remote.origin.url\nB\0');
    expect(configGet(entries, 'remote.Origin.url')!.value).toBe('A');
    expect(configGet(entries, 'remote.origin.url')!.value).toBe('B');
  });
});

describe('parseGitBool', () => {
  it.each<[string | undefined, boolean | undefined]>([
    [undefined, true],
    ['true', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['42', true],
    ['false', false],
    ['No', false],
    ['off', false],
    ['0', false],
    ['', false],
    ['maybe', undefined],
  ])('%j → %j', (v, out) => {
    expect(parseGitBool(v)).toBe(out);
  });
});

describe('remotesFrom', () => {
  it('keeps order of first appearance, several URLs, and resets on an empty value', () => {
    const z =
      'remote.b.url\nhttps://b/1\0remote.a.url\nhttps://a/1\0remote.b.url\nhttps://b/2\0' +
      'remote.a.url\n\0remote.a.url\nhttps://a/2\0remote.a.pushurl\nssh://a\0remote.c.pushurl\nssh://c\0' +
      'remote.b.url\0remote.b.fetch\n+refs/*:refs/*\0remotes.x.url\nnope\0remote.url\nnope\0';
    expect(remotesFrom(parseConfigList(z))).toEqual([
      { name: 'b', urls: ['https://b/1', 'https://b/2'], pushUrls: [] },
      { name: 'a', urls: ['https://a/2'], pushUrls: ['ssh://a'] },
      { name: 'c', urls: [], pushUrls: ['ssh://c'] },
    ]);
  });

  it('keeps remote names with dots and capitals', () => {
    const z = 'remote.My.Fork.url\nhttps://x/y\0';
    expect(remotesFrom(parseConfigList(z))[0]!.name).toBe('My.Fork');
  });
});
