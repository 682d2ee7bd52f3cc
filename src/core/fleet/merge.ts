/**
 * Merges many machines' scan (and doctor) JSON into one fleet report, one input at a time: each input is read,
 * folded into its host's entry and dropped, so memory follows the merged report, not the inputs. A host seen
 * twice keeps its newest input. Pure: reading files is services/report.ts's job.
 */
import { CREDENTIAL_ID } from './credential-id.js';
import {
  VERDICT_ORDER,
  type FleetCredential,
  type FleetFinding,
  type FleetHost,
  type FleetReport,
  type FleetVerdict,
} from './model.js';
import { SEVERITY_RANK, type CredentialKind, type Location, type Severity } from '../model.js';

/** The parts of one input that survive the merge. */
interface HostEntry extends FleetHost {
  creds: Map<
    string,
    {
      kind: CredentialKind;
      fingerprint: string;
      places: Location[];
      findingIds: string[];
      expires?: string;
      expiryBound?: boolean;
      works: boolean;
    }
  >;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const KINDS: ReadonlySet<string> = new Set([
  'api-token',
  'access-token',
  'app-password',
  'legacy-secret',
  'datacenter-token',
  'unknown',
]);

export class InvalidInput extends Error {}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new InvalidInput(`${what} is not a string`);
  return v;
}

function optionalText(v: unknown, what: string): string | undefined {
  return v === undefined ? undefined : text(v, what);
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new InvalidInput(`${what} is not a list`);
  return v;
}

/** A location is a flat object of strings and a line number; anything else is dropped, not trusted. */
function location(v: unknown): Location {
  if (!isObject(v)) return {};
  const out: Record<string, string | number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' || (k === 'line' && typeof x === 'number' && Number.isInteger(x))) out[k] = x;
  }
  return out as Location;
}

function severity(v: unknown, what: string): Severity {
  if (typeof v !== 'string' || !SEVERITIES.includes(v as Severity))
    throw new InvalidInput(`${what} is not error, warning or info`);
  return v as Severity;
}

function findings(v: unknown, what: string): FleetFinding[] {
  return list(v, what).map((raw, i) => {
    if (!isObject(raw)) throw new InvalidInput(`${what}[${i}] is not an object`);
    const cred = isObject(raw.credential) ? raw.credential : undefined;
    const credentialId = typeof cred?.id === 'string' && CREDENTIAL_ID.test(cred.id) ? cred.id : undefined;
    const fp = typeof cred?.fingerprint === 'string' ? cred.fingerprint : undefined;
    return {
      id: text(raw.id, `${what}[${i}].id`),
      severity: severity(raw.severity, `${what}[${i}].severity`),
      message: text(raw.message, `${what}[${i}].message`),
      location: location(raw.location),
      ...(credentialId ? { credentialId } : {}),
      ...(fp ? { fingerprint: fp } : {}),
    };
  });
}

function countBySeverity(fs: readonly FleetFinding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of fs) out[f.severity]++;
  return out;
}

/** One input (already JSON-parsed) as a host entry; throws InvalidInput naming what is wrong. */
function readInput(doc: unknown, file: string, fallbackHost: string): HostEntry {
  if (!isObject(doc)) throw new InvalidInput('it is not a JSON object');
  if (doc.schemaVersion !== 1)
    throw new InvalidInput('it has no schemaVersion 1 (is it bbauth scan or doctor JSON?)');
  const isScan = doc.type === 'bbauth.scan';
  const isDoctor = doc.type === undefined && Array.isArray(doc.remotes) && typeof doc.verdict === 'string';
  if (!isScan && !isDoctor) {
    if (doc.type === 'bbauth.report') throw new InvalidInput("it is a fleet report, not one machine's scan");
    if (doc.type === undefined && Array.isArray(doc.credentials))
      throw new InvalidInput(
        'it is scan JSON from a bbauth without host data (0.1.0 or earlier): scan again',
      );
    throw new InvalidInput('it is neither bbauth scan nor doctor JSON');
  }
  const host = isScan ? text(doc.host, 'host') : fallbackHost;
  if (host.trim() === '') throw new InvalidInput('its host is empty');
  const hostFindings = findings(doc.findings, 'findings');
  const entry: HostEntry = {
    host,
    source: isScan ? 'scan' : 'doctor',
    file,
    credentials: [],
    findings: hostFindings,
    bySeverity: countBySeverity(hostFindings),
    creds: new Map(),
  };
  if (!isScan) return entry;
  const user = optionalText(doc.user, 'user');
  const scannedAt = optionalText(doc.scannedAt, 'scannedAt');
  const version = optionalText(doc.bbauthVersion, 'bbauthVersion');
  if (user !== undefined) entry.user = user;
  if (scannedAt !== undefined) entry.scannedAt = scannedAt;
  if (version !== undefined) entry.bbauthVersion = version;
  if (doc.roots !== undefined) entry.roots = list(doc.roots, 'roots').map((r, i) => text(r, `roots[${i}]`));
  list(doc.credentials, 'credentials').forEach((raw, i) => {
    const what = `credentials[${i}]`;
    if (!isObject(raw)) throw new InvalidInput(`${what} is not an object`);
    const id = text(raw.id, `${what}.id`);
    if (!CREDENTIAL_ID.test(id)) throw new InvalidInput(`${what}.id is not a credential id`);
    const kind = text(raw.kind, `${what}.kind`);
    if (!KINDS.has(kind)) throw new InvalidInput(`${what}.kind "${kind}" is not a credential kind`);
    const expires = optionalText(raw.expires, `${what}.expires`);
    const known = entry.creds.get(id);
    const places = list(raw.locations, `${what}.locations`).map(location);
    const ids = list(raw.findingIds, `${what}.findingIds`).map((f, j) => text(f, `${what}.findingIds[${j}]`));
    if (known) {
      known.places.push(...places);
      for (const f of ids) if (!known.findingIds.includes(f)) known.findingIds.push(f);
      return;
    }
    entry.creds.set(id, {
      kind: kind as CredentialKind,
      fingerprint: text(raw.fingerprint, `${what}.fingerprint`),
      places,
      findingIds: ids,
      ...(expires ? { expires, ...(raw.expiryBound === true ? { expiryBound: true } : {}) } : {}),
      works: raw.checked === 'works',
    });
  });
  entry.credentials = [...entry.creds.keys()];
  return entry;
}

