import { describe, expect, it } from 'vitest';
import {
  expiryFindings,
  expiryStatus,
  expiryUnixSeconds,
  formatExpiry,
  knownExpiry,
  parseExpiry,
  type ExpiryRecord,
} from '../../src/core/expiry.js';
import { CATALOGUE } from '../../src/core/findings/catalogue.js';

describe('parseExpiry: a date is the end of that day in UTC; timestamps keep their offset', () => {
  it.each([
    ['2027-01-15', '2027-01-15T23:59:59.999Z'],
    [' 2027-01-15 ', '2027-01-15T23:59:59.999Z'],
    ['2028-02-29', '2028-02-29T23:59:59.999Z'],
    ['2027-01-15T09:00:00Z', '2027-01-15T09:00:00.000Z'],
    ['2027-01-15T09:00:00.123Z', '2027-01-15T09:00:00.123Z'],
    ['2027-01-15T09:00:00+02:00', '2027-01-15T07:00:00.000Z'],
    ['2027-01-15T09:00:00+0200', '2027-01-15T07:00:00.000Z'],
    ['2027-01-15T01:00:00-05:00', '2027-01-15T06:00:00.000Z'],
    ['2027-01-15T23:30:00-01:00', '2027-01-16T00:30:00.000Z'],
    // No offset: UTC, never the machine's zone.
    ['2027-01-15T09:00:00', '2027-01-15T09:00:00.000Z'],
    ['2027-01-15 09:00', '2027-01-15T09:00:00.000Z'],
  ])('%j → %s', (value, iso) => {
    expect(parseExpiry(value)?.toISOString()).toBe(iso);
  });

  it.each([
    '',
    'soon',
    '2027-02-30',
    '2027-13-01',
    '2027-1-5',
    '15/01/2027',
    '2027-01-15T25:00:00Z',
    '1700000000',
  ])('rejects %j', (value) => {
    expect(parseExpiry(value)).toBeUndefined();
  });

  it('unix seconds for git', () => {
    expect(expiryUnixSeconds('2027-01-15')).toBe(Date.UTC(2027, 0, 15, 23, 59, 59) / 1000);
    expect(expiryUnixSeconds(undefined)).toBeUndefined();
    expect(expiryUnixSeconds('junk')).toBeUndefined();
  });

  it('formats dates as given and timestamps in UTC', () => {
    expect(formatExpiry('2027-01-15')).toBe('2027-01-15');
    expect(formatExpiry('2027-01-15T09:00:00+02:00')).toBe('2027-01-15T07:00:00Z');
  });
});

describe('expiryStatus at a fixed clock', () => {
  const now = new Date('2026-09-01T12:00:00Z');
  it.each([
    ['2026-09-01', 'soon', 0], // today: still works until the day ends
    ['2026-09-01T12:00:01Z', 'soon', 0],
    ['2026-09-01T12:00:00Z', 'expired', 0],
    ['2026-09-01T13:00:00+02:00', 'expired', -1], // 11:00 UTC: an hour ago
    ['2026-08-31', 'expired', -1], // yesterday, end of day
    ['2026-01-01', 'expired', -243],
    ['2026-09-02', 'soon', 1],
    // Ends 23:59:59 UTC: 30 days and 12 hours away, outside a 30-day window.
    ['2026-10-01', 'ok', 30],
    ['2026-10-01T12:00:00Z', 'soon', 30],
    ['2026-10-01T12:00:01Z', 'ok', 30],
    ['2027-01-15', 'ok', 136],
  ] as const)('%s → %s (%d days left)', (value, state, days) => {
    const s = expiryStatus(value, now, 30)!;
    expect(s.daysLeft).toBe(days);
    expect(s.state).toBe(state);
  });

  it('a zero-day window only flags expired tokens', () => {
    expect(expiryStatus('2026-09-01', now, 0)!.state).toBe('ok');
    expect(expiryStatus('2026-08-31', now, 0)!.state).toBe('expired');
  });
});

