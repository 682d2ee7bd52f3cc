/**
 * Lifetime rules (expiryFindings over bbauth's records, and the same through buildStatus): rows that produce
 * token-expires-soon and token-expired, and near misses that must not.
 */
import { buildStatus, expiryFindings, type ExpiryRecord, type Finding } from '../../helpers/core.js';
import { answer, doctorReport, HOST, NOW, record, secrets } from '../../helpers/facts.js';
import { helped } from './doctor.js';
import type { Misses, Produces } from './rows.js';

export const RECORDS = '/home/alice/.config/bbauth/records.json';
const api = secrets.api();
const access = secrets.access();

const expiring =
  (r: ExpiryRecord, warnDays = 30) =>
  (): Finding[] =>
    expiryFindings([r], NOW, warnDays, RECORDS);
/** The status view's findings for a remote whose helper token has this record. */
const viaStatus = (secret: string, expires: string) => (): Finding[] => {
  const f = helped(secret).build();
  const { report, probes } = doctorReport(f, { fetch: answer.ok(), push: answer.ok() });
  const rec = record(secret, { expires });
  return buildStatus({
    facts: f,
    report,
    probes,
    recordFor: (s) => (s === secret ? rec : undefined),
    now: NOW,
    warnDays: 30,
    recordsFile: RECORDS,
  }).findings;
};

export const lifetimeProduces: Produces[] = [
  {
    name: 'an API token with 29 days left',
    rule: 'expiryFindings',
    run: expiring(record(api, { expires: '2026-12-22', label: 'laptop' })),
    id: 'token-expires-soon',
    severity: 'warning',
    at: { file: RECORDS, host: HOST },
    secret: api,
    message: /^API token \S+ \(192 chars\) \("laptop"\) expires on 2026-12-22 \(in 29 days\)/,
  },
  {
    name: 'an access token on its last day',
    rule: 'expiryFindings',
    run: expiring(record(access, { expires: '2026-11-23' })),
    id: 'token-expires-soon',
    severity: 'warning',
    secret: access,
    message: /^Access token .* \(today\)/,
  },
  {
    name: 'a token used by a remote, through status',
    rule: 'buildStatus',
    run: viaStatus(api, '2026-11-24'),
    id: 'token-expires-soon',
    severity: 'warning',
    at: { file: RECORDS },
    message: /\(tomorrow\)/,
  },
  {
    name: 'an API token that expired yesterday',
    rule: 'expiryFindings',
    run: expiring(record(api, { expires: '2026-11-22' })),
    id: 'token-expired',
    severity: 'error',
    at: { file: RECORDS, host: HOST },
    secret: api,
  },
  {
    name: 'an instant an hour ago, through status',
    rule: 'buildStatus',
    run: viaStatus(api, '2026-11-23T11:00:00Z'),
    id: 'token-expired',
    severity: 'error',
    at: { file: RECORDS },
  },
];

export const lifetimeMisses: Misses[] = [
  {
    name: '30 days and 12 hours left with a 30-day window',
    rule: 'expiryFindings',
    run: expiring(record(api, { expires: '2026-12-23' })),
    not: 'token-expires-soon',
  },
  {
    name: '29 days left with a 7-day window',
    rule: 'expiryFindings',
    run: expiring(record(api, { expires: '2026-12-22' }), 7),
    not: 'token-expires-soon',
  },
  {
    name: 'no recorded expiry, or one that is not a date',
    rule: 'expiryFindings',
    run: () => [...expiring(record(api))(), ...expiring(record(api, { expires: '2026-02-30' }))()],
    not: 'token-expired',
  },
  {
    name: 'still valid for an hour',
    rule: 'buildStatus',
    run: viaStatus(api, '2026-11-23T13:00:00Z'),
    not: 'token-expired',
    still: ['token-expires-soon'],
  },
];
