/**
 * `bbauth status` view model: for each Bitbucket remote (or, outside a repository, the host's helper), which
 * credential git will send, what bbauth's records know about it, and what doctor's probes showed just now.
 * Pure: built from doctor's facts, report and probe evidence, a record lookup and a clock. The view holds
 * fingerprints only; secrets stay in `facts` and are read here solely to deduplicate and look up records.
 */
import type { DoctorReport } from './doctor/report.js';
import { pushMatters, type DoctorFacts, type SecretUse } from './doctor/facts.js';
import type { NeedChoice } from './credential/need.js';
import { probeFor, type ProbeTarget } from './doctor/online.js';
import type { Evidence } from './probe/evidence.js';
import {
  evidenceState,
  FAILING_STATES,
  readEvidence,
  worstState,
  type CredentialState,
} from './probe/interpret.js';
import {
  expiryFindings,
  expiryStatus,
  formatExpiry,
  knownExpiry,
  type ExpiryRecord,
  type ExpiryState,
} from './expiry.js';
import { sourceLabel } from './findings/build.js';
import type { CredentialKind, Finding } from './model.js';
import { fingerprint } from './redact.js';
import { useState } from './credential/verdict.js';
import { sentCandidate, type Prediction } from './credential/predict.js';

/** The record fields status reads (records.ts's CredentialRecord fits). */
export interface StatusRecord extends ExpiryRecord {
  scopesSeen?: string[];
  scopesMissing?: string[];
  lastVerified?: string;
  lastWorked?: string;
  lastFailed?: string;
}

export type { CredentialState };
export { FAILING_STATES };

export interface StatusCredential {
  /** `c1`, `c2`…: how remotes refer to it (fingerprints of short secrets can collide). */
  id: string;
  kind: CredentialKind;
  fingerprint: string;
  /** `helper:store`, `url`, `netrc`, `extraheader`. */
  source: string;
  username?: string;
  /** Remote names, or `host` for the host's helper credential outside a repository. */
  usedBy: string[];
  state: CredentialState;
  recorded: boolean;
  scopesSeen: string[];
  scopesMissing: string[];
  expires?: string;
  /** `expires` is the latest the token can live (no expiry recorded: a year after bbauth first met it). */
  expiresBound?: boolean;
  daysLeft?: number;
  expiryState?: ExpiryState;
  lastVerified?: string;
  lastWorked?: string;
  lastFailed?: string;
}

export interface StatusRemote {
  name: string;
  /** Secrets masked. */
  url: string;
  direction: 'fetch' | 'push' | 'both';
  ssh: boolean;
  /** Id of the credential git sends (absent for SSH and when nothing is stored). */
  credential?: string;
  state: CredentialState | 'ssh';
  /** What the server said now (`fetch: HTTP 200 OK`). */
  server: string[];
  /** Error findings doctor has for this remote (one sentence each). */
  problems: { id: string; message: string }[];
  /** What `git fetch` and `git push` will do now: the very prediction doctor's report carries. */
  predicted?: Prediction;
}

export interface StatusView {
  schemaVersion: 1;
  /** `bitbucket.org` (host[:port]). */
  host: string;
  bitbucketUrl: string;
  repository?: string;
  online: boolean;
  /** What access this machine needs, and who said so. */
  need: NeedChoice;
  remotes: StatusRemote[];
  /** The host's helper credential outside a repository (or when no remote uses HTTPS). */
  hostCredential?: { credential: string; helper: string; state: CredentialState };
  credentials: StatusCredential[];
  /** Expiry warnings and errors for the credentials git uses. */
  findings: Finding[];
  ok: boolean;
}

export interface StatusInput {
  facts: DoctorFacts;
  report: DoctorReport;
  probes: readonly { target: ProbeTarget; evidence: Evidence }[];
  /** The record for a secret, if bbauth has one (the lookup hashes; this module never does). */
  recordFor: (secret: string) => StatusRecord | undefined;
  now: Date;
  warnDays: number;
  recordsFile?: string;
}

/** The state an online probe proves, or undefined when no request was answered for it. */
export function stateFromEvidence(ev: Evidence, push: boolean): CredentialState | undefined {
  return evidenceState(ev, push);
}

