/**
 * `bbauth status`: runs doctor (offline or with its usual probes; status sends no request of its own), joins
 * what it found with bbauth's records, and stamps `lastVerified` on recorded tokens that just authenticated.
 */
import type { Endpoints } from '../core/endpoints.js';
import { buildStatus, isVerified, type StatusView } from '../core/status.js';
import { findRecord, readRecords, recordsPath, updateRecords } from '../store/records.js';
import { diagnose, doctorOptionsOf } from './doctor.js';

export interface StatusOptions {
  cwd: string;
  endpoints: Endpoints;
  offline: boolean;
  env: NodeJS.ProcessEnv;
  now: Date;
  /** Warn about tokens expiring within this many days. */
  warnDays: number;
  email?: string;
  /** `--need fetch|push`. */
  need?: string;
  /** Called before each request, for --verbose progress (no secret in the label). */
  onRequest?: (label: string) => void;
}

export interface StatusRun {
  view: StatusView;
  stats: { requests: number; gitCalls: number };
}

/** Runs status and returns its view (fingerprints only). */
export async function runStatus(opts: StatusOptions): Promise<StatusRun> {
  const run = await diagnose(doctorOptionsOf(opts));
  let records = await readRecords(opts.env);
  const verified = new Set(run.probes.filter((p) => isVerified(p.evidence)).map((p) => p.target.use.secret));
  // Tokens the records know (diagnose recorded the first sighting of every one it met) get a stamp.
  const stamp = [...verified].filter((secret) => findRecord(records, secret));
  if (stamp.length > 0) {
    records = await updateRecords((file) => {
      for (const secret of stamp) {
        const record = findRecord(file, secret);
        if (record) record.lastVerified = opts.now.toISOString();
      }
    }, opts.env);
  }
  const view = buildStatus({
    facts: run.facts,
    report: run.report,
    probes: run.probes,
    recordFor: (secret) => findRecord(records, secret),
    now: opts.now,
    warnDays: opts.warnDays,
    recordsFile: recordsPath(opts.env),
  });
  return { view, stats: run.report.stats };
}
