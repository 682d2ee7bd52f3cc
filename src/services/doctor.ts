/**
 * `bbauth doctor`: gather facts, apply the offline rules, then (unless offline) send the fewest requests that
 * settle the cause, once per distinct credential, and apply the online rules.
 */
import type { DoctorFacts } from '../core/doctor/facts.js';
import { diagnoseOffline } from '../core/doctor/offline.js';
import { onlineFindings, planProbes, probeSubject, type ProbeTarget } from '../core/doctor/online.js';
import type { Evidence } from '../core/probe/evidence.js';
import { buildReport, historyLine, type DoctorReport } from '../core/doctor/report.js';
import type { Endpoints } from '../core/endpoints.js';
import type { Finding } from '../core/model.js';
import { gatherEvidence } from './probe.js';
import { gitStats } from '../git/run-git.js';
import { cleanRemoteUrl } from '../core/findings/advice.js';
import { httpStats } from '../net/request.js';
import { gatherDoctorFacts } from './doctor-facts.js';
import { expiryFindings } from '../core/expiry.js';
import { erasedFindings } from '../core/doctor/erased.js';
import { defaultStorePaths } from '../sources/credential-files.js';
import {
  digestOf,
  findRecord,
  noteSeen,
  readRecords,
  recordsPath,
  type CredentialRecord,
  type RecordsFile,
} from '../store/records.js';

/** The options every service built on doctor passes through (fix, status). */
export function doctorOptionsOf(o: DoctorOptions): DoctorOptions {
  const { cwd, endpoints, offline, email, need, env, now, onRequest } = o;
  return {
    cwd,
    endpoints,
    offline,
    ...(email ? { email } : {}),
    ...(need ? { need } : {}),
    ...(env ? { env } : {}),
    ...(now ? { now } : {}),
    ...(onRequest ? { onRequest } : {}),
  };
}

export interface DoctorOptions {
  cwd: string;
  endpoints: Endpoints;
  offline: boolean;
  email?: string;
  /** `--need fetch|push` (otherwise git config bbauth.need, then the repository's remotes decide). */
  need?: string;
  /** `--ask-askpass`: let git ask the askpass program once where it would, and judge the answer. */
  askAskPass?: boolean;
  /** `bbauth doctor URL`: a clone URL to judge instead of the repository's remotes. */
  url?: string;
  /** With `url`: the token to judge for it (`--with-token`), instead of what git would find. */
  token?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
  /** Days before a recorded expiry to warn (token-expires-soon); default 30. */
  warnDays?: number;
  /** Called before each request, for --verbose progress (no secret in the label). */
  onRequest?: (label: string) => void;
}

export interface DoctorRun {
  report: DoctorReport;
  /** In memory only: holds secrets. For services built on doctor (status, fix); never rendered. */
  facts: DoctorFacts;
  probes: { target: ProbeTarget; evidence: Evidence }[];
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
    ...(opts.need ? { need: opts.need } : {}),
    ...(opts.askAskPass ? { askAskPass: true } : {}),
    ...(opts.url ? { url: opts.url } : {}),
    ...(opts.token !== undefined ? { token: opts.token } : {}),
  });
  const env = opts.env ?? process.env;
  // Every token met here gets its first sighting recorded (its expiry is bounded from it); not one given only to
  // be checked (`doctor URL --with-token`), which bbauth keeps nothing of. The records are read once.
  let records = await readRecords(env);
  if (opts.token === undefined) {
    const host = new URL(facts.endpoints.bitbucketUrl).host;
    const met = [
      ...facts.remotes.filter((r) => r.bitbucket).flatMap((r) => r.candidates),
      ...facts.hostCandidates,
    ];
    records = await noteSeen(
      met.map((u) => ({ secret: u.secret, kind: u.class.kind, host })),
      env,
      facts.now,
      records,
    );
  }
  const recorded = recordedUses(facts, records);
  // The REST identity check needs the Atlassian email: a flag or BBAUTH_EMAIL wins, then what `bbauth login`
  // recorded for a token in use, and only then a guess from git's user.email.
  const recordedEmail = recorded.find((r) => r.record.email)?.record.email;
  if (recordedEmail && (!facts.email || facts.email.source === 'git-config'))
    facts.email = { value: recordedEmail, source: 'record' };
  const offline = [
    ...diagnoseOffline(facts),
    ...expiryOf(recorded, facts.now, opts.warnDays ?? 30, recordsPath(env)),
    ...erasedFindings(facts, {
      records: records.credentials,
      digestOf,
      storeDefaults: defaultStorePaths(env),
      ...(env.HOME ? { home: env.HOME } : {}),
    }),
  ];
  const online: Finding[] = [];
  const probes: { target: ProbeTarget; evidence: Evidence }[] = [];
  if (!opts.offline) {
    const targets = planProbes(facts);
    // A few at a time: enough to be quick on many remotes, few enough not to trip rate limits.
    const results = await mapLimit(targets, 4, (t) =>
      gatherEvidence(probeSubject(t, facts), t.use.secret, 'diagnose', {
        apiUrl: facts.endpoints.apiUrl,
        ...(opts.onRequest ? { onRequest: opts.onRequest } : {}),
      }),
    );
    targets.forEach((target, i) => {
      probes.push({ target, evidence: results[i]! });
      online.push(...onlineFindings(facts, target, results[i]!));
    });
  }
  const history = recorded.flatMap(({ record, remote }) => {
    const line = remote ? historyLine(record) : undefined;
    return line && remote ? [{ remote, line }] : [];
  });
  const report = buildReport({
    history,
    facts,
    offline,
    online,
    probes,
    ranOnline: !opts.offline,
    stats: { requests: httpStats.sent - httpBefore, gitCalls: gitStats.spawned - gitBefore },
  });
  if (opts.url) {
    const r = facts.remotes[0];
    if (r?.bitbucket && r.url.workspace && r.url.repo) {
      const kind = r.candidates[0]?.class.kind;
      report.clone =
        r.url.scheme === 'ssh'
          ? `git clone ${r.url.raw}`
          : `git clone ${cleanRemoteUrl({ origin: facts.endpoints.bitbucketUrl, workspace: r.url.workspace, repo: r.url.repo }, kind === 'access-token' ? kind : 'api-token')}`;
    }
  }
  return { report, facts, probes };
}

/** The tokens in use that bbauth has records for, once per record and remote. */
function recordedUses(
  facts: DoctorFacts,
  records: RecordsFile,
): { record: CredentialRecord; remote?: string }[] {
  const out: { record: CredentialRecord; remote?: string }[] = [];
  const seen = new Set<string>();
  for (const use of [...facts.remotes.flatMap((r) => r.candidates), ...facts.hostCandidates]) {
    const record = findRecord(records, use.secret);
    const key = `${record?.digest}|${use.location.remote ?? ''}`;
    if (!record || seen.has(key)) continue;
    seen.add(key);
    out.push(use.location.remote ? { record, remote: use.location.remote } : { record });
  }
  return out;
}

/** token-expires-soon / token-expired for recorded tokens this repository (or the host) uses. */
function expiryOf(
  recorded: { record: CredentialRecord; remote?: string }[],
  now: Date,
  warnDays: number,
  file: string,
): Finding[] {
  return recorded.flatMap(({ record, remote }) =>
    expiryFindings([record], now, warnDays, file).map((f) =>
      remote ? { ...f, location: { ...f.location, remote } } : f,
    ),
  );
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
