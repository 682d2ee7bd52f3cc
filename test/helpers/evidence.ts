/** Probe evidence (classified by the real classifyResponse), doctor's pure pipeline over it, and records. */
import {
  buildReport,
  classifyResponse,
  classifySecret,
  diagnoseOffline,
  fingerprint,
  onlineFindings,
  planProbes,
  type DoctorFacts,
  type DoctorReport,
  type ExpiryRecord,
  type Finding,
  type ProbeEvidence,
  type ProbeOutcome,
  type ProbeResult,
  type ProbeTarget,
} from './core.js';

const CHANGE_3222 = [
  'remote: CHANGE-3222 - Functionality has been deprecated',
  'remote: App passwords are deprecated and must be replaced with API tokens.',
].join('\n');
const NO_ACCESS =
  'remote: You may not have access to this repository or it no longer exists in this workspace.';

function answered(status: number, body: string, headers: Record<string, string> = {}): ProbeResult {
  return { outcome: classifyResponse(status, headers, body), status, request: 'GET info/refs', attempts: 1 };
}

/** What Bitbucket answers, classified by the real classifyResponse. */
export const answer = {
  ok: (): ProbeResult => answered(200, '001e# service=git-upload-pack\n'),
  /** 410 CHANGE-3222: an app password. */
  retired: (): ProbeResult => answered(410, CHANGE_3222),
  /** 401: wrong, revoked, unscoped or mis-paired. */
  rejected: (): ProbeResult =>
    answered(401, 'Login failed due to incorrect login credentials or method.', {
      'www-authenticate': 'Basic realm="Bitbucket.org HTTP"',
    }),
  /** 403 "lack one or more required privilege scopes". */
  scope: (): ProbeResult => answered(403, 'Your credentials lack one or more required privilege scopes.'),
  /** 403 or 404 for a credential that authenticated. */
  noAccess: (status: 403 | 404 = 404): ProbeResult => answered(status, NO_ACCESS),
  rateLimited: (retryAfter = 30): ProbeResult => answered(429, '', { 'retry-after': String(retryAfter) }),
  serverError: (status = 502): ProbeResult => answered(status, 'Bad Gateway'),
  /** A redirect (a portal sending the browser to its login page). */
  redirect: (location: string): ProbeResult => answered(302, '', { location }),
  /** A captive portal's login page where the git endpoint should answer: 200, but text/html. */
  portal: (): ProbeResult => ({
    outcome: classifyResponse(
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      '<html><head><title>Hotel Wi-Fi</title></head><body>Please log in</body></html>',
      'git',
    ),
    status: 200,
    request: 'GET info/refs',
    attempts: 1,
  }),
  /** No HTTP answer at all. */
  network: (errorKind = 'dns', host = 'bitbucket.org', proxy?: string): ProbeResult => {
    const outcome: ProbeOutcome = {
      kind: 'network',
      errorKind,
      host,
      detail: `getaddrinfo ENOTFOUND ${host}`,
    };
    if (proxy) outcome.proxy = proxy;
    return { outcome, request: 'GET info/refs', attempts: 1 };
  },
};

/** The real probe targets for the facts; evidence for each, by default the same for all. */
export function probesFor(
  f: DoctorFacts,
  evidence: ProbeEvidence | ((t: ProbeTarget) => ProbeEvidence),
): { target: ProbeTarget; evidence: ProbeEvidence }[] {
  return planProbes(f).map((target) => ({
    target,
    evidence: typeof evidence === 'function' ? evidence(target) : evidence,
  }));
}

/** onlineFindings for every planned target, all answered with `evidence`. */
export function online(f: DoctorFacts, evidence: ProbeEvidence): Finding[] {
  return probesFor(f, evidence).flatMap(({ target, evidence: ev }) => onlineFindings(f, target, ev));
}

/** Doctor's whole pure pipeline: offline rules, online rules for the given evidence, the report. */
export function doctorReport(
  f: DoctorFacts,
  evidence?: ProbeEvidence | ((t: ProbeTarget) => ProbeEvidence),
  extra: Finding[] = [],
): { report: DoctorReport; probes: { target: ProbeTarget; evidence: ProbeEvidence }[] } {
  const probes = evidence ? probesFor(f, evidence) : [];
  const report = buildReport({
    facts: f,
    offline: [...diagnoseOffline(f), ...extra],
    online: probes.flatMap(({ target, evidence: ev }) => onlineFindings(f, target, ev)),
    probes,
    ranOnline: evidence !== undefined,
    stats: { requests: 0, gitCalls: 0 },
  });
  return { report, probes };
}

// ---------------------------------------------------------------------------------------------------------
// Records

/** A credential record as bbauth's records file holds it (fingerprint only). */
export function record(secret: string, fields: Partial<ExpiryRecord> = {}): ExpiryRecord {
  return {
    fingerprint: fingerprint(secret),
    kind: classifySecret(secret).kind,
    host: 'bitbucket.org',
    ...fields,
  };
}
