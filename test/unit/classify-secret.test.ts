import { describe, expect, it } from 'vitest';
import {
  classifySecret,
  isTokenLike,
  type Problem,
  type SecretClass,
} from '../../src/core/credential/secret-class.js';
import type { CredentialKind } from '../../src/core/model.js';
import { mintSecret, withChecksum, type MintableKind } from '../../src/core/token/format.js';

// Minted at run time: no checksum-valid token is ever committed.
const api = mintSecret('api-token');
const access = mintSecret('access-token');
const app = mintSecret('app-password');
const TOKENS: [MintableKind, string][] = [
  ['api-token', api],
  ['access-token', access],
  ['app-password', app],
];

/** Changes one character in the middle to another of the same alphabet. */
function flip(t: string, at = 20): string {
  return t.slice(0, at) + (t[at] === 'a' ? 'b' : 'a') + t.slice(at + 1);
}

describe('classifySecret: clean tokens', () => {
  it.each(TOKENS)('%s minted token is clean', (kind, token) => {
    expect(classifySecret(token)).toEqual<SecretClass>({
      kind,
      checksum: 'valid',
      problems: [],
      length: token.length,
    });
  });

  it('accepts other lengths when the checksum holds (Atlassian: lengths vary)', () => {
    const short = withChecksum(`ATATT3xFfGF0${'a'.repeat(50)}=`);
    const long = withChecksum(`ATCTT3xFfGN0${'Zz9_-'.repeat(60)}=`);
    expect(classifySecret(short)).toEqual({ kind: 'api-token', checksum: 'valid', problems: [], length: 71 });
    expect(classifySecret(long).problems).toEqual([]);
    expect(classifySecret(long).kind).toBe('access-token');
  });
});

// Each damage applied to each kind: [name, damage, expected problems, repairable]
const DAMAGE: [string, (t: string) => string, Problem[], boolean][] = [
  ['trailing newline', (t) => `${t}\n`, ['newline'], true],
  ['trailing CRLF', (t) => `${t}\r\n`, ['newline'], true],
  ['leading and trailing spaces', (t) => `  ${t} `, ['whitespace'], true],
  ['tab', (t) => `\t${t}`, ['whitespace'], true],
  ['non-breaking space', (t) => `${t}\u00A0`, ['whitespace'], true],
  ['wrapped across lines', (t) => `${t.slice(0, 20)}\n${t.slice(20)}`, ['newline'], true],
  ['space inside', (t) => `${t.slice(0, 10)} ${t.slice(10)}`, ['whitespace'], true],
  ['double quotes', (t) => `"${t}"`, ['quotes'], true],
  ['single quotes', (t) => `'${t}'`, ['quotes'], true],
  ['backticks', (t) => `\`${t}\``, ['quotes'], true],
  ['typographic quotes', (t) => `\u201C${t}\u201D`, ['quotes'], true],
  ['one stray quote', (t) => `${t}"`, ['quotes'], true],
  ['quotes and newline', (t) => `"${t}"\n`, ['newline', 'quotes'], true],
  ['zero-width space inside', (t) => `${t.slice(0, 30)}\u200B${t.slice(30)}`, ['stray-characters'], true],
  ['BOM in front', (t) => `\uFEFF${t}`, ['stray-characters'], true],
  ['angle brackets', (t) => `<${t}>`, ['stray-characters'], true],
  ['label in front', (t) => `token:${t}`, ['stray-characters'], true],
  ['trailing semicolon', (t) => `${t};`, ['stray-characters'], true],
  ['bullet inside', (t) => `${t.slice(0, 40)}•${t.slice(40)}`, ['stray-characters'], true],
  ['truncated by one', (t) => t.slice(0, -1), ['checksum', 'unexpected-length'], false],
  ['first half only', (t) => t.slice(0, Math.floor(t.length / 2)), ['checksum', 'unexpected-length'], false],
  [
    'one character dropped in the middle',
    (t) => t.slice(0, 15) + t.slice(16),
    ['checksum', 'unexpected-length'],
    false,
  ],
  ['one character changed', (t) => flip(t), ['checksum'], false],
  ['tail lower-cased', (t) => t.slice(0, -8) + t.slice(-8).toLowerCase(), ['checksum'], false],
  ['extra character appended', (t) => `${t}X`, ['checksum', 'unexpected-length'], false],
  ['truncated and quoted', (t) => `"${t.slice(0, -2)}"`, ['quotes', 'checksum', 'unexpected-length'], false],
];

