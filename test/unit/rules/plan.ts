/** Shortcuts for the planFixes table: doctor's real findings over built facts, and the step shapes. */
import {
  fingerprint,
  planFixes,
  type CheckedSecret,
  type CredentialKind,
  type DoctorFacts,
  type FixPlan,
  type FixStep,
  type NewToken,
  type ProbeEvidence,
} from '../../helpers/core.js';
import { doctorReport, REPO, type FakeFacts } from '../../helpers/facts.js';
import { STATIC } from './doctor.js';

export interface Case {
  ev?: ProbeEvidence;
  /** What fix's checkSecrets found, from the built facts. */
  checked?: (f: DoctorFacts) => CheckedSecret[];
  newToken?: NewToken;
  toSsh?: boolean;
  helper?: string;
}

export function plan(b: FakeFacts, c: Case = {}) {
  const f = b.build();
  const { report } = doctorReport(f, c.ev);
  return planFixes({
    facts: f,
    findings: report.findings,
    checked: c.checked?.(f) ?? [],
    ...(c.newToken ? { newToken: c.newToken } : {}),
    ...(c.toSsh ? { toSsh: true } : {}),
    ...(c.helper ? { helper: c.helper } : {}),
  });
}

/** Every candidate of `remote`, as fix would record it after probing. */
export const checkedAs =
  (fetchOk: boolean, pushOk: boolean, remote = 'origin') =>
  (f: DoctorFacts): CheckedSecret[] =>
    f.remotes.find((r) => r.name === remote)!.candidates.map((use) => ({ use, fetchOk, pushOk }));
export const works = checkedAs(true, true);

export const CLEAN = `https://${STATIC}@bitbucket.org/acme/web.git`;
export const SSH = 'git@bitbucket.org:acme/web.git';
export const OUT_OF_URL = 'the secret leaves the URL (git asks the credential helper instead)';
export const ASK_FOR = (u: string) => `git must ask the helper for ${u}`;
export const NO_TOKEN = 'no credential on this machine is accepted by Bitbucket; a new API token is needed';
export const store = (
  secretRef: string,
  secret: string,
  why: string,
  kind: CredentialKind = 'api-token',
  username = STATIC,
): FixStep => ({
  action: 'store-credential',
  secretRef,
  fingerprint: fingerprint(secret),
  kind,
  username,
  why,
});
export const setUrl = (from: string, to: string, why: string, remote = 'origin', push = false): FixStep => ({
  action: 'set-remote-url',
  remote,
  push,
  from,
  to,
  why,
});
export const base = (o: Partial<FixPlan>): FixPlan => ({
  schemaVersion: 1,
  repository: REPO,
  steps: [],
  needsToken: false,
  manual: [],
  verify: [{ remote: 'origin', push: true }],
  ...o,
});
