/**
 * Offline secret classification (facts §4.6): kind by prefix and shape, CRC-32 tail check, and paste damage
 * (whitespace, newlines, quotes, percent-encoding, stray characters). A candidate repair is only offered when
 * it passes the checksum: a CRC-32 match by accident is a 1 in 4 billion event, so a repaired value is almost
 * surely the token the user meant, while anything short of that stays a guess we do not make for them.
 */
import type { CredentialKind } from '../model.js';
import { hasPercentEscape, percentDecode } from '../parse/percent.js';
import { APP_PASSWORD_LENGTH, EXPECTED_TOKEN_LENGTH, hasValidChecksum } from '../token/format.js';

export type Problem =
  | 'whitespace'
  | 'newline'
  | 'quotes'
  | 'percent-encoded'
  | 'double-encoded'
  | 'checksum'
  | 'unexpected-length'
  | 'stray-characters';

export interface SecretClass {
  kind: CredentialKind;
  /** `none` = this kind has no checksum. */
  checksum: 'valid' | 'invalid' | 'none';
  /** Empty = clean. */
  problems: Problem[];
  /** The value after undoing obvious paste damage, only when that yields a checksum-valid token. */
  repaired?: string;
  /** Length of the secret after the damage is undone (raw length for `unknown`). */
  length: number;
}

// Leftmost-longest token inside a damaged value; ATATT/ATCTT before ATBB so one never eats the other.
const TOKEN_IN_TEXT = /AT(?:ATT|CTT)[A-Za-z0-9_=-]{15,}|ATBB[A-Za-z0-9]{16,}|BBDC-[A-Za-z0-9+/@_-]{16,}/;
const TOKEN_LIKE = /^(?:AT(?:ATT|CTT)[A-Za-z0-9_=-]{15,}|ATBB[A-Za-z0-9]{16,}|BBDC-[A-Za-z0-9+/@_-]{16,})/;
// Zero-width and soft-hyphen characters survive copy/paste from web pages and chat, invisibly.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');
const QUOTES = `"'\`\u2018\u2019\u201C\u201D`;
const LEGACY = [/^[A-Za-z0-9]{20}$/, /^[A-Za-z0-9]{24}$/];

/** The kind a clean value's prefix announces, before any checksum test. */
function kindOf(value: string): CredentialKind {
  if (value.startsWith('ATATT')) return 'api-token';
  if (value.startsWith('ATCTT')) return 'access-token';
  if (value.startsWith('ATBB')) return 'app-password';
  if (value.startsWith('BBDC-')) return 'datacenter-token';
  if (LEGACY.some((re) => re.test(value))) return 'legacy-secret';
  return 'unknown';
}

/** Lengths seen in every real sample; other lengths are fine when the checksum holds (facts §4.2). */
export function expectedLength(kind: CredentialKind): number | undefined {
  if (kind === 'api-token' || kind === 'access-token') return EXPECTED_TOKEN_LENGTH;
  if (kind === 'app-password') return APP_PASSWORD_LENGTH;
  return undefined;
}

function stripQuotes(s: string): { value: string; changed: boolean } {
  let value = s;
  while (value.length > 0 && (QUOTES.includes(value[0]!) || QUOTES.includes(value.at(-1)!))) {
    value = value.replace(new RegExp(`^[${QUOTES}]|[${QUOTES}]$`, 'g'), '');
  }
  return { value, changed: value !== s };
}

/** Undoes one or two layers of percent-encoding, saying which it was. */
function decodeLayers(s: string): { value: string; problem?: Problem } {
  if (!hasPercentEscape(s)) return { value: s };
  const once = percentDecode(s);
  if (/%25[0-9A-Fa-f]{2}/.test(s) && hasPercentEscape(once)) {
    return { value: percentDecode(once), problem: 'double-encoded' };
  }
  return { value: once, problem: 'percent-encoded' };
}

/** Classifies a secret as pasted, stored or typed. Pure; never throws. */
export function classifySecret(raw: string): SecretClass {
  const problems = new Set<Problem>();
  if (/[\r\n]/.test(raw)) problems.add('newline');
  if (/[^\S\r\n]/.test(raw.replace(INVISIBLE_ALL, ''))) problems.add('whitespace');
  if (INVISIBLE.test(raw)) problems.add('stray-characters');
  let value = raw.replace(INVISIBLE_ALL, '').replace(/\s+/g, '');
  const unquoted = stripQuotes(value);
  if (unquoted.changed) problems.add('quotes');
  value = unquoted.value;
  const decoded = decodeLayers(value);
  value = decoded.value;

  const found = TOKEN_IN_TEXT.exec(value);
  let token = found ? found[0] : value;
  if (found && token !== value) problems.add('stray-characters');
  let kind = kindOf(token);
  // Twenty letters and digits split by spaces is a passphrase, not a legacy secret that lost its spaces.
  if (kind === 'legacy-secret' && /\s/.test(raw.trim())) kind = 'unknown';

  if (kind === 'unknown') return classifyUnknown(raw);
  if (decoded.problem) problems.add(decoded.problem);

  if (kind === 'api-token' || kind === 'access-token' || kind === 'app-password') {
    let valid = hasValidChecksum(token);
    if (!valid) {
      // Characters dropped into the middle (a pasted bullet, a non-ASCII look-alike) split the match above.
      const scrubbed = value.replace(/[^A-Za-z0-9_=-]/g, '');
      const again = TOKEN_IN_TEXT.exec(scrubbed)?.[0];
      if (again && again !== token && hasValidChecksum(again)) {
        token = again;
        valid = true;
        problems.add('stray-characters');
      }
    }
    if (!valid) {
      problems.add('checksum');
      if (token.length !== expectedLength(kind)) problems.add('unexpected-length');
    }
    const result: SecretClass = {
      kind,
      checksum: valid ? 'valid' : 'invalid',
      problems: [...problems],
      length: token.length,
    };
    if (valid && token !== raw) result.repaired = token;
    return result;
  }
  return { kind, checksum: 'none', problems: [...problems], length: token.length };
}

/**
 * Passwords and OAuth tokens may legitimately hold spaces, quotes or '%': only damage that can never be part
 * of a secret sent by git (a newline) or is almost always a paste slip (whitespace at either end) is reported.
 */
function classifyUnknown(raw: string): SecretClass {
  const problems: Problem[] = [];
  if (/[\r\n]/.test(raw)) problems.push('newline');
  if (/^[^\S\r\n]|[^\S\r\n]$/.test(raw)) problems.push('whitespace');
  return { kind: 'unknown', checksum: 'none', problems, length: raw.length };
}

/** True when the value starts like an Atlassian/Bitbucket token (for "token in the username field"). */
export function isTokenLike(raw: string): boolean {
  return TOKEN_LIKE.test(raw.trim());
}