describe.each(TOKENS)('classifySecret: paste damage on a %s', (kind, token) => {
  it.each(DAMAGE)('%s', (_name, damage, problems, repairable) => {
    const damaged = damage(token);
    if (damaged === token) return; // e.g. lower-casing an all-digit tail changes nothing
    const c = classifySecret(damaged);
    expect(c.kind).toBe(kind);
    expect([...c.problems].sort()).toEqual([...problems].sort());
    expect(c.checksum).toBe(repairable ? 'valid' : 'invalid');
    expect(c.repaired).toBe(repairable ? token : undefined);
    if (repairable) expect(c.length).toBe(token.length);
  });
});

describe('classifySecret: percent-encoding (API and access tokens carry a "=")', () => {
  it.each<[string, string]>([
    ['api-token', api],
    ['access-token', access],
  ])('%s', (kind, token) => {
    const once = token.replace('=', '%3D');
    const onceLower = token.replace('=', '%3d');
    const twice = token.replace('=', '%253D');
    expect(classifySecret(once)).toMatchObject({
      kind,
      checksum: 'valid',
      problems: ['percent-encoded'],
      repaired: token,
    });
    expect(classifySecret(onceLower)).toMatchObject({ problems: ['percent-encoded'], repaired: token });
    expect(classifySecret(twice)).toMatchObject({
      kind,
      checksum: 'valid',
      problems: ['double-encoded'],
      repaired: token,
    });
    expect(classifySecret(encodeURIComponent(token))).toMatchObject({
      problems: ['percent-encoded'],
      repaired: token,
    });
    expect(classifySecret(`"${once}"\n`).problems.sort()).toEqual(['newline', 'percent-encoded', 'quotes']);
    const truncatedEncoded = once.slice(0, -1);
    expect(classifySecret(truncatedEncoded)).toMatchObject({
      kind,
      checksum: 'invalid',
      problems: expect.arrayContaining(['percent-encoded', 'checksum', 'unexpected-length']),
    });
    expect(classifySecret(truncatedEncoded).repaired).toBeUndefined();
  });
});

