/**
 * Assembles doctor's result: findings deduplicated and ordered, one block per remote, a verdict. This object
 * is what every renderer consumes and what `--json` prints (schemaVersion guards its shape).
 */
import type { CredentialRef, Finding } from '../model.js';
import { hasErrors, SEVERITY_RANK } from '../model.js';
import { fingerprint, maskUrl } from '../redact.js';
import { evidenceLines, type Evidence } from '../probe/evidence.js';
import { pushMatters, reachesAskPass, type DoctorFacts, type RemoteFacts, type SecretUse } from './facts.js';
import { probeFor, type ProbeTarget } from './online.js';
import { sourceLabel } from '../findings/build.js';
import { inCategory, type FindingId } from '../findings/catalogue.js';
import type { NeedChoice } from '../credential/need.js';
import { askPassSourcedFix } from '../places/askpass.js';
import { fixContext } from './context.js';
import { predictOutcome, sentCandidate, type Prediction } from '../credential/predict.js';

export interface RemoteReport {
  name: string;
  url: string;
  direction: RemoteFacts['direction'];
  bitbucket: boolean;
  ssh: boolean;
  /** The credential git will actually send first, and from where. */
  credential?: CredentialRef;
  /** What the server said, per request (`fetch: HTTP 200 OK`). */
  server: string[];
  /** What git reported through the bbauth helper (failures it saw), from bbauth's records. */
  history: string[];
  /** What `git fetch` and `git push` will do now (Bitbucket remotes only). */
  predicted?: Prediction;
  findings: Finding[];
}

export interface DoctorReport {
  schemaVersion: 1;
  repository?: string;
  bitbucketUrl: string;
  apiUrl: string;
  online: boolean;
  /** What access this machine needs (`push`, or `fetch` only), and who said so. */
  need: NeedChoice;
  email?: { value: string; source: string };
  /** Where git would ask for a password when nothing is stored: an askpass program, or the terminal. */
  prompt: { via: 'askpass'; source: string; program: string; kind: string } | { via: 'terminal' };
  remotes: RemoteReport[];
  /** `bbauth doctor URL`: the clone command to use, with the username git needs and no secret. */
  clone?: string;
  /** Every finding, remote-scoped and global, worst first within each place. */
  findings: Finding[];
  stats: { requests: number; gitCalls: number };
  verdict: string;
}

function keyOf(f: Finding): string {
  const l = f.location;
  return [f.id, l.remote, l.file, l.line, l.configKey, f.credential?.fingerprint, f.credential?.source].join(
    '|',
  );
}

/** Drops exact repeats (same id, place and credential); keeps the first. */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(keyOf(f)) ? false : (seen.add(keyOf(f)), true)));
}

// What a secret *is* does not change with where it was found: say it once, at the remote that uses it.
const isSecretKind = (f: Finding) => inCategory(f.id, 'secret');

/** Drops a secret-kind finding about a file entry when a remote already reports it for the same secret. */
function dropRepeatedKinds(findings: Finding[]): Finding[] {
  const atRemote = new Set(
    findings
      .filter((f) => isSecretKind(f) && f.location.remote !== undefined)
      .map((f) => `${f.id}|${f.credential?.fingerprint}`),
  );
  return findings.filter(
    (f) =>
      !(
        isSecretKind(f) &&
        f.location.remote === undefined &&
        atRemote.has(`${f.id}|${f.credential?.fingerprint}`)
      ),
  );
}

/** A URL secret the server refused is not just unsafe but dead: raise its severity. */
function raiseDeadUrlSecrets(findings: Finding[]): Finding[] {
  const dead = new Set(
    findings
      .filter(
        (f) =>
          (f.id === 'credential-rejected' || f.id === 'app-password-retired') &&
          f.credential?.source === 'url',
      )
      .map((f) => `${f.location.remote}|${f.credential?.fingerprint}`),
  );
  return findings.map((f) =>
    f.id === 'secret-in-remote-url' && dead.has(`${f.location.remote}|${f.credential?.fingerprint}`)
      ? { ...f, severity: 'error' }
      : f,
  );
}

