/** Human and JSON views of a scan report: grouped by credential, then by place, then a summary line. */
import type { CredentialKind, Finding, Location } from '../../core/model.js';
import type { ScanReport } from '../../core/scan/types.js';
import type { Colors } from '../output.js';
import { renderFinding, renderLocation } from './findings.js';
import { KIND_LABEL } from './labels.js';

function placeLabel(l: Location): string {
  const where = renderLocation(l);
  const extra = [
    l.repository ? `repository ${l.repository}` : '',
    l.remote ? `remote ${l.remote}` : '',
    l.url ?? '',
  ]
    .filter((s) => s !== '' && !where.includes(s))
    .join(', ');
  return extra ? `${where}  (${extra})` : where;
}

/** One line: files, repositories, credentials per kind, findings per severity. */
export function renderScanSummary(report: ScanReport): string {
  const s = report.summary;
  const kinds = Object.entries(s.byKind)
    .map(([k, n]) => `${n} ${KIND_LABEL[k as CredentialKind] ?? k}`)
    .join(', ');
  return (
    `Scanned ${s.files} files and ${s.repositories} repositories: ${s.credentials} credential(s)` +
    `${kinds ? ` (${kinds})` : ''}; ${s.bySeverity.error} error(s), ${s.bySeverity.warning} warning(s), ` +
    `${s.bySeverity.info} info; ${report.skipped.length} skipped.`
  );
}

/** The human report. */
export function renderScanHuman(report: ScanReport, c: Colors, verbose: boolean): string {
  const out: string[] = [];
  const shown = new Set<Finding>();
  for (const cred of report.credentials) {
    const n = cred.locations.length;
    out.push(
      c.bold(`${KIND_LABEL[cred.kind]} ${cred.fingerprint}`) + c.dim(`  — ${n} place${n === 1 ? '' : 's'}`),
    );
    for (const loc of cred.locations) {
      out.push(`  ${c.bold('at')} ${placeLabel(loc)}`);
      const key = JSON.stringify(loc);
      for (const f of report.findings) {
        if (
          shown.has(f) ||
          f.credential?.fingerprint !== cred.fingerprint ||
          JSON.stringify(f.location) !== key
        )
          continue;
        shown.add(f);
        out.push(renderFinding(f, c, '    ', false));
      }
    }
    out.push('');
  }
  const rest = report.findings.filter((f) => !shown.has(f));
  if (rest.length > 0) {
    out.push(c.bold('Other findings'));
    for (const f of rest) out.push(renderFinding(f, c, '  ', true));
    out.push('');
  }
  if (report.credentials.length === 0 && rest.length === 0)
    out.push(`${c.green('✔')} No Bitbucket credential found.`, '');
  if (report.skipped.length > 0) {
    const list = verbose ? report.skipped : report.skipped.slice(0, 5);
    out.push(c.dim(`Skipped ${report.skipped.length} path(s)${verbose ? '' : ' (--verbose lists all)'}:`));
    for (const s of list) out.push(c.dim(`  ${s.path}: ${s.reason}`));
    out.push('');
  }
  const summary = renderScanSummary(report);
  out.push(report.summary.bySeverity.error > 0 ? c.red(summary) : summary);
  return out.join('\n');
}

/** The JSON document (schemaVersion 1). */
export function renderScanJson(report: ScanReport): string {
  return JSON.stringify(report, null, 2);
}
