import { describe, expect, it } from 'vitest';
import { removeNetrcEntry, removeStoreLine, setComposerHttpBasic } from '../../src/core/fix/edit-files.js';
import { parseNetrc } from '../../src/core/parse/netrc.js';

describe('removeStoreLine', () => {
  it.each([
    ['a\nb\nc\n', 2, 'a\nc\n'],
    ['a\nb\n', 1, 'b\n'],
    ['only\n', 1, ''],
    ['a\nb\n', 5, 'a\nb\n'],
  ])('%j line %i', (text, line, out) => expect(removeStoreLine(text, line)).toBe(out));
});

describe('removeNetrcEntry', () => {
  it.each([
    [
      'one entry per line block',
      'machine github.com\nlogin a\npassword b\n\nmachine bitbucket.org\nlogin x\npassword y\n\nmachine example.com login c password d\n',
      5,
      ['github.com', 'example.com'],
    ],
    [
      'entries on one line each',
      'machine bitbucket.org login x password y\nmachine github.com login a password b\n',
      1,
      ['github.com'],
    ],
    [
      'last entry',
      'machine github.com login a password b\nmachine bitbucket.org login x password y\n',
      2,
      ['github.com'],
    ],
    [
      'before default',
      'machine bitbucket.org login x password y\ndefault login anon password z\n',
      1,
      ['default'],
    ],
  ])('%s', (_l, text, line, remaining) => {
    const out = removeNetrcEntry(text, line);
    expect(parseNetrc(out).map((e) => e.machine)).toEqual(remaining);
    expect(out).not.toContain('bitbucket.org');
  });
  it('leaves the text alone when the line holds no machine keyword', () => {
    const text = 'machine a login b password c\n';
    expect(removeNetrcEntry(text, 3)).toBe(text);
  });
});

describe('setComposerHttpBasic', () => {
  const host = 'bitbucket.org';
  it('replaces the entry and keeps every other key, in the indentation the file uses', () => {
    const text =
      '{\n  "http-basic": {\n    "bitbucket.org": {"username": "alice", "password": "old"},\n    "repo.example.com": {"username": "u", "password": "p"}\n  },\n  "github-oauth": {"github.com": "g"}\n}\n';
    const out = setComposerHttpBasic(text, host, 'alice@example.com', 'NEW')!;
    expect(JSON.parse(out)).toEqual({
      'http-basic': {
        'bitbucket.org': { username: 'alice@example.com', password: 'NEW' },
        'repo.example.com': { username: 'u', password: 'p' },
      },
      'github-oauth': { 'github.com': 'g' },
    });
    expect(out).toMatch(/^\{\n {2}"http-basic"/);
    expect(out.endsWith('}\n')).toBe(true);
  });
  it('adds the section to a file without one, four spaces as Composer writes', () => {
    const out = setComposerHttpBasic('{}', host, 'e@x', 'T')!;
    expect(JSON.parse(out)).toEqual({
      'http-basic': { 'bitbucket.org': { username: 'e@x', password: 'T' } },
    });
    expect(out).toContain('\n    "http-basic"');
    expect(out.endsWith('\n')).toBe(false);
  });
  it.each([['not json'], ['[1]'], ['null'], ['"s"']])('leaves %j alone (undefined)', (text) =>
    expect(setComposerHttpBasic(text, host, 'e', 'T')).toBeUndefined(),
  );
});
