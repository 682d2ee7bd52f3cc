/** The fleet report as a summary for the terminal, as JSON and as CSV (one row per credential per place). */
import type { FleetReport, FleetVerdict } from '../../core/fleet/model.js';
import type { CredentialKind } from '../../core/model.js';
import type { Colors } from '../output.js';
import { renderLocation } from './findings.js';
import { KIND_LABEL } from './labels.js';

const VERDICT_LABEL: Record<FleetVerdict, string> = {
  retired: 'retired (app password: git answers 410)',
  expired: 'expired',
  failing: 'failing',
  expiring: 'expiring soon',
  works: 'checked, works',
  unchecked: 'not checked online',
};

const TOP = 5;

export function renderReportJson(report: FleetReport): string {
  return JSON.stringify(report, null, 2);
}

/**
 * The same text as renderReportJson, a credential or a host at a time, so a 10,000-host report is never one
 * string in memory.
 */
export function* reportJsonChunks(report: FleetReport): Generator<string> {
  const { credentials, hosts, ...head } = report;
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n`;
  const lists: [string, readonly unknown[]][] = [
    ['credentials', credentials],
    ['hosts', hosts],
  ];
  for (const [i, [name, items]] of lists.entries()) {
    const end = i === lists.length - 1 ? '\n' : ',\n';
    if (items.length === 0) {
      yield `  "${name}": []${end}`;
      continue;
    }
    yield `  "${name}": [`;
    for (const [j, item] of items.entries())
      yield `${j ? ',' : ''}\n    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`;
    yield `\n  ]${end}`;
  }
  yield '}';
}

/** What a team lead reads first: totals, the credentials on most hosts, the hosts with most errors, next expiries. */
export function renderReportSummary(report: FleetReport, c: Colors): string {
  const t = report.totals;
  const out: string[] = [
    c.bold(
      `${t.hosts} host(s), ${t.credentials} distinct credential(s); ${t.bySeverity.error} error(s), ` +
        `${t.bySeverity.warning} warning(s), ${t.bySeverity.info} info.`,
    ),
  ];
  const verdicts = Object.entries(t.credentialsByVerdict).map(
    ([v, n]) => `${n} ${VERDICT_LABEL[v as FleetVerdict]}`,
  );
  if (verdicts.length > 0) out.push(`Credentials: ${verdicts.join(', ')}.`);
  const bad = report.credentials
    .filter((x) => x.verdict !== 'works' && x.verdict !== 'unchecked')
    .slice(0, TOP);
  if (bad.length > 0) {
    out.push('', c.bold('Needs replacing'));
    for (const x of bad) {
      const hosts =
        x.hosts.length > 3
          ? `${x.hosts.slice(0, 3).join(', ')} and ${x.hosts.length - 3} more`
          : x.hosts.join(', ');
      out.push(
        `  ${KIND_LABEL[x.kind as CredentialKind]} ${x.fingerprint}  ${c.red(x.verdict)}  on ${x.hosts.length} host(s): ${hosts}`,
      );
    }
  }
  const hosts = report.hosts.filter((h) => h.bySeverity.error > 0).slice(0, TOP);
  if (hosts.length > 0) {
    out.push('', c.bold('Hosts with the most errors'));
    for (const h of hosts)
      out.push(`  ${h.host}  ${h.bySeverity.error} error(s), ${h.bySeverity.warning} warning(s)`);
  }
  const expiring = report.credentials
    .filter((x) => x.expires !== undefined && x.verdict !== 'retired')
    .sort((a, b) => Date.parse(a.expires!) - Date.parse(b.expires!))
    .slice(0, TOP);
  if (expiring.length > 0) {
    out.push('', c.bold('Next to expire'));
    for (const x of expiring)
      out.push(
        `  ${x.expires!.slice(0, 10)}${x.expiryBound ? ' at the latest' : ''}  ${x.fingerprint} on ${x.hosts.length} host(s)`,
      );
  }
  const { superseded, rejected } = report.inputs;
  if (superseded.length > 0)
    out.push('', c.dim(`${superseded.length} older input(s) replaced by a newer scan of the same host.`));
  for (const r of rejected) out.push(c.yellow(`Not merged: ${r.file}: ${r.reason}`));
  return out.join('\n');
}

/** A spreadsheet's formula prefixes are neutralised (CSV injection): a cell never starts with = + - @. */
function cell(v: string | number | undefined): string {
  let s = v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = [
  'host',
  'user',
  'scanned_at',
  'credential_id',
  'kind',
  'fingerprint',
  'verdict',
  'expires',
  'place',
  'finding_ids',
];

/** One row per credential per place, and one row for each host that holds none. */
export function renderReportCsv(report: FleetReport): string {
  const hostInfo = new Map(report.hosts.map((h) => [h.host, h]));
  const rows: string[] = [CSV_HEADER.join(',')];
  const holding = new Set<string>();
  for (const x of report.credentials) {
    for (const p of x.places) {
      holding.add(p.host);
      const h = hostInfo.get(p.host);
      rows.push(
        [
          p.host,
          h?.user,
          h?.scannedAt,
          x.id,
          x.kind,
          x.fingerprint,
          x.verdict,
          x.expires,
          renderLocation(p.location),
          x.findingIds.join(' '),
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  for (const h of report.hosts)
    if (!holding.has(h.host))
      rows.push([h.host, h.user, h.scannedAt, '', '', '', '', '', '', ''].map(cell).join(','));
  return `${rows.join('\r\n')}\r\n`;
}
