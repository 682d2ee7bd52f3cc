/**
 * Property tests for what reads and masks free text: scan's detectors and the one redaction function. FUZZ_RUNS
 * cases each, fixed seed. The detectors must never throw or slow down, and must find a real secret wherever it
 * is put; redaction must leave no trace of a secret, whatever text surrounds it.
 */
import { describe, expect, it } from 'vitest';
import { detectInText } from '../../src/core/scan/text-detect.js';
import { redactText } from '../../src/core/redact.js';
import { mintSecret, type MintableKind, type RandomInt } from '../../src/core/token/format.js';
import { anyText, charsOf, fc, FUZZ_TIMEOUT_MS, mixedText, property } from '../helpers/fuzz.js';

/** mulberry32 from a fast-check integer: minted tokens that shrink and replay with the seed. */
function random(seed: number): RandomInt {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
const token = (kinds: readonly MintableKind[] = ['api-token', 'access-token', 'app-password']) =>
  fc.tuple(fc.constantFrom(...kinds), fc.integer()).map(([k, seed]) => mintSecret(k, random(seed)));

const DETECT_WORDS = [
  'bitbucket.org',
  'api.bitbucket.org',
  'https://',
  '://',
  '@',
  ':',
  'BITBUCKET_TOKEN=',
  'bitbucket_password: ',
  'ATATT',
  'ATCTT',
  'ATBB',
  'BBDC-',
  '${',
  '%40',
];
/** Text around a secret that ends at a separator, so the secret's own edges are unambiguous. */
const around = mixedText(DETECT_WORDS, 60).map((s) => `${s}\n`);

describe('scan detectors (fuzzed)', () => {
  it(
    'any text is scanned without throwing; every hit is on a line of the text',
    () => {
      property(fc.oneof(anyText(400), mixedText(DETECT_WORDS, 200)), (text) => {
        const lines = text.split('\n').length;
        for (const h of detectInText(text)) {
          expect(h.line).toBeGreaterThanOrEqual(1);
          expect(h.line).toBeLessThanOrEqual(lines);
          expect(h.secret).not.toBe('');
        }
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a minted token is found wherever it sits: bare, in a URL password, as a URL username, assigned',
    () => {
      const user = charsOf('abcdefghijklmnopqrstuvwxyz-.', 1, 20);
      const form = fc.constantFrom('bare', 'url', 'username', 'assign');
      property(fc.tuple(around, token(), form, user, around), ([before, t, f, u, after]) => {
        const placed = {
          bare: ` ${t} `,
          url: ` https://${u}:${encodeURIComponent(t)}@bitbucket.org/ws/repo.git `,
          username: ` https://${t}@bitbucket.org/ws/repo.git `,
          assign: ` BITBUCKET_API_TOKEN="${t}" `,
        }[f];
        const text = `${before}${placed}\n${after}`;
        const hit = detectInText(text).find((h) => h.secret === t);
        expect(hit, `the token placed ${f}`).toBeDefined();
        expect(hit!.line).toBe(before.split('\n').length);
        if (f === 'url') expect(hit!.username).toBe(u);
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

/** Any secret a user might hold: minted tokens, and passwords of the characters URLs and shells carry. */
const secret = fc.oneof(
  token(),
  charsOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/=@:%!$.', 8, 64),
);
const REDACT_WORDS = [
  'https://',
  'user:',
  '@',
  ':',
  'Authorization: Basic ',
  'Bearer ',
  'password=',
  '\n',
  '%',
  ' ',
];

describe('redaction (fuzzed)', () => {
  it(
    'a secret in any text, any number of times, raw or percent-encoded, leaves no trace',
    () => {
      const ctx = mixedText(REDACT_WORDS, 40);
      const form = fc.constantFrom('raw', 'encoded', 'url-password', 'raw-in-url');
      property(
        fc.tuple(secret, fc.array(fc.tuple(ctx, form), { minLength: 1, maxLength: 4 }), ctx),
        ([s, parts, end]) => {
          const text =
            parts
              .map(([c, f]) =>
                f === 'raw'
                  ? `${c}${s}`
                  : f === 'encoded'
                    ? `${c}${encodeURIComponent(s)}`
                    : f === 'url-password'
                      ? `${c} https://u:${encodeURIComponent(s)}@h/ `
                      : `${c} https://u:${s}@h/ `,
              )
              .join('') + end;
          const out = redactText(text, [s]);
          expect(out).not.toContain(s);
          expect(out).not.toContain(encodeURIComponent(s));
          // Nor any piece of it (8 characters or more) that the surrounding text did not have of its own.
          const contexts = [...parts.map(([c]) => c), end].join('\u0000');
          for (let i = 0; i + 8 <= s.length; i++) {
            const piece = s.slice(i, i + 8);
            if (out.includes(piece)) expect(contexts, `a piece of the secret: ${piece}`).toContain(piece);
          }
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a token-shaped secret nobody named is masked all the same, and the masking is stable',
    () => {
      property(fc.tuple(mixedText(REDACT_WORDS, 40), token(), mixedText(REDACT_WORDS, 40)), ([a, t, b]) => {
        const out = redactText(`${a} ${t} ${b}`);
        expect(out).not.toContain(t);
        expect(redactText(out)).toBe(out);
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'any text comes through without throwing, and text with no secret in it keeps its length class',
    () => {
      property(fc.tuple(anyText(300), fc.array(anyText(12), { maxLength: 3 })), ([text, secrets]) => {
        expect(typeof redactText(text, secrets)).toBe('string');
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});