/**
 * One finding per root cause: primary id → the ids it explains at the same remote (and, where the primary names a
 * credential, for that same credential). The folded findings move into the primary's `because`.
 */
const ROOT_CAUSES: Partial<Record<FindingId, readonly FindingId[]>> = {
  // Bitbucket's 410 proves what the offline classification said, and is why the helper is stuck.
  'app-password-retired': ['app-password', 'stale-cached-credential'],
  // A refused token in a helper or .netrc: the helper keeps sending it because it is dead.
  'credential-rejected': ['stale-cached-credential'],
  // Nothing to send because git erased what was stored.
  'credential-erased': ['no-credential'],
  // Nothing to send because the only helper cannot run, or cannot reach its keyring.
  'helper-not-runnable': ['no-credential'],
};

function foldRootCauses(findings: Finding[]): Finding[] {
  const folded = new Set<Finding>();
  const out = findings.map((primary) => {
    const explains = ROOT_CAUSES[primary.id];
    if (!explains || primary.location.remote === undefined || primary.severity !== 'error') return primary;
    const sameCause = (f: Finding) =>
      f !== primary &&
      !folded.has(f) &&
      explains.includes(f.id) &&
      f.location.remote === primary.location.remote &&
      (f.credential === undefined || f.credential.fingerprint === primary.credential?.fingerprint);
    const because = findings.filter(sameCause);
    if (because.length === 0) return primary;
    because.forEach((f) => folded.add(f));
    return {
      ...primary,
      because: [...(primary.because ?? []), ...because.map((f) => ({ id: f.id, message: f.message }))],
    };
  });
  return out.filter((f) => !folded.has(f));
}

/** Findings about what the askpass program answered are fixed where it gets that answer, not in a helper. */
function fixAtAskPass(facts: DoctorFacts, findings: Finding[]): Finding[] {
  const askPass = facts.askPass;
  if (!askPass) return findings;
  return findings.map((f) => {
    if (f.credential?.source !== 'askpass' || f.id === 'askpass-credential') return f;
    const remote = facts.remotes.find((r) => r.name === f.location.remote);
    const ctx = remote ? fixContext(facts, remote) : { origin: facts.endpoints.bitbucketUrl };
    return { ...f, fix: askPassSourcedFix(askPass, ctx) };
  });
}

/** The one-line verdict at the end of human output. */
export function verdictOf(findings: readonly Finding[], remotes: number): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (errors > 0)
    return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: Bitbucket authentication will fail until the errors are fixed (\`bbauth fix\`).`;
  if (warnings > 0) return `No errors; ${warnings} warning${warnings === 1 ? '' : 's'} worth fixing.`;
  return remotes > 0 ? 'Bitbucket authentication looks healthy.' : 'Nothing wrong found.';
}

export interface ReportInput {
  facts: DoctorFacts;
  offline: Finding[];
  online: Finding[];
  probes: { target: ProbeTarget; evidence: Evidence }[];
  ranOnline: boolean;
  stats: { requests: number; gitCalls: number };
  /** What git itself reported through git-credential-bbauth (records), per remote. */
  history?: { remote: string; line: string }[];
}

