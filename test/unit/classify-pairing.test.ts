import { describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_USERNAME,
  API_TOKEN_GIT_USERNAME,
  checkPairing,
  looksLikeEmail,
  type PairingVerdict,
  type Surface,
} from '../../src/core/credential/pairing.js';
import type { CredentialKind } from '../../src/core/model.js';
import { mintSecret } from '../../src/core/token/format.js';

const api = mintSecret('api-token');

type Row = [
  CredentialKind,
  string | undefined,
  Surface,
  boolean,
  PairingVerdict['findingId'],
  string | undefined,
];

describe('checkPairing', () => {
  it.each<Row>([
    // git + API token (facts §1)
    ['api-token', 'jdoe', 'git', true, undefined, undefined],
    ['api-token', API_TOKEN_GIT_USERNAME, 'git', true, undefined, undefined],
    ['api-token', undefined, 'git', true, undefined, undefined],
    ['api-token', '', 'git', true, undefined, undefined],
    ['api-token', 'me@example.com', 'git', false, 'email-as-git-username', API_TOKEN_GIT_USERNAME],
    ['api-token', ' me@example.com ', 'git', false, 'email-as-git-username', API_TOKEN_GIT_USERNAME],
    ['api-token', ACCESS_TOKEN_USERNAME, 'git', false, 'wrong-static-username', API_TOKEN_GIT_USERNAME],
    ['api-token', api, 'git', false, 'token-in-username-field', API_TOKEN_GIT_USERNAME],
    // git + access token (facts §5)
    ['access-token', ACCESS_TOKEN_USERNAME, 'git', true, undefined, undefined],
    ['access-token', undefined, 'git', true, undefined, undefined],
    ['access-token', API_TOKEN_GIT_USERNAME, 'git', false, 'wrong-static-username', ACCESS_TOKEN_USERNAME],
    ['access-token', 'jdoe', 'git', false, 'access-token-username', ACCESS_TOKEN_USERNAME],
    ['access-token', 'me@example.com', 'git', false, 'access-token-username', ACCESS_TOKEN_USERNAME],
    ['access-token', 'X-Token-Auth', 'git', false, 'access-token-username', ACCESS_TOKEN_USERNAME],
    [
      'access-token',
      mintSecret('access-token'),
      'git',
      false,
      'token-in-username-field',
      ACCESS_TOKEN_USERNAME,
    ],
    // git + app password: dead anyway, only the email and a token in the username are called out
    ['app-password', 'jdoe', 'git', true, undefined, undefined],
    ['app-password', 'me@example.com', 'git', false, 'email-as-git-username', API_TOKEN_GIT_USERNAME],
    ['app-password', mintSecret('app-password'), 'git', false, 'token-in-username-field', undefined],
    // no offline rule for the rest
    ['unknown', 'me@example.com', 'git', true, undefined, undefined],
    ['unknown', ACCESS_TOKEN_USERNAME, 'git', true, undefined, undefined],
    ['legacy-secret', 'jdoe', 'git', true, undefined, undefined],
    ['datacenter-token', 'jdoe', 'git', true, undefined, undefined],
    ['unknown', api, 'git', false, 'token-in-username-field', undefined],
    // REST (facts §2)
    ['api-token', 'me@example.com', 'rest', true, undefined, undefined],
    ['api-token', 'jdoe', 'rest', false, 'rest-username-not-email', undefined],
    ['api-token', API_TOKEN_GIT_USERNAME, 'rest', false, 'rest-username-not-email', undefined],
    ['api-token', ACCESS_TOKEN_USERNAME, 'rest', false, 'rest-username-not-email', undefined],
    ['api-token', undefined, 'rest', true, undefined, undefined],
    ['api-token', api, 'rest', false, 'token-in-username-field', undefined],
    ['access-token', ACCESS_TOKEN_USERNAME, 'rest', true, undefined, undefined],
    ['access-token', 'me@example.com', 'rest', false, 'access-token-username', ACCESS_TOKEN_USERNAME],
    ['app-password', 'jdoe', 'rest', true, undefined, undefined],
    ['unknown', 'jdoe', 'rest', true, undefined, undefined],
  ])('%s + %j on %s → ok=%j %s', (kind, username, surface, ok, findingId, suggested) => {
    const v = checkPairing(kind, username, surface);
    expect(v.ok).toBe(ok);
    expect(v.findingId).toBe(findingId);
    expect(v.suggestedUsername).toBe(suggested);
    if (!ok) expect(v.reason).toBeTruthy();
  });

  it('never repeats a token-like username in its reason', () => {
    const v = checkPairing('api-token', api, 'git');
    expect(v.reason).not.toContain(api.slice(0, 12));
  });
});

describe('looksLikeEmail', () => {
  it.each<[string, boolean]>([
    ['me@example.com', true],
    ['first.last+tag@sub.example.co.uk', true],
    ['52c16467c5f19101ff2061cc@bots.bitbucket.org', true],
    [' me@example.com ', true],
    ['me@localhost', true],
    ['jdoe', false],
    ['@example.com', false],
    ['me@', false],
    ['a@b@c', false],
    ['me @example.com', false],
    ['', false],
  ])('%j → %j', (s, out) => {
    expect(looksLikeEmail(s)).toBe(out);
  });
});
