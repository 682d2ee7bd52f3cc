/** Scan's plain data: what one place yielded, and the report every renderer (human, JSON, SARIF) consumes. */
import type { CredentialKind, Finding, Location, Severity } from '../model.js';

/** One secret (or, for encrypted Jenkins credentials, none) at one place, with its findings. In memory only. */
export interface ScanItem {
  secret?: string;
  kind?: CredentialKind;
  /** The username sent with the secret, when the place says (URL, store, netrc, auth.json). */
  username?: string;
  /** How an extra header sends it (a Bearer API token needs no request to know it fails). */
  source?: 'extraheader';
  scheme?: 'basic' | 'bearer';
  location: Location;
  findings: Finding[];
}

/** One distinct credential and every place it was found. */
export interface ScanCredential {
  kind: CredentialKind;
  fingerprint: string;
  locations: Location[];
  findingIds: string[];
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface ScanSummary {
  files: number;
  repositories: number;
  credentials: number;
  byKind: Partial<Record<CredentialKind, number>>;
  bySeverity: Record<Severity, number>;
  /** Bad-checksum tokens under test-fixture folders, not reported (see places.ts isFixturePath). */
  fixtureDecoys: number;
}

export interface ScanReport {
  schemaVersion: 1;
  findings: Finding[];
  credentials: ScanCredential[];
  skipped: Skipped[];
  summary: ScanSummary;
}