/** `2026-11-23 14:02 UTC` from a record's ISO timestamp. */
export function recordTime(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

/** "git reported a failure at … for token …" from a record, when git's last word was a failure. */
export function historyLine(record: {
  fingerprint: string;
  lastWorked?: string;
  lastFailed?: string;
}): string | undefined {
  const { lastFailed, lastWorked } = record;
  if (!lastFailed || (lastWorked && lastWorked > lastFailed)) return undefined;
  const when = recordTime(lastFailed);
  return `git reported a failure at ${when} for token ${record.fingerprint}${lastWorked ? ` (last worked ${lastWorked.slice(0, 10)})` : ''}`;
}

/** The prediction for one Bitbucket remote, following git's order on the wire through its candidates. */
function predictRemote(
  facts: DoctorFacts,
  r: RemoteFacts,
  findings: readonly Finding[],
  probes: ReportInput['probes'],
): Prediction {
  if (r.url.scheme === 'ssh') return { fetch: 'unknown', push: 'unknown', because: [] };
  const evidenceOf = (use: SecretUse) => probeFor(probes, r, use)?.evidence;
  const sent = sentCandidate(r.candidates, evidenceOf);
  const fp = sent && fingerprint(sent.secret);
  const tried = r.candidates.map((use) => fingerprint(use.secret));
  // Errors about this remote, and about the credentials git sends for it wherever they are reported (a .netrc
  // entry's damage is reported at the file).
  const errors = findings.filter(
    (f) =>
      f.severity === 'error' &&
      (f.location.remote === r.name ||
        (f.credential !== undefined && tried.includes(f.credential.fingerprint))),
  );
  const evidence = sent && evidenceOf(sent);
  return predictOutcome({
    sends: sent !== undefined,
    fetch: r.direction !== 'push',
    push: pushMatters(facts, r),
    // An error about the credential git ends up sending, or about the remote itself, proves git fails.
    offlineError: errors.some(
      (f) => (f.location.remote === r.name && !f.credential) || f.credential?.fingerprint === fp,
    ),
    terminal: facts.terminal !== false,
    askPass: reachesAskPass(facts, r),
    errors: errors.map((f) => f.id),
    ...(evidence ? { evidence } : {}),
  });
}

/** Builds the report from facts, findings and probe evidence. */
export function buildReport(input: ReportInput): DoctorReport {
  const { facts } = input;
  const all = fixAtAskPass(
    facts,
    foldRootCauses(
      raiseDeadUrlSecrets(dropRepeatedKinds(dedupeFindings([...input.offline, ...input.online]))),
    ),
  );
  const remotes: RemoteReport[] = facts.remotes.map((r) => {
    const first = r.candidates[0];
    const report: RemoteReport = {
      name: r.name,
      url: maskUrl(r.url.raw),
      direction: r.direction,
      bitbucket: r.bitbucket,
      ssh: r.url.scheme === 'ssh',
      server: [],
      history: (input.history ?? []).filter((h) => h.remote === r.name).map((h) => h.line),
      findings: all
        .filter((f) => f.location.remote === r.name)
        .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]),
    };
    if (first) {
      report.credential = {
        kind: first.class.kind,
        fingerprint: fingerprint(first.secret),
        source: sourceLabel(first),
      };
      if (first.username !== undefined) report.credential.username = first.username;
    }
    const probe = first && probeFor(input.probes, r, first);
    if (probe) report.server.push(...evidenceLines(probe.evidence, { kind: probe.target.use.class.kind }));
    if (r.bitbucket) report.predicted = predictRemote(facts, r, all, input.probes);
    return report;
  });
  const findings = [...all].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const out: DoctorReport = {
    schemaVersion: 1,
    bitbucketUrl: facts.endpoints.bitbucketUrl,
    apiUrl: facts.endpoints.apiUrl,
    online: input.ranOnline,
    need: facts.need,
    prompt: facts.askPass
      ? {
          via: 'askpass',
          source: facts.askPass.source,
          program: facts.askPass.program,
          kind: facts.askPass.kind,
        }
      : { via: 'terminal' },
    remotes,
    findings,
    stats: input.stats,
    verdict: verdictOf(findings, remotes.filter((r) => r.bitbucket).length),
  };
  if (facts.repository) out.repository = facts.repository;
  if (facts.email) out.email = { value: facts.email.value, source: facts.email.source };
  return out;
}

/** Exit-code view of a report. */
export function reportHasErrors(report: DoctorReport): boolean {
  return hasErrors(report.findings);
}
