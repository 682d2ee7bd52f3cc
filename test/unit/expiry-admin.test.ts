import { describe, expect, it } from 'vitest';
import { matchByLabel, parseAdminTokens, type ExpiryRecord } from '../../src/core/expiry.js';

describe('parseAdminTokens (GET /users/{account_id}/manage/api-tokens, facts §9)', () => {
  it.each([
    ['a bare array', '[{"label":"ci","id":"1","expiry":"2027-01-01T00:00:00Z","lastAccess":null}]'],
    ['a data envelope', '{"data":[{"label":"ci","id":"1","expiry":"2027-01-01T00:00:00Z"}]}'],
    ['a values envelope', '{"values":[{"label":"ci","id":"1","expiry":"2027-01-01T00:00:00Z"}]}'],
  ])('reads %s', (_name, body) => {
    expect(parseAdminTokens(body)).toEqual([{ label: 'ci', id: '1', expiry: '2027-01-01T00:00:00Z' }]);
  });

  it('drops entries without a label and null expiries', () => {
    expect(parseAdminTokens('[{"id":"x"},{"label":"a","expiry":null},null]')).toEqual([{ label: 'a' }]);
  });

  it.each(['', 'not json', '{"error":"x"}', '42'])('undefined for %j', (body) => {
    expect(parseAdminTokens(body)).toBeUndefined();
  });
});

describe('matchByLabel', () => {
  const rec = (label: string | undefined, kind: ExpiryRecord['kind'] = 'api-token'): ExpiryRecord => ({
    fingerprint: 'fp',
    kind,
    host: 'bitbucket.org',
    ...(label ? { label } : {}),
  });

  it('matches API token records by exact label, leaving duplicates, unlabelled and access tokens alone', () => {
    const records = [
      rec('ci'),
      rec(undefined),
      rec('dup'),
      rec('ci', 'access-token'),
      rec('CI'),
      rec('none'),
    ];
    const tokens = [
      { label: 'ci', expiry: '2027-01-01T00:00:00Z' },
      { label: 'dup', expiry: '2027-01-01T00:00:00Z' },
      { label: 'dup', expiry: '2027-02-01T00:00:00Z' },
      { label: 'none' },
      { label: 'other', expiry: '2027-01-01T00:00:00Z' },
    ];
    expect(matchByLabel(records, tokens)).toEqual({
      matches: [{ record: 0, label: 'ci', expires: '2027-01-01T00:00:00Z' }],
      ambiguous: ['dup'],
    });
  });

  it('ignores an unreadable expiry', () => {
    expect(matchByLabel([rec('ci')], [{ label: 'ci', expiry: 'soon' }]).matches).toEqual([]);
  });
});
