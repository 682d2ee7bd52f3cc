/**
 * Every pure rule the rule tables exercise, re-exported from where it lives today. The tables import only from
 * here and from ./facts.ts, so when the core is regrouped this file is the one place that changes.
 */

// Catalogue and model
export { FINDING_IDS, type FindingId } from '../../src/core/findings/catalogue.js';
export type { CredentialKind, Finding, Location, Severity } from '../../src/core/model.js';

// Secrets: classification, minting, fingerprints
export { classifySecret } from '../../src/core/credential/secret-class.js';
export { mintSecret, type RandomInt } from '../../src/core/token/format.js';
export { fingerprint } from '../../src/core/redact.js';

// Parsers the facts are made of
export { parseRemoteUrl, originOf, withoutCredentials } from '../../src/core/parse/remote-url.js';
export { helpersFor } from '../../src/core/parse/credential-helpers.js';
export { normalizeKey, type ConfigEntry } from '../../src/core/parse/git-config.js';
export type { StoredCredential } from '../../src/core/parse/credential-store.js';
export type { NetrcEntry } from '../../src/core/parse/netrc.js';
export { classifyResponse, type ProbeOutcome, type ProbeResult } from '../../src/core/probe/outcome.js';
export { authorizationHeaders } from '../../src/core/places/extra-header.js';

// Doctor: facts, offline and online rules, report
export type { DoctorFacts, EmailGuess, RemoteFacts, SecretUse } from '../../src/core/doctor/facts.js';
export { reachesAskPass } from '../../src/core/doctor/facts.js';
export type { AskPass } from '../../src/core/places/askpass.js';
export { fileFindings, hostFindings, remoteFindings } from '../../src/core/doctor/offline.js';
export { onlineFindings, planProbes, type ProbeTarget } from '../../src/core/doctor/online.js';
export type { Evidence as ProbeEvidence } from '../../src/core/probe/evidence.js';
export { buildReport, dedupeFindings, type DoctorReport } from '../../src/core/doctor/report.js';
export { diagnoseOffline } from '../../src/core/doctor/offline.js';
export { erasedFindings, type ErasedRecord } from '../../src/core/doctor/erased.js';

// Lifetime
export { expiryFindings, type ExpiryRecord } from '../../src/core/expiry.js';

// Scan's place rules
export { scanFileText } from '../../src/core/scan/file-findings.js';
export { foldOwnBackups } from '../../src/core/scan/own-backups.js';
export { repoFindings, jenkinsFindings } from '../../src/core/scan/repo-findings.js';
export { extraHeaderItems } from '../../src/core/scan/extra-header.js';
export { planVerify, verifyFindings } from '../../src/core/scan/verify.js';
export { parseGitConfigFile } from '../../src/core/scan/git-config-file.js';
export { parseJenkinsCredentials, parseJenkinsJob } from '../../src/core/places/jenkins.js';
export { placeOf } from '../../src/core/scan/places.js';

// Fix planning
export { planFixes, type CheckedSecret, type NewToken } from '../../src/core/fix/plan.js';
export type { FixPlan, FixStep } from '../../src/core/fix/plan-types.js';

// Status
export {
  buildStatus,
  stateFromEvidence,
  statusExitCode,
  FAILING_STATES,
  type CredentialState,
  type StatusView,
} from '../../src/core/status.js';

// What access the machine needs
export { pushesToBitbucket, resolveNeed } from '../../src/core/credential/need.js';