function verdictOf(
  kind: CredentialKind,
  ids: ReadonlySet<string>,
  errors: boolean,
  works: boolean,
): FleetVerdict {
  if (kind === 'app-password' || ids.has('app-password-retired')) return 'retired';
  if (ids.has('token-expired')) return 'expired';
  if (errors) return 'failing';
  if (ids.has('token-expires-soon')) return 'expiring';
  return works ? 'works' : 'unchecked';
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** Folds inputs in; `result()` builds the report. */
export class FleetMerger {
  private readonly hosts = new Map<string, HostEntry>();
  private readonly superseded: { file: string; host: string }[] = [];
  private readonly rejected: { file: string; reason: string }[] = [];
  private files = 0;

  /** Adds one parsed input; throws InvalidInput (the caller names the file) when it is not bbauth JSON. */
  add(doc: unknown, file: string, fallbackHost: string): void {
    const entry = readInput(doc, file, fallbackHost);
    this.files++;
    const old = this.hosts.get(entry.host);
    if (old && (Date.parse(old.scannedAt ?? '') || 0) > (Date.parse(entry.scannedAt ?? '') || 0)) {
      this.superseded.push({ file, host: entry.host });
      return;
    }
    if (old) this.superseded.push({ file: old.file, host: old.host });
    this.hosts.set(entry.host, entry);
  }

  reject(file: string, reason: string): void {
    this.rejected.push({ file, reason });
  }

  result(generatedAt: string, bbauthVersion: string): FleetReport {
    const creds = new Map<string, FleetCredential & { ids: Set<string>; errors: boolean; works: boolean }>();
    const hosts = [...this.hosts.values()];
    for (const h of hosts) {
      for (const [id, c] of h.creds) {
        let fc = creds.get(id);
        if (!fc) {
          fc = {
            id,
            kind: c.kind,
            fingerprint: c.fingerprint,
            verdict: 'unchecked',
            hosts: [],
            places: [],
            findingIds: [],
            ids: new Set(),
            errors: false,
            works: false,
          };
          creds.set(id, fc);
        }
        fc.hosts.push(h.host);
        for (const l of c.places) fc.places.push({ host: h.host, location: l });
        for (const f of c.findingIds) fc.ids.add(f);
        const expires = earlier(fc.expires, c.expires);
        if (expires !== undefined && expires !== fc.expires) {
          fc.expires = expires;
          if (c.expiryBound) fc.expiryBound = true;
          else delete fc.expiryBound;
        }
        fc.works ||= c.works;
      }
      for (const f of h.findings) {
        const fc = f.credentialId ? creds.get(f.credentialId) : undefined;
        if (!fc) continue;
        if (fc.severity === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[fc.severity])
          fc.severity = f.severity;
        if (f.severity === 'error') fc.errors = true;
      }
    }
    const credentials: FleetCredential[] = [...creds.values()].map(({ ids, errors, works, ...c }) => ({
      ...c,
      verdict: verdictOf(c.kind, ids, errors, works),
      hosts: [...c.hosts].sort(),
      findingIds: [...ids],
    }));
    const rank = (v: FleetVerdict): number => VERDICT_ORDER.indexOf(v);
    credentials.sort(
      (a, b) =>
        rank(a.verdict) - rank(b.verdict) || b.hosts.length - a.hosts.length || a.id.localeCompare(b.id),
    );
    const fleetHosts: FleetHost[] = hosts.map(({ creds: _c, ...h }) => h);
    fleetHosts.sort(
      (a, b) =>
        b.bySeverity.error - a.bySeverity.error ||
        b.bySeverity.warning - a.bySeverity.warning ||
        a.host.localeCompare(b.host),
    );
    const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    const findingsById: Record<string, number> = {};
    let findingCount = 0;
    for (const h of fleetHosts) {
      for (const s of SEVERITIES) bySeverity[s] += h.bySeverity[s];
      for (const f of h.findings) findingsById[f.id] = (findingsById[f.id] ?? 0) + 1;
      findingCount += h.findings.length;
    }
    const credentialsByKind: FleetReport['totals']['credentialsByKind'] = {};
    const credentialsByVerdict: FleetReport['totals']['credentialsByVerdict'] = {};
    for (const c of credentials) {
      credentialsByKind[c.kind] = (credentialsByKind[c.kind] ?? 0) + 1;
      credentialsByVerdict[c.verdict] = (credentialsByVerdict[c.verdict] ?? 0) + 1;
    }
    return {
      schemaVersion: 1,
      type: 'bbauth.report',
      generatedAt,
      bbauthVersion,
      inputs: { files: this.files, superseded: [...this.superseded], rejected: [...this.rejected] },
      totals: {
        hosts: fleetHosts.length,
        credentials: credentials.length,
        findings: findingCount,
        bySeverity,
        credentialsByKind,
        credentialsByVerdict,
        findingsById,
      },
      credentials,
      hosts: fleetHosts,
    };
  }
}