describe('classifySecret: other kinds', () => {
  it.each<[string, string, CredentialKind, Problem[]]>([
    ['20 alphanumerics (old app password)', 'aB3dE5gH7jK9mN1pQ3sT', 'legacy-secret', []],
    ['24 chars, old Atlassian token shape', 'abcdefghij0123456789ab12', 'legacy-secret', []],
    ['24 mixed case', 'ABCdefGHIjklMNOpqrSTUvwx', 'legacy-secret', []],
    ['legacy with newline', 'aB3dE5gH7jK9mN1pQ3sT\n', 'legacy-secret', ['newline']],
    ['legacy in quotes', '"aB3dE5gH7jK9mN1pQ3sT"', 'legacy-secret', ['quotes']],
    ['passphrase of 20 letters split by spaces', 'correct horse batter y', 'unknown', []],
    ['Data Center token', `BBDC-${'A1b2C3d4E5'.repeat(4)}x`, 'datacenter-token', []],
    ['Data Center token with newline', `BBDC-${'A1b2C3d4E5'.repeat(4)}\n`, 'datacenter-token', ['newline']],
    ['account password', 'hunter2!', 'unknown', []],
    ['password with spaces inside is legitimate', 'my secret pass', 'unknown', []],
    ['password with % is legitimate', 'p%40ss%', 'unknown', []],
    ['password in quotes is left alone', '"hunter2"', 'unknown', []],
    ['password with trailing newline', 'hunter2\n', 'unknown', ['newline']],
    ['password with leading space', ' hunter2', 'unknown', ['whitespace']],
    ['19 alphanumerics', 'aB3dE5gH7jK9mN1pQ3s', 'unknown', []],
    ['21 alphanumerics', 'aB3dE5gH7jK9mN1pQ3sTu', 'unknown', []],
    ['UUID', '123e4567-e89b-12d3-a456-426614174000', 'unknown', []],
    ['empty', '', 'unknown', []],
    ['only whitespace', ' \n', 'unknown', ['newline', 'whitespace']],
    ['lower-case token prefix is not a token', `atatt3xffgf0${'a'.repeat(40)}`, 'unknown', []],
    ['a word merely containing ATBB', 'myATBBpass', 'unknown', []],
  ])('%s', (_name, raw, kind, problems) => {
    const c = classifySecret(raw);
    expect(c.kind).toBe(kind);
    expect([...c.problems].sort()).toEqual([...problems].sort());
    expect(c.checksum).toBe('none');
    expect(c.repaired).toBeUndefined();
  });

  it('reports the cleaned length, or the raw length for unknown secrets', () => {
    expect(classifySecret('"aB3dE5gH7jK9mN1pQ3sT"\n').length).toBe(20);
    expect(classifySecret('hunter2\n').length).toBe(8);
  });
});

describe('classifySecret: prefix-only and fake tokens', () => {
  it.each<[string, string, CredentialKind, Problem[]]>([
    [
      'bare ATATT prefix (pasted far too short)',
      'ATATT3xFfGF0',
      'api-token',
      ['checksum', 'unexpected-length'],
    ],
    ['ATATT with made-up tail', `ATATT3xFfGF0${'x'.repeat(171)}=DEADBEEF`, 'api-token', ['checksum']],
    ['ATCTT short fake', `ATCTT3xFfGN0${'x'.repeat(20)}`, 'access-token', ['checksum', 'unexpected-length']],
    ['ATBB fake of right length', `ATBB${'a'.repeat(24)}ABCDEF12`, 'app-password', ['checksum']],
    ['ATBB with non-hex tail', `ATBB${'a'.repeat(32)}`, 'app-password', ['checksum']],
  ])('%s', (_name, raw, kind, problems) => {
    const c = classifySecret(raw);
    expect(c.kind).toBe(kind);
    expect([...c.problems].sort()).toEqual([...problems].sort());
    if (kind !== 'unknown') expect(c.checksum).toBe('invalid');
  });

  it('finds the token after a Bearer prefix and repairs it', () => {
    expect(classifySecret(`Bearer ${api}`)).toMatchObject({
      kind: 'api-token',
      checksum: 'valid',
      repaired: api,
      problems: expect.arrayContaining(['stray-characters', 'whitespace']),
    });
  });

  it('never throws on odd input', () => {
    for (const raw of ['%', '%%%', '%E0%A4%A', '\0', '"', '\u200B', 'ATATT%3', `${api}%`, '\uD800']) {
      expect(() => classifySecret(raw)).not.toThrow();
    }
  });
});

describe('isTokenLike', () => {
  it.each<[string, boolean]>([
    [api, true],
    [access, true],
    [app, true],
    [api.slice(0, 30), true],
    [` ${api}\n`, true],
    [`BBDC-${'a'.repeat(40)}`, true],
    ['ATATT', false],
    ['ATBBob', false],
    ['jdoe', false],
    ['x-bitbucket-api-token-auth', false],
    ['x-token-auth', false],
    ['me@example.com', false],
    ['', false],
  ])('%j → %j', (raw, out) => {
    expect(isTokenLike(raw)).toBe(out);
  });
});
