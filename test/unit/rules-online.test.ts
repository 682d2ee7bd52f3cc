/** Doctor's online rules and the report's dedupe/raise rules as tables: answers in, findings out. */
import { describe, expect, it } from 'vitest';
import { dedupeFindings, fingerprint, type Finding } from '../helpers/core.js';
import { answer, credUrl, doctorReport, facts, leakedSecret, secrets, STORE_PATH } from '../helpers/facts.js';
import { offline, STATIC } from './rules/doctor.js';
import { onlineMisses, onlineProduces } from './rules/online.rows.js';
import { checkMisses, checkProduces, missesName, producesName } from './rules/rows.js';

describe('doctor online rules', () => {
  it.each(onlineProduces.map((r) => [producesName(r), r] as const))('%s', (_name, row) => checkProduces(row));
  it.each(onlineMisses.map((r) => [missesName(r), r] as const))('%s', (_name, row) => checkMisses(row));
});

const where = (fs: Finding[], id: string) =>
  fs.filter((f) => f.id === id).map((f) => [f.severity, f.location.remote ?? f.location.file]);

describe('report rules: dedupe, say a secret kind once, raise dead URL secrets', () => {
  const app = secrets.app();
  const api = secrets.api();

  it('dedupeFindings drops exact repeats (same id, place, credential) and keeps the first', () => {
    const once = offline(facts().helper('store').remote(credUrl('alice', app)))();
    const other = offline(facts().helper('store').remote(credUrl('alice', app), { name: 'mirror' }))();
    const out = dedupeFindings([...once, ...once, ...other]);
    expect(out).toHaveLength(once.length + other.length);
    expect(out.slice(0, once.length)).toEqual(once);
  });

  it('an app password in the URL and in the store: the kind is said once, at the remote', () => {
    const f = facts()
      .helper('store')
      .store([{ username: 'alice', password: app }])
      .remote(credUrl('alice', app))
      .build();
    const { findings } = doctorReport(f).report;
    expect(where(findings, 'app-password')).toEqual([['error', 'origin']]);
    expect(where(findings, 'plaintext-credential-store')).toEqual([['warning', STORE_PATH]]);
    expect(leakedSecret(findings)).toBeUndefined();
  });

  it('BUG? two different short secrets with the same fingerprint: the store one loses its kind finding', () => {
    // BUG?: dropRepeatedKinds keys on the fingerprint, and every 20-character secret's fingerprint is
    // "•••• (20 chars)". The store holds a *different* legacy secret than the URL, yet its legacy-secret
    // finding is dropped as a repeat. Today's behaviour, asserted:
    const inUrl = secrets.legacy(20);
    const inStore = secrets.legacy(20);
    expect(fingerprint(inUrl)).toBe(fingerprint(inStore));
    const f = facts()
      .helper('store')
      .store([{ username: 'bob', password: inStore }])
      .remote(credUrl('alice', inUrl))
      .build();
    const { findings } = doctorReport(f).report;
    expect(where(findings, 'legacy-secret')).toEqual([['warning', 'origin']]);
  });

  it.each([
    ['401', answer.rejected(), 'error'],
    ['410', answer.retired(), 'error'],
    ['403 scope (alive, just lacking)', answer.scope(), 'warning'],
    ['200', answer.ok(), 'warning'],
  ] as const)('a URL API token answered %s: secret-in-remote-url is %s', (_label, upload, severity) => {
    const f = facts().helper('store').remote(credUrl(STATIC, api)).build();
    const { findings } = doctorReport(f, { fetch: upload, push: answer.ok() }).report;
    expect(where(findings, 'secret-in-remote-url')).toEqual([[severity, 'origin']]);
  });

  it('findings are ordered worst first', () => {
    const f = facts().helper('manager').remote(credUrl('alice', app)).build();
    const sev = doctorReport(f, { fetch: answer.retired() }).report.findings.map((x) => x.severity);
    expect(sev).toEqual(
      [...sev].sort(
        (a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b),
      ),
    );
  });
});
