/**
 * The fleet merge: grouping by credential id across hosts, verdicts, expiry, newest input per host, and input
 * it refuses (anything not bbauth's own JSON) with a reason, never a crash: property-tested on arbitrary JSON.
 */
import { describe, expect, it } from 'vitest';
import { credentialId } from '../../src/core/fleet/credential-id.js';
import { FleetMerger, InvalidInput } from '../../src/core/fleet/merge.js';
import { renderReportCsv, renderReportSummary } from '../../src/cli/render/report.js';
import { colors } from '../../src/cli/output.js';
import { fc, FUZZ_RUNS, property } from '../helpers/fuzz.js';

const idA = credentialId('secret-a');
const idB = credentialId('secret-b');
const idC = credentialId('secret-c');

type Cred = {
  id: string;
  kind: string;
  findingIds?: string[];
  expires?: string;
  expiryBound?: boolean;
  checked?: string;
};
type Fnd = { id: string; severity: string; credential?: { id: string } };

function scan(host: string, creds: Cred[], findings: Fnd[] = [], scannedAt = '2026-12-01T10:00:00.000Z') {
  return {
    schemaVersion: 1,
    type: 'bbauth.scan',
    host,
    user: 'deploy',
    scannedAt,
    bbauthVersion: '0.1.0',
    roots: ['/home/deploy'],
    findings: findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      message: `${f.id} here`,
      location: { file: `/home/deploy/${f.id}` },
      ...(f.credential
        ? {
            credential: {
              kind: 'api-token',
              fingerprint: 'ATATT3…abcd (192 chars)',
              source: 'file',
              ...f.credential,
            },
          }
        : {}),
      fix: { summary: 'do it', commands: [] },
    })),
    credentials: creds.map((c) => ({
      fingerprint: `${c.kind}…`,
      locations: [{ file: `/home/deploy/${c.id.slice(-4)}` }],
      findingIds: [],
      ...c,
    })),
    skipped: [],
    summary: {
      files: 1,
      repositories: 0,
      credentials: creds.length,
      byKind: {},
      bySeverity: { error: 0, warning: 0, info: 0 },
      fixtureDecoys: 0,
    },
  };
}

