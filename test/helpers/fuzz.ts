/**
 * Property runs with one fixed seed, so a failure in CI replays the same way on a laptop, and a time limit per
 * case: a parser that is fine on average but goes quadratic on one shape of input fails here, not in the field.
 * BBAUTH_FUZZ_RUNS raises (or, while iterating, lowers) the number of cases; CI uses the default.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export { fc };

export const FUZZ_RUNS = Number(process.env.BBAUTH_FUZZ_RUNS ?? 10_000);
export const FUZZ_SEED = 20261203;
/** No single case may take longer than this. */
export const CASE_LIMIT_MS = 1000;

/** Enough time for the runs themselves plus fast-check's shrinking when something fails. */
export const FUZZ_TIMEOUT_MS = 120_000;

/** Checks `predicate` on FUZZ_RUNS cases (it throws or returns false to fail) and that every case was quick. */
export function property<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => boolean | void): void {
  let slowest = 0;
  let runs = 0;
  fc.assert(
    fc.property(arb, (value) => {
      const start = performance.now();
      try {
        return predicate(value);
      } finally {
        slowest = Math.max(slowest, performance.now() - start);
        runs++;
      }
    }),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: false },
  );
  expect(runs).toBeGreaterThanOrEqual(FUZZ_RUNS);
  expect(slowest, 'the slowest case (ms)').toBeLessThan(CASE_LIMIT_MS);
}

/** Strings over `alphabet` (single characters or whole words), up to `maxLength` units. */
export function textOf(alphabet: readonly string[], maxLength = 200): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
}

/** Any text: well-formed Unicode, lone surrogates and control characters included. */
export const anyText = (maxLength = 300): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }));

const LETTERS = [...'abcxyzABCXYZ019'];
/** Characters that mean something to most of our parsers, mixed with letters so structure can form. */
export const PUNCT = [...' \t\r\n"\'\\=:;#@/[]{}<>,.%?&-_+*!~$`|', '\0', '\u00e9', '\u2028', '\u{1F600}'];
export const mixedText = (words: readonly string[] = [], maxLength = 200): fc.Arbitrary<string> =>
  textOf([...LETTERS, ...PUNCT, ...words], maxLength);

/** A string made of the characters of `chars`, `min`..`max` long. */
export const charsOf = (chars: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
