/**
 * The pure parts of `bbauth rotate`: which found token the new one replaces, and the text edit that replaces
 * it in a file, in whatever form the file holds it (as is, or percent-encoded the way git's store and URLs
 * write it).
 */
import { fingerprint } from './redact.js';
import type { CredentialKind } from './model.js';

/** One secret found on the machine, with the places it lives. */
export interface FoundSecret {
  secret: string;
  kind: CredentialKind;
  /** Where: `file:line` or `helper (username x)`, for messages. */
  places: string[];
}

export type OldChoice = { ok: true; old: FoundSecret } | { ok: false; message: string; nextSteps: string[] };

/** `ATATT3…A1B2`, with `...` accepted for `…` and the `(192 chars)` part optional. */
function sameFingerprint(given: string, secret: string): boolean {
  const want = given.trim().replace(/\.\.\./g, '…');
  const fp = fingerprint(secret);
  return fp === want || fp.split(' ')[0] === want;
}

/**
 * The token to replace: the one named by `old` (its fingerprint as bbauth prints it), or, without it, the only
 * token of the new one's kind that was found. Never the new token itself.
 */
export function chooseOld(
  found: readonly FoundSecret[],
  newSecret: string,
  kind: CredentialKind,
  old?: string,
): OldChoice {
  const others = found.filter((f) => f.secret !== newSecret);
  const list = (xs: readonly FoundSecret[]) =>
    xs.map((f) => `${fingerprint(f.secret)}: ${f.places.length} place(s), e.g. ${f.places[0]}`);
  if (old !== undefined) {
    const named = others.filter((f) => sameFingerprint(old, f.secret));
    if (named.length === 1) return { ok: true, old: named[0]! };
    return named.length === 0
      ? {
          ok: false,
          message: `no token with fingerprint ${old} was found on this machine.`,
          nextSteps:
            others.length > 0 ? ['Tokens found:', ...list(others)] : ['Nothing to rotate was found.'],
        }
      : {
          ok: false,
          message: `more than one token matches ${old} (a short secret's fingerprint is not unique).`,
          nextSteps: list(named),
        };
  }
  const sameKind = others.filter((f) => f.kind === kind);
  if (sameKind.length === 1) return { ok: true, old: sameKind[0]! };
  return sameKind.length === 0
    ? {
        ok: false,
        message: `found no other ${kind === 'access-token' ? 'access token' : 'API token'} to replace.`,
        nextSteps: [
          ...(others.length > 0 ? ['Other secrets found (name one with --old):', ...list(others)] : []),
          'To store a first token, use `bbauth login`.',
        ],
      }
    : {
        ok: false,
        message: `found ${sameKind.length} ${kind === 'access-token' ? 'access tokens' : 'API tokens'}; say which one the new token replaces.`,
        nextSteps: [...list(sameKind), 'Run again with --old <fingerprint>.'],
      };
}

/** The forms a file may hold a secret in: as is, and percent-encoded with upper- or lower-case hex. */
function forms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return [secret, encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())];
}

/** `text` with every occurrence of `old` (in each form) replaced by `next` in the same form; and how many. */
export function replaceSecret(text: string, old: string, next: string): { text: string; count: number } {
  const news = forms(next);
  const pairs = forms(old)
    .map((o, i) => [o, news[i]!] as const)
    .filter(([o], i, all) => all.findIndex(([x]) => x === o) === i)
    // Longest first, so the raw form never matches inside an encoded one.
    .sort((a, b) => b[0].length - a[0].length);
  let count = 0;
  let out = text;
  for (const [o, n] of pairs) {
    const parts = out.split(o);
    count += parts.length - 1;
    out = parts.join(n);
  }
  return { text: out, count };
}