describe('FleetMerger', () => {
  it('groups one credential across hosts by id, with every host and place; verdicts worst first', () => {
    const m = new FleetMerger();
    m.add(
      scan('web-1', [
        { id: idA, kind: 'app-password', findingIds: ['app-password'] },
        { id: idB, kind: 'api-token', checked: 'works' },
      ]),
      'a.json',
      'a',
    );
    m.add(scan('web-2', [{ id: idA, kind: 'app-password' }]), 'b.json', 'b');
    m.add(
      scan(
        'db-1',
        [{ id: idC, kind: 'api-token', findingIds: ['email-as-git-username'] }],
        [
          { id: 'email-as-git-username', severity: 'error', credential: { id: idC } },
          { id: 'no-credential-helper', severity: 'warning' },
        ],
      ),
      'c.json',
      'c',
    );
    const r = m.result('2026-12-03T00:00:00.000Z', '0.1.0');
    expect(r.credentials.map((c) => [c.id, c.verdict, c.hosts])).toEqual([
      [idA, 'retired', ['web-1', 'web-2']],
      [idC, 'failing', ['db-1']],
      [idB, 'works', ['web-1']],
    ]);
    expect(r.credentials[0]!.places.map((p) => p.host)).toEqual(['web-1', 'web-2']);
    expect(r.credentials[1]!.severity).toBe('error');
    expect(r.hosts.map((h) => h.host)).toEqual(['db-1', 'web-1', 'web-2']);
    expect(r.totals).toMatchObject({
      hosts: 3,
      credentials: 3,
      findings: 2,
      bySeverity: { error: 1, warning: 1, info: 0 },
    });
    expect(r.totals.credentialsByVerdict).toEqual({ retired: 1, failing: 1, works: 1 });
    expect(r.totals.findingsById).toEqual({ 'email-as-git-username': 1, 'no-credential-helper': 1 });
  });

  it('expiry: the earliest any host knows; expired and expiring verdicts from the findings', () => {
    const m = new FleetMerger();
    m.add(
      scan('h1', [{ id: idA, kind: 'api-token', expires: '2027-05-01', findingIds: ['token-expires-soon'] }]),
      '1.json',
      '1',
    );
    m.add(
      scan('h2', [{ id: idA, kind: 'api-token', expires: '2027-03-01T00:00:00.000Z', expiryBound: true }]),
      '2.json',
      '2',
    );
    m.add(scan('h3', [{ id: idB, kind: 'api-token', findingIds: ['token-expired'] }]), '3.json', '3');
    const r = m.result('2026-12-03T00:00:00.000Z', '0.1.0');
    const a = r.credentials.find((c) => c.id === idA)!;
    expect([a.verdict, a.expires, a.expiryBound]).toEqual(['expiring', '2027-03-01T00:00:00.000Z', true]);
    expect(r.credentials.find((c) => c.id === idB)!.verdict).toBe('expired');
  });

  it('a host scanned twice keeps its newest input, in any order; the other is listed as superseded', () => {
    for (const order of [0, 1]) {
      const m = new FleetMerger();
      const old = scan('web-1', [{ id: idA, kind: 'app-password' }], [], '2026-11-01T00:00:00.000Z');
      const neu = scan('web-1', [{ id: idB, kind: 'api-token' }], [], '2026-12-01T00:00:00.000Z');
      const inputs: [unknown, string][] = [
        [old, 'old.json'],
        [neu, 'new.json'],
      ];
      if (order) inputs.reverse();
      for (const [doc, file] of inputs) m.add(doc, file, 'x');
      const r = m.result('2026-12-03T00:00:00.000Z', '0.1.0');
      expect(r.credentials.map((c) => c.id)).toEqual([idB]);
      expect(r.inputs.superseded).toEqual([{ file: 'old.json', host: 'web-1' }]);
    }
  });

  it('doctor JSON joins as its file name host, with its findings', () => {
    const m = new FleetMerger();
    m.add(
      {
        schemaVersion: 1,
        remotes: [],
        verdict: 'broken',
        findings: [
          {
            id: 'stale-cached-credential',
            severity: 'error',
            message: 'm',
            location: {},
            fix: { summary: '', commands: [] },
          },
        ],
      },
      '/x/ci-7.json',
      'ci-7',
    );
    const r = m.result('2026-12-03T00:00:00.000Z', '0.1.0');
    expect(r.hosts).toMatchObject([{ host: 'ci-7', source: 'doctor', bySeverity: { error: 1 } }]);
  });

  it("refuses what is not one machine's bbauth JSON, saying what it is", () => {
    const m = new FleetMerger();
    const cases: [unknown, RegExp][] = [
      [[], /not a JSON object/],
      [{ schemaVersion: 2, type: 'bbauth.scan' }, /schemaVersion 1/],
      [{ schemaVersion: 1, type: 'bbauth.report' }, /fleet report/],
      [{ schemaVersion: 1, findings: [], credentials: [], summary: {} }, /without host data/],
      [{ ...scan('h', []), host: '' }, /host is empty/],
      [scan('h', [{ id: 'ATATT3xyz', kind: 'api-token' }]), /not a credential id/],
      [scan('h', [{ id: idA, kind: 'password' }]), /not a credential kind/],
      [
        { ...scan('h', []), findings: [{ id: 'x', severity: 'fatal', message: '' }] },
        /error, warning or info/,
      ],
    ];
    for (const [doc, why] of cases) expect(() => m.add(doc, 'f.json', 'f')).toThrow(why);
  });

  it('any JSON at all: merged or refused with InvalidInput, never another exception', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const near = fc
      .record({
        base: fc.constant(scan('h', [{ id: idA, kind: 'api-token' }])),
        patch: fc.dictionary(
          fc.constantFrom(
            'host',
            'credentials',
            'findings',
            'roots',
            'user',
            'scannedAt',
            'schemaVersion',
            'type',
          ),
          json,
        ),
      })
      .map(({ base, patch }) => ({ ...base, ...patch }));
    property(fc.oneof(json, near), (doc) => {
      const m = new FleetMerger();
      try {
        m.add(doc, 'f.json', 'f');
      } catch (e) {
        if (!(e instanceof InvalidInput)) throw e;
      }
      const r = m.result('2026-12-03T00:00:00.000Z', '0.1.0');
      renderReportCsv(r);
      renderReportSummary(r, colors(false));
    });
    expect(FUZZ_RUNS).toBeGreaterThan(0);
  });
});

describe('report CSV', () => {
  it('one row per credential per place, formula prefixes neutralised, quotes doubled, hosts with nothing listed', () => {
    const m = new FleetMerger();
    m.add(scan('=cmd|calc', [{ id: idA, kind: 'api-token' }]), 'a.json', 'a');
    m.add(scan('web "2", b', []), 'b.json', 'b');
    const csv = renderReportCsv(m.result('2026-12-03T00:00:00.000Z', '0.1.0'));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'host,user,scanned_at,credential_id,kind,fingerprint,verdict,expires,place,finding_ids',
    );
    expect(lines[1]).toMatch(new RegExp(`^'=cmd\\|calc,deploy,2026-12-01T10:00:00.000Z,${idA},api-token,`));
    expect(lines[2]).toBe('"web ""2"", b",deploy,2026-12-01T10:00:00.000Z,,,,,,,');
    expect(lines).toHaveLength(3);
  });
});
