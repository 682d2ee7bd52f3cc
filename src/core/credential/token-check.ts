/**
 * Is this pasted value a token bbauth should store? Pure: the answer names what is wrong and what to do.
 * Paste damage with a checksum-proven repair (stray whitespace, quotes, URL-encoding) is undone, with a note;
 * anything else is refused before a single byte is stored.
 */
import { classifySecret, type SecretClass } from './secret-class.js';
import { judgeSecret } from './verdict.js';
import { NEW_TOKEN_ADVICE } from '../token/new-token.js';
import { fingerprint } from '../redact.js';

export type TokenCheck =
  | { ok: true; secret: string; class: SecretClass; notes: string[] }
  | { ok: false; message: string; nextSteps: string[] };

const CREATE = `${NEW_TOKEN_ADVICE}.`;

/** Checks a candidate token offline. */
export function checkNewToken(raw: string): TokenCheck {
  // A trailing newline from `echo … |` or a file is how tokens normally arrive: not worth a note.
  const value = raw.replace(/\r?\n$/, '');
  if (value.length === 0)
    return { ok: false, message: 'no token was given (the input was empty).', nextSteps: [CREATE] };
  let c = classifySecret(value);
  let v = judgeSecret(c);
  let secret = value;
  const notes: string[] = [];
  if (!v.usable && v.repair) {
    notes.push(
      `removed paste damage (${v.repair.damage.join(', ')}); the cleaned value passes the checksum.`,
    );
    secret = v.repair.value;
    c = classifySecret(secret);
    v = judgeSecret(c);
  }
  const fp = fingerprint(secret);
  switch (v.unusable) {
    case undefined:
      return { ok: true, secret, class: c, notes };
    case 'checksum':
      return {
        ok: false,
        message: `the token's checksum does not match (${fp}): it was truncated, mistyped or altered when copied${c.length < 192 ? ` (${c.length} of the usual 192 characters)` : ''}.`,
        nextSteps: [
          'Copy the token again in full (the copy button on the token page), or create a new one.',
          CREATE,
        ],
      };
    case 'damaged':
      return {
        ok: false,
        message: `the value has stray characters (${c.problems.join(', ')}): ${fp}.`,
        nextSteps: ['Paste the token alone, with nothing around it.'],
      };
    case 'app-password':
      return {
        ok: false,
        message: `this is a Bitbucket app password (${fp}); app passwords were removed on 2026-07-28 (CHANGE-3222).`,
        nextSteps: [CREATE],
      };
    case 'datacenter-token':
      return {
        ok: false,
        message: `this is a Bitbucket Data Center token (${fp}); Bitbucket Cloud does not accept it.`,
        nextSteps: [CREATE],
      };
    case 'legacy-secret':
      return {
        ok: false,
        message: `this looks like an old-style app password or Atlassian token (${fp}); both are retired.`,
        nextSteps: [CREATE],
      };
    case 'not-a-token':
      return {
        ok: false,
        message: `this is not a Bitbucket Cloud API token (ATATT…) or access token (ATCTT…): ${fp}.`,
        nextSteps: ['Account passwords and OAuth tokens cannot be stored with bbauth login.', CREATE],
      };
  }
}
