import { describe, expect, it } from 'vitest';
import { parseSize, repeatedFlag } from '../../src/cli/commands/scan.js';
import { UsageError } from '../../src/core/errors.js';

describe('scan flags', () => {
  it.each([
    ['1048576', 1048576],
    ['1M', 1048576],
    ['512k', 524288],
    ['2MiB', 2097152],
    ['1g', 1073741824],
  ])('--max-file-size %s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
  it('rejects a size that is not one', () => {
    expect(() => parseSize('lots')).toThrow(UsageError);
  });
  it('--exclude is repeatable in both spellings, and stops at --', () => {
    expect(repeatedFlag(['--exclude', 'a', 'p', '--exclude=b', '--', '--exclude', 'c'], 'exclude')).toEqual([
      'a',
      'b',
    ]);
  });
});
