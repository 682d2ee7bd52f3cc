/**
 * Assembles scan's report: the same credential found in many places becomes one credential with many
 * locations (grouped by the secret itself in memory, shown only as its fingerprint), findings worst first,
 * and the summary counts every renderer prints.
 */
import { fingerprint } from '../redact.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../model.js';
import { credentialId } from '../fleet/credential-id.js';
import type { ScanCredential, ScanItem, ScanOrigin, ScanReport, Skipped } from './types.js';

export interface ReportInput {
  origin: ScanOrigin;
  items: readonly ScanItem[];
  skipped: readonly Skipped[];
  files: number;
  repositories: number;
  fixtureDecoys: number;
  /** BBAUTH_FLEET_KEY, when the fleet keys its credential ids. */
  fleetKey?: string;
  /** The expiry bbauth's records know for a secret. */
  expiryOf?: (secret: string) => { expires: string; bound: boolean } | undefined;
  /** Secrets `--verify` proved working. */
  works?: ReadonlySet<string>;
}

function keyOf(f: Finding): string {
  const l = f.location;
  return [f.id, l.repository, l.remote, l.file, l.line, l.configKey, f.credential?.fingerprint].join('|');
}

/** Groups items by secret and builds the report. Pure. */
export function buildScanReport(input: ReportInput): ScanReport {
  const groups = new Map<string, ScanCredential & { seen: Set<string> }>();
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const it of input.items) {
    const id =
      it.secret === undefined
        ? undefined
        : (groups.get(it.secret)?.id ?? credentialId(it.secret, input.fleetKey));
    for (const f of it.findings) {
      const k = keyOf(f);
      if (!seen.has(k)) {
        seen.add(k);
        // The finding names its credential by id too, so a fleet report can tie it to the credential's row.
        findings.push(
          id && f.credential && !f.credential.id ? { ...f, credential: { ...f.credential, id } } : f,
        );
      }
    }
    if (it.secret === undefined || id === undefined) continue;
    let g = groups.get(it.secret);
    if (!g) {
      const expiry = input.expiryOf?.(it.secret);
      g = {
        id,
        kind: it.kind ?? 'unknown',
        fingerprint: fingerprint(it.secret),
        locations: [],
        findingIds: [],
        ...(expiry ? { expires: expiry.expires, ...(expiry.bound ? { expiryBound: true } : {}) } : {}),
        ...(input.works?.has(it.secret) ? { checked: 'works' as const } : {}),
        seen: new Set(),
      };
      groups.set(it.secret, g);
    }
    const lk = JSON.stringify(it.location);
    if (!g.seen.has(lk)) {
      g.seen.add(lk);
      g.locations.push(it.location);
    }
    for (const f of it.findings) if (!g.findingIds.includes(f.id)) g.findingIds.push(f.id);
  }
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const credentials: ScanCredential[] = [...groups.values()].map(({ seen: _s, ...c }) => c);
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const byKind: ScanReport['summary']['byKind'] = {};
  for (const c of credentials) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  return {
    schemaVersion: 1,
    type: 'bbauth.scan',
    ...input.origin,
    findings,
    credentials,
    skipped: [...input.skipped],
    summary: {
      files: input.files,
      repositories: input.repositories,
      credentials: credentials.length,
      byKind,
      bySeverity,
      fixtureDecoys: input.fixtureDecoys,
    },
  };
}
