/** Synthetic secrets of every shape, minted at run time (deterministically), and the leak check that looks for them. */
import { mintSecret, type RandomInt } from './core.js';

const minted = new Set<string>();
let seed = 0x5eed;

/** mulberry32: a tiny deterministic RandomInt, so a failing row fails the same way twice. */
function nextRandom(): RandomInt {
  let a = (seed = (seed + 0x9e3779b9) >>> 0);
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function keep(secret: string): string {
  minted.add(secret);
  return secret;
}

function randomFrom(alphabet: string, length: number): string {
  const random = nextRandom();
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[random(alphabet.length)];
  return s;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Fresh secrets of every shape bbauth knows; each is remembered so leak checks can look for it. */
export const secrets = {
  /** `ATATT…`, checksum valid. */
  api: (): string => keep(mintSecret('api-token', nextRandom())),
  /** `ATCTT…`, checksum valid. */
  access: (): string => keep(mintSecret('access-token', nextRandom())),
  /** `ATBB…`, checksum valid. */
  app: (): string => keep(mintSecret('app-password', nextRandom())),
  /** A minted secret with its last `by` characters cut off: the checksum no longer matches. */
  truncated: (kind: 'api-token' | 'access-token' | 'app-password' = 'api-token', by = 1): string =>
    keep(mintSecret(kind, nextRandom()).slice(0, -by)),
  /** A bare 20 (or 24) character alphanumeric secret. */
  legacy: (length: 20 | 24 = 20): string => keep(randomFrom(ALNUM, length)),
  /** A Bitbucket Data Center token. */
  datacenter: (): string => keep(`BBDC-${randomFrom(ALNUM, 44)}`),
  /** Something no rule can classify offline (an account password, an OAuth token…). */
  password: (): string => keep(`horse-battery-${randomFrom(ALNUM, 10)}`),
};

/** Every secret the rows minted, for leak checks. */
export function mintedSecrets(): string[] {
  return [...minted];
}

/** The first minted secret that appears in `value` once serialised, or undefined. */
export function leakedSecret(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return mintedSecrets().find((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
}