/** True when a probe showed the credential authenticating (fetch answered 200): worth a `lastVerified`. */
export function isVerified(ev: Evidence): boolean {
  return ev.fetch?.outcome.kind === 'ok';
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/** Builds the status view. */
export function buildStatus(input: StatusInput): StatusView {
  const { facts, report } = input;
  const creds = new Map<string, { view: StatusCredential; secret: string }>();
  const credentialFor = (use: SecretUse, usedBy: string): StatusCredential => {
    const key = `${use.secret}\u0000${use.username ?? ''}\u0000${sourceLabel(use)}`;
    let entry = creds.get(key);
    if (!entry) {
      entry = { view: newCredential(`c${creds.size + 1}`, use, input), secret: use.secret };
      creds.set(key, entry);
    }
    if (!entry.view.usedBy.includes(usedBy)) entry.view.usedBy.push(usedBy);
    return entry.view;
  };
  const remotes: StatusRemote[] = [];
  facts.remotes.forEach((r, i) => {
    if (!r.bitbucket) return;
    const rep = report.remotes[i]!;
    const ssh = r.url.scheme === 'ssh';
    // The credential git ends up sending (a refused .netrc entry makes way for the helper), as the prediction.
    const first = ssh
      ? undefined
      : sentCandidate(r.candidates, (use) => probeFor(input.probes, r, use)?.evidence);
    const errors = rep.findings.filter((f) => f.severity === 'error');
    const view: StatusRemote = {
      name: r.name,
      url: rep.url,
      direction: r.direction,
      ssh,
      state: ssh ? 'ssh' : 'none',
      server: rep.server,
      problems: errors.map((f) => ({ id: f.id, message: f.message })),
    };
    if (rep.predicted) view.predicted = rep.predicted;
    if (first) {
      const cred = credentialFor(first, r.name);
      view.credential = cred.id;
      const probe = probeFor(input.probes, r, first);
      if (probe) addProbeScopes(cred, probe.evidence);
      const fp = fingerprint(first.secret);
      const offlineBroken = errors.some((f) => !f.credential || f.credential.fingerprint === fp);
      view.state = useState({
        sends: true,
        push: pushMatters(facts, r),
        offlineError: offlineBroken,
        ...(probe ? { evidence: probe.evidence } : {}),
      });
      cred.state = worstState(cred.state, view.state);
    }
    remotes.push(view);
  });
  let hostCredential: StatusView['hostCredential'];
  const hostUse = facts.hostCandidates[0];
  if (hostUse) {
    const cred = credentialFor(hostUse, 'host');
    const fp = fingerprint(hostUse.secret);
    const broken = report.findings.some(
      (f) => f.severity === 'error' && f.location.remote === undefined && f.credential?.fingerprint === fp,
    );
    const state = useState({ sends: true, push: false, offlineError: broken });
    cred.state = worstState(cred.state, state);
    hostCredential = { credential: cred.id, helper: hostUse.helper ?? 'unknown', state };
  }
  const credentials = [...creds.values()].map((c) => c.view);
  const records = [...creds.values()].flatMap((c) => input.recordFor(c.secret) ?? []);
  const findings = expiryFindings(records, input.now, input.warnDays, input.recordsFile);
  const view: StatusView = {
    schemaVersion: 1,
    host: new URL(facts.endpoints.bitbucketUrl).host,
    bitbucketUrl: facts.endpoints.bitbucketUrl,
    online: report.online,
    need: facts.need,
    remotes,
    credentials,
    findings,
    ok: false,
  };
  if (hostCredential) view.hostCredential = hostCredential;
  if (facts.repository) view.repository = facts.repository;
  view.ok = statusExitCode(view) === 0;
  return view;
}

function newCredential(id: string, use: SecretUse, input: StatusInput): StatusCredential {
  const record = input.recordFor(use.secret);
  const c: StatusCredential = {
    id,
    kind: use.class.kind,
    fingerprint: fingerprint(use.secret),
    source: sourceLabel(use),
    usedBy: [],
    state: 'works',
    recorded: record !== undefined,
    scopesSeen: record?.scopesSeen ?? [],
    scopesMissing: record?.scopesMissing ?? [],
  };
  if (use.username !== undefined) c.username = use.username;
  const known = record && knownExpiry(record);
  if (known) {
    c.expires = formatExpiry(known.expires);
    if (known.bound) c.expiresBound = true;
    const s = expiryStatus(known.expires, input.now, input.warnDays);
    if (s) Object.assign(c, { daysLeft: s.daysLeft, expiryState: s.state });
  }
  for (const k of ['lastVerified', 'lastWorked', 'lastFailed'] as const) if (record?.[k]) c[k] = record[k];
  return c;
}

/** Scopes the probes proved now: added to what the records saw; one proved present is no longer missing. */
function addProbeScopes(cred: StatusCredential, ev: Evidence): void {
  const v = readEvidence(cred.kind, ev, false);
  cred.scopesSeen = union(cred.scopesSeen, v.scopesSeen);
  cred.scopesMissing = union(cred.scopesMissing, v.scopesMissing).filter((s) => !cred.scopesSeen.includes(s));
}

/**
 * 0 when everything git will use works (offline: nothing proven broken), 1 when something git will use fails
 * or has expired, 2 when nothing failed but Bitbucket could not be reached to check (environment).
 */
export function statusExitCode(view: StatusView): 0 | 1 | 2 {
  const states = [
    ...view.remotes.map((r) => r.state),
    ...(view.hostCredential ? [view.hostCredential.state] : []),
  ];
  if (states.some((s) => s !== 'ssh' && FAILING_STATES.has(s))) return 1;
  if (view.findings.some((f) => f.severity === 'error')) return 1;
  // No Bitbucket remote and nothing stored for the host: not logged in (as `gh auth status`).
  if (view.remotes.length === 0 && !view.hostCredential) return 1;
  if (states.includes('unreachable')) return 2;
  return 0;
}
