import { describe, expect, it } from 'vitest';
import { checkNewToken } from '../../src/core/credential/token-check.js';
import { mintSecret } from '../../src/core/token/format.js';

describe('checkNewToken', () => {
  const api = mintSecret('api-token');
  const access = mintSecret('access-token');
  it.each([
    ['an API token', api, api],
    ['an API token with a trailing newline', `${api}\n`, api],
    ['an access token', access, access],
    ['an API token with spaces around', `  ${api} `, api],
    ['an API token in quotes', `"${api}"`, api],
    ['an API token with its = percent-encoded', api.replace('=', '%3D'), api],
  ])('accepts %s', (_l, raw, expected) => {
    const r = checkNewToken(raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.secret).toBe(expected);
  });

  it.each([
    ['empty input', '', /empty/],
    ['a truncated token', api.slice(0, 150), /checksum/],
    [
      'a token with a changed character',
      api.slice(0, 20) + (api[20] === 'x' ? 'y' : 'x') + api.slice(21),
      /checksum/,
    ],
    ['an app password', mintSecret('app-password'), /app password/],
    ['a Data Center token', 'BBDC-' + 'a'.repeat(44), /Data Center/],
    ['a legacy 24-char secret', 'a1B2c3D4e5F6g7H8i9J0k1L2', /old-style/],
    ['an account password', 'correct horse battery staple', /not a Bitbucket Cloud API token/],
  ])('refuses %s with a message and next steps, never echoing the secret', (_l, raw, message) => {
    const r = checkNewToken(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(message);
      expect(r.nextSteps.length).toBeGreaterThan(0);
      if (raw.length > 10) expect(r.message + r.nextSteps.join(' ')).not.toContain(raw);
    }
  });
});
