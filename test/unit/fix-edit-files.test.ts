import { describe, expect, it } from 'vitest';
import { removeNetrcEntry, removeStoreLine } from '../../src/core/fix/edit-files.js';
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
