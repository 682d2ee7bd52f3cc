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
  /** Stable across hosts, derived from the secret one way (fleet/credential-id.ts): what fleet reports group by. */
  id: string;
  kind: CredentialKind;
  fingerprint: string;
  locations: Location[];
  findingIds: string[];
  /** Its expiry from bbauth's records, or for an API token the latest it can be (`expiryBound`). */
  expires?: string;
  expiryBound?: boolean;
  /** `scan --verify` asked Bitbucket and the credential worked. */
  checked?: 'works';
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

/** Who and what a scan covered, so reports from many machines can be merged (`bbauth report`). */
export interface ScanOrigin {
  /** The machine's host name, or the `--label` given (an inventory name). */
  host: string;
  user: string;
  /** ISO timestamp of the scan. */
  scannedAt: string;
  bbauthVersion: string;
  /** The folders and files crawled (absolute). */
  roots: string[];
}

export interface ScanReport extends ScanOrigin {
  schemaVersion: 1;
  type: 'bbauth.scan';
  findings: Finding[];
  credentials: ScanCredential[];
  skipped: Skipped[];
  summary: ScanSummary;
}
