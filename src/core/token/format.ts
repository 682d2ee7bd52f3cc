import { crc32Hex } from './crc32.js';

/**
 * The shapes of Bitbucket Cloud secrets (facts §4). Minting lives here too: the emulator and the tests need
 * tokens that pass the same checksum the classifier checks, and real tokens never enter the repository.
 */

export const API_TOKEN_PREFIX = 'ATATT3xFfGF0';
export const ACCESS_TOKEN_PREFIX = 'ATCTT3xFfGN0';
export const APP_PASSWORD_PREFIX = 'ATBB';
/** Length of every API and access token seen in public samples; expected, not required (facts §4.2). */
export const EXPECTED_TOKEN_LENGTH = 192;
export const APP_PASSWORD_LENGTH = 36;

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A source of random integers in [0, n); injectable so tests can mint deterministic tokens. */
export type RandomInt = (n: number) => number;

const mathRandom: RandomInt = (n) => Math.floor(Math.random() * n);

function randomString(alphabet: string, length: number, random: RandomInt): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[random(alphabet.length)];
  return s;
}

/** Appends the CRC-32 checksum tail to a token body. */
export function withChecksum(body: string): string {
  return body + crc32Hex(body);
}

/** True when the last 8 characters are the uppercase-hex CRC-32 of the rest. */
export function hasValidChecksum(token: string): boolean {
  if (token.length <= 8) return false;
  const tail = token.slice(-8);
  return /^[0-9A-F]{8}$/.test(tail) && crc32Hex(token.slice(0, -8)) === tail;
}

export type MintableKind = 'api-token' | 'access-token' | 'app-password';

/** Mints a synthetic secret in the real format, with a valid checksum. Not a real credential. */
export function mintSecret(kind: MintableKind, random: RandomInt = mathRandom): string {
  switch (kind) {
    case 'api-token':
      return withChecksum(`${API_TOKEN_PREFIX}${randomString(URLSAFE, 171, random)}=`);
    case 'access-token':
      return withChecksum(`${ACCESS_TOKEN_PREFIX}${randomString(URLSAFE, 171, random)}=`);
    case 'app-password':
      return withChecksum(`${APP_PASSWORD_PREFIX}${randomString(ALNUM, 24, random)}`);
  }
}
