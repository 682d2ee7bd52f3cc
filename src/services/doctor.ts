/**
 * `bbauth doctor`: gather facts, apply the offline rules, then (unless offline) send the fewest requests that
 * settle the cause, once per distinct credential, and apply the online rules.
 */
import type { DoctorFacts } from '../core/doctor/facts.js';
import { fileFindings, hostFindings, remoteFindings } from '../core/doctor/offline.js';
import {
  nextProbe,
  onlineFindings,
  planProbes,
  type ProbeEvidence,
  type ProbeTarget,
} from '../core/doctor/online.js';
import { buildReport, type DoctorReport } from '../core/doctor/report.js';
import type { Endpoints } from '../core/endpoints.js';
import type { Finding } from '../core/model.js';
import type { ProbeResult } from '../core/responses.js';
import { probeGit, probeUser } from '../bitbucket/probe.js';
import { API_TOKEN_GIT_USERNAME } from '../core/classify/pairing.js';
import { gitStats } from '../git/run-git.js';
import { httpStats } from '../net/request.js';
import { gatherDoctorFacts } from './doctor-facts.js';
import { expiryFindings } from '../core/expiry.js';
import { findRecord, readRecords, recordsPath } from '../store/records.js';

export interface DoctorOptions {
  cwd: string;
  endpoints: Endpoints;
  offline: boolean;
  email?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
  /** Days before a recorded expiry to warn (token-expires-soon); default 30. */
  warnDays?: number;
  /** Called before each request, for --verbose progress (no secret in the label). */
  onRequest?: (label: string) => void;
}

/** Offline findings for every place doctor looked. */
export function diagnoseOffline(facts: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  for (const remote of facts.remotes) if (remote.bitbucket) out.push(...remoteFindings(facts, remote));
  if (!facts.remotes.some((r) => r.bitbucket && r.url.scheme !== 'ssh')) out.push(...hostFindings(facts));
  out.push(...fileFindings(facts));
  return out;
}

async function runProbe(
  step: NonNullable<ReturnType<typeof nextProbe>>,
  t: ProbeTarget,
  facts: DoctorFacts,
): Promise<ProbeResult> {
  switch (step) {
    case 'upload':
      return probeGit(t.repoUrl, 'git-upload-pack', t.username, t.use.secret);
    case 'receive':
      return probeGit(t.repoUrl, 'git-receive-pack', t.username, t.use.secret);
    case 'static-user':
      return probeGit(t.repoUrl, 'git-upload-pack', API_TOKEN_GIT_USERNAME, t.use.secret);
    case 'identity':
      return probeUser(facts.endpoints.apiUrl, facts.email!.value, t.use.secret);
  }
}

const FIELD = {
  upload: 'upload',
  receive: 'receive',
  'static-user': 'staticUser',
  identity: 'identity',
} as const;

/** Probes one target until nextProbe() is satisfied (bounded: each step runs at most once). */
async function probeTarget(
  t: ProbeTarget,
  facts: DoctorFacts,
  onRequest?: (label: string) => void,
): Promise<ProbeEvidence> {
  const ev: ProbeEvidence = {};
  for (let step = nextProbe(t, ev, facts.email); step; step = nextProbe(t, ev, facts.email)) {
    if (ev[FIELD[step]]) break;
    const result = await runProbe(step, t, facts);
    onRequest?.(result.request);
    ev[FIELD[step]] = result;
    // No answer at all: further requests to the same host would fail the same way.
    if (result.outcome.kind === 'network' || result.outcome.kind === 'rate-limited') break;
  }
  return ev;
}

export interface DoctorRun {
  report: DoctorReport;
  /** In memory only: holds secrets. For services built on doctor (status, fix); never rendered. */
  facts: DoctorFacts;
  probes: { target: ProbeTarget; evidence: ProbeEvidence }[];
}

/** Runs doctor and returns its report. */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  return (await diagnose(opts)).report;
}

/** Runs doctor and returns the report with the facts and probe evidence behind it. */
export async function diagnose(opts: DoctorOptions): Promise<DoctorRun> {
  const gitBefore = gitStats.spawned;
  const httpBefore = httpStats.sent;
  const facts = await gatherDoctorFacts({
    cwd: opts.cwd,
    endpoints: opts.endpoints,
    env: opts.env ?? process.env,
    now: opts.now ?? new Date(),
    ...(opts.email ? { email: opts.email } : {}),
  });
  const offline = [...diagnoseOffline(facts), ...(await expiryOf(facts, opts))];
  const online: Finding[] = [];
  const probes: { target: ProbeTarget; evidence: ProbeEvidence }[] = [];
  if (!opts.offline) {
    const targets = planProbes(facts);
    // A few at a time: enough to be quick on many remotes, few enough not to trip rate limits.
    const results = await mapLimit(targets, 4, (t) => probeTarget(t, facts, opts.onRequest));
    targets.forEach((target, i) => {
      probes.push({ target, evidence: results[i]! });
      online.push(...onlineFindings(facts, target, results[i]!));
    });
  }
  const report = buildReport({
    facts,
    offline,
    online,
    probes,
    ranOnline: !opts.offline,
    stats: { requests: httpStats.sent - httpBefore, gitCalls: gitStats.spawned - gitBefore },
  });
  return { report, facts, probes };
}

/** token-expires-soon / token-expired for recorded tokens this repository (or the host) uses. */
async function expiryOf(facts: DoctorFacts, opts: DoctorOptions): Promise<Finding[]> {
  const env = opts.env ?? process.env;
  const records = await readRecords(env);
  if (records.credentials.length === 0) return [];
  const out: Finding[] = [];
  const uses = [...facts.remotes.flatMap((r) => r.candidates), ...facts.hostCandidates];
  const seen = new Set<string>();
  for (const use of uses) {
    const record = findRecord(records, use.secret);
    if (!record) continue;
    const at = use.location.remote ? { remote: use.location.remote } : {};
    const key = `${record.digest}|${at.remote ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const f of expiryFindings([record], facts.now, opts.warnDays ?? 30, recordsPath(env))) {
      out.push({ ...f, location: { ...f.location, ...at } });
    }
  }
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