describe('expiryFindings', () => {
  const now = new Date('2026-09-01T12:00:00Z');
  const rec = (expires: string | undefined, extra: Partial<ExpiryRecord> = {}): ExpiryRecord => ({
    fingerprint: 'ATATT3…A1B2 (192 chars)',
    kind: 'api-token',
    host: 'bitbucket.org',
    ...(expires === undefined ? {} : { expires }),
    ...extra,
  });

  it('emits expired and expires-soon, with catalogue severities, fingerprints and the records file', () => {
    const out = expiryFindings(
      [
        rec('2026-08-01'),
        rec('2026-09-10', { label: 'ci-deploy' }),
        rec('2027-06-01'),
        rec(undefined),
        rec('garbage'),
        rec('2026-09-02', { kind: 'access-token', fingerprint: 'ATCTT3…C3D4 (192 chars)' }),
      ],
      now,
      30,
      '/home/u/.config/bbauth/records.json',
    );
    expect(out.map((f) => f.id)).toEqual(['token-expired', 'token-expires-soon', 'token-expires-soon']);
    expect(out[0]).toMatchObject({
      severity: CATALOGUE['token-expired'].severity,
      location: { file: '/home/u/.config/bbauth/records.json', host: 'bitbucket.org' },
      credential: { kind: 'api-token', fingerprint: 'ATATT3…A1B2 (192 chars)', source: 'records' },
    });
    expect(out[0]!.message).toContain('expired on 2026-08-01');
    expect(out[1]!.severity).toBe(CATALOGUE['token-expires-soon'].severity);
    expect(out[1]!.message).toMatch(/"ci-deploy"\) expires on 2026-09-10 \(in 9 days\)/);
    expect(out[2]!.message).toMatch(/^Access token ATCTT3…C3D4 .*tomorrow/);
    expect(out[2]!.fix.summary).toMatch(/access token/);
  });

  it('says "today" on the last day and uses the host when no file is given', () => {
    const [f] = expiryFindings([rec('2026-09-01')], now, 30);
    expect(f!.message).toContain('(today)');
    expect(f!.location).toEqual({ host: 'bitbucket.org' });
  });

  it('respects the window', () => {
    expect(expiryFindings([rec('2026-09-10')], now, 7)).toEqual([]);
    expect(expiryFindings([rec('2026-09-10')], now, 9)).toEqual([]); // 9.5 days left
    expect(expiryFindings([rec('2026-09-10')], now, 10)).toHaveLength(1);
  });
});

describe('knownExpiry: the recorded date, or for an API token the latest it can be', () => {
  const base = { fingerprint: 'ATATT3…A1B2 (192 chars)', host: 'bitbucket.org' };
  it('prefers the recorded expiry', () => {
    expect(
      knownExpiry({ ...base, kind: 'api-token', expires: '2027-01-31', createdAt: '2026-01-01T00:00:00Z' }),
    ).toEqual({ expires: '2027-01-31', bound: false });
  });
  it('an API token with none: a year after bbauth first saw it', () => {
    expect(knownExpiry({ ...base, kind: 'api-token', createdAt: '2026-03-01T10:00:00.000Z' })).toEqual({
      expires: '2027-03-01T10:00:00.000Z',
      bound: true,
      since: '2026-03-01T10:00:00.000Z',
    });
  });
  it('an access token with none is unbounded (workspaces may allow no expiry)', () => {
    expect(knownExpiry({ ...base, kind: 'access-token', createdAt: '2026-03-01T10:00:00Z' })).toBeUndefined();
  });
  it('the bound drives the findings: 360 days after first seen, it expires within the window', () => {
    const r = { ...base, kind: 'api-token' as const, createdAt: '2025-12-07T00:00:00.000Z' };
    const [f] = expiryFindings([r], new Date('2026-12-02T00:00:00Z'), 30);
    expect(f?.id).toBe('token-expires-soon');
    expect(f?.message).toMatch(/at the latest .*first saw it on 2025-12-07/);
    expect(
      expiryFindings([{ ...r, retired: '2026-11-01T00:00:00Z' }], new Date('2026-12-02T00:00:00Z'), 30),
    ).toEqual([]);
  });
});
