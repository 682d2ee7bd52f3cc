import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from '../../src/core/token/crc32.js';
import { hasValidChecksum, mintSecret, withChecksum } from '../../src/core/token/format.js';
import { crc32 as zlibCrc32 } from 'node:zlib';

describe('crc32', () => {
  it.each(['', 'a', 'ATATT3xFfGF0', '123456789', 'The quick brown fox jumps over the lazy dog'])(
    'matches zlib for %j',
    (s) => {
      expect(crc32(s)).toBe(zlibCrc32(s));
    },
  );
  it('has the standard check value', () => {
    expect(crc32Hex('123456789')).toBe('CBF43926');
  });
});

describe('mintSecret', () => {
  it('mints API tokens in the observed shape with a valid checksum', () => {
    const t = mintSecret('api-token');
    expect(t).toMatch(/^ATATT3xFfGF0[A-Za-z0-9_-]{171}=[0-9A-F]{8}$/);
    expect(t).toHaveLength(192);
    expect(hasValidChecksum(t)).toBe(true);
  });
  it('mints access tokens and app passwords in their shapes', () => {
    expect(mintSecret('access-token')).toMatch(/^ATCTT3xFfGN0[A-Za-z0-9_-]{171}=[0-9A-F]{8}$/);
    const ap = mintSecret('app-password');
    expect(ap).toMatch(/^ATBB[A-Za-z0-9]{24}[0-9A-F]{8}$/);
    expect(hasValidChecksum(ap)).toBe(true);
  });
  it('detects a token with one character dropped or changed', () => {
    const t = mintSecret('api-token');
    expect(hasValidChecksum(t.slice(0, 100) + t.slice(101))).toBe(false);
    const flipped = t.slice(0, 50) + (t[50] === 'a' ? 'b' : 'a') + t.slice(51);
    expect(hasValidChecksum(flipped)).toBe(false);
    expect(hasValidChecksum(t.toLowerCase())).toBe(false);
  });
  it('withChecksum appends uppercase hex', () => {
    expect(withChecksum('ATBBabc')).toBe(`ATBBabc${crc32Hex('ATBBabc')}`);
  });
});
