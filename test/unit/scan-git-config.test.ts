import { describe, expect, it } from 'vitest';
import {
  includeConditionHolds,
  loadConfigWithIncludes,
  wildmatchToRegExp,
} from '../../src/core/scan/config-includes.js';
import { parseGitConfigFile } from '../../src/core/scan/git-config-file.js';

const kv = (text: string) => parseGitConfigFile(text, '/r/.git/config').map((e) => [e.key, e.value, e.line]);

describe('parseGitConfigFile', () => {
  it.each([
    ['plain', '[core]\n\tbare = false\n', [['core.bare', 'false', 2]]],
    [
      'case: section and key lowered, subsection kept',
      '[Remote "Origin"]\n\tURL = x\n',
      [['remote.Origin.url', 'x', 2]],
    ],
    ['legacy [a.b] lowers the subsection', '[remote.Origin]\nurl = x\n', [['remote.origin.url', 'x', 2]]],
    ['bare boolean', '[core]\n\tbare\n', [['core.bare', undefined, 2]]],
    ['empty value', '[credential]\n\thelper =\n', [['credential.helper', '', 2]]],
    [
      'comments # and ;',
      '# top\n[a]\n; c\nb = 1 # trailing\nc = 2 ; trailing\n',
      [
        ['a.b', '1', 4],
        ['a.c', '2', 5],
      ],
    ],
    ['quotes keep # and spaces', '[a]\nb = " x # y "\n', [['a.b', ' x # y ', 2]]],
    ['escapes', '[a]\nb = "t\\tn\\n\\"q\\" \\\\"\n', [['a.b', 't\tn\n"q" \\', 2]]],
    [
      'continuation keeps the key line',
      '[a]\nb = one\\\n two\nc = 3\n',
      [
        ['a.b', 'one two', 2],
        ['a.c', '3', 4],
      ],
    ],
    ['key on the header line', '[a] b = 1\n', [['a.b', '1', 1]]],
    [
      'subsection with escaped quote and dots',
      '[url "https://u:p@bitbucket.org/"]\n\tinsteadOf = https://bitbucket.org/\n',
      [['url.https://u:p@bitbucket.org/.insteadof', 'https://bitbucket.org/', 2]],
    ],
    [
      'CRLF line ends',
      '[a]\r\nb = 1\r\nc = 2\r\n',
      [
        ['a.b', '1', 2],
        ['a.c', '2', 3],
      ],
    ],
    ['keys before any section are ignored', 'b = 1\n[a]\nc = 2\n', [['a.c', '2', 3]]],
    ['BOM', '\uFEFF[a]\nb = 1\n', [['a.b', '1', 2]]],
  ])('%s', (_name, text, expected) => {
    expect(kv(text)).toEqual(expected);
  });

  it('records the origin as git prints it', () => {
    expect(parseGitConfigFile('[a]\nb=1', '/h/.gitconfig', 'global')[0]).toMatchObject({
      origin: 'file:/h/.gitconfig',
      scope: 'global',
    });
  });
});

describe('includes', () => {
  const files: Record<string, string> = {
    '/h/.gitconfig':
      '[include]\n\tpath = ~/extra.inc\n[includeIf "gitdir:~/work/"]\n\tpath = work.inc\n[includeIf "gitdir/i:/H/CASE/"]\n\tpath = /h/case.inc\n[includeIf "onbranch:main"]\n\tpath = branch.inc\n[include]\n\tpath = /h/.gitconfig\n',
    '/h/extra.inc': '[x]\n\tfrom = extra\n',
    '/h/work.inc': '[x]\n\tfrom = work\n',
    '/h/case.inc': '[x]\n\tfrom = case\n',
    '/h/branch.inc': '[x]\n\tfrom = branch\n',
  };
  const load = (p: string) => files[p];
  const froms = (gitDir?: string) =>
    loadConfigWithIncludes('/h/.gitconfig', 'global', { home: '/h', gitDir, load })
      .filter((e) => e.key === 'x.from')
      .map((e) => e.value);

  it('follows include.path (~/ and relative), gitdir: on match, onbranch: conservatively; stops cycles', () => {
    const inWork = froms('/h/work/app/.git');
    expect(inWork.slice(0, 4)).toEqual(['extra', 'work', 'branch', 'extra']);
    expect(inWork).not.toContain('case');
    expect(inWork.length).toBeLessThan(60); // the self-include is cut at depth 10
  });
  it('skips gitdir: conditions that do not match, and all of them without a repository', () => {
    expect(froms('/h/other/.git')).not.toContain('work');
    expect(froms(undefined)).not.toContain('work');
  });
  it('gitdir/i: matches case-insensitively', () => {
    expect(froms('/h/case/repo/.git')).toContain('case');
  });
  it.each([
    ['gitdir:~/work/', '/h/work/a/.git', true],
    ['gitdir:~/work/', '/h/workshop/a/.git', false],
    ['gitdir:work/', '/x/work/a/.git', true],
    ['gitdir:./sub/', '/h/sub/r/.git', true],
    ['gitdir:/h/r/.git', '/h/r/.git', true],
    ['gitdir:/h/*/.git', '/h/r/.git', true],
    ['gitdir:/h/*/.git', '/h/a/b/.git', false],
    ['hasconfig:remote.*.url:https://bitbucket.org/**', '/h/r/.git', true],
  ])('%s vs %s → %s', (cond, gitDir, want) => {
    expect(includeConditionHolds(cond, '/h/.gitconfig', { home: '/h', gitDir, load })).toBe(want);
  });
  it.each([
    // git's wildmatch: a range below its start matches nothing (never an exception)
    ['[b-a]', 'a', false],
    ['x[b-a]y', 'xby', false],
    ['[a-c]', 'b', true],
    ['[!a-c]', 'd', true],
    ['[!a-c]', 'b', false],
    ['[]a]', ']', true],
    ['[!]a]', 'b', true],
    ['[[:digit:]]x', '7x', true],
    ['[[:nosuch:]]', 'a', false],
    ['[\\]]', ']', true],
    ['[a/]', '/', false],
    ['a[', 'a[', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
  ])('wildmatch %j vs %j → %s, without throwing', (pattern, path, want) => {
    expect(wildmatchToRegExp(pattern).test(path)).toBe(want);
  });
  it('an includeIf gitdir: with an invalid class is a condition that does not hold, not a crash', () => {
    expect(
      includeConditionHolds('gitdir:[b-a]', '/h/.gitconfig', { home: '/h', gitDir: '/h/r/.git', load }),
    ).toBe(false);
  });
  it('a file that includes itself many times stops at the first chain too deep, as git does: fast', () => {
    const text = '[x]\n\tfrom = top\n' + '[include]\n\tpath = /h/loop\n'.repeat(8);
    const started = Date.now();
    let loads = 0;
    const entries = loadConfigWithIncludes('/h/loop', 'global', {
      home: '/h',
      load: (p) => (p === '/h/loop' ? (loads++, text) : undefined),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(loads).toBeLessThanOrEqual(11);
    expect(entries.filter((e) => e.key === 'x.from')).toHaveLength(11);
  });
  it('wildmatch: ** crosses folders, * does not', () => {
    expect(wildmatchToRegExp('**/a/*.txt').test('x/y/a/b.txt')).toBe(true);
    expect(wildmatchToRegExp('a/*.txt').test('a/b/c.txt')).toBe(false);
  });
});
