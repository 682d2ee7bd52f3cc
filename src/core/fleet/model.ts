/**
 * The fleet report: many machines' scan (and doctor) JSON merged into one view, grouped by credential id
 * (fleet/credential-id.ts) and by host. Plain data every renderer (summary, JSON, CSV, HTML) consumes; it holds
 * fingerprints and ids only, never a secret.
 */
import type { CredentialKind, Location, Severity } from '../model.js';

/** What a credential's findings across the fleet say about it, worst first. */
export type FleetVerdict = 'retired' | 'expired' | 'failing' | 'expiring' | 'works' | 'unchecked';

export const VERDICT_ORDER: readonly FleetVerdict[] = [
  'retired',
  'expired',
  'failing',
  'expiring',
  'works',
  'unchecked',
];

export interface FleetPlace {
  host: string;
  location: Location;
}

export interface FleetCredential {
  id: string;
  kind: CredentialKind;
  fingerprint: string;
  verdict: FleetVerdict;
  /** Worst severity of the findings tied to it, on any host. */
  severity?: Severity;
  /** The earliest expiry any host's records know (ISO date or timestamp); `expiryBound`: the latest it can be. */
  expires?: string;
  expiryBound?: boolean;
  /** Host labels holding it, sorted. */
  hosts: string[];
  places: FleetPlace[];
  findingIds: string[];
}

export interface FleetFinding {
  id: string;
  severity: Severity;
  message: string;
  location: Location;
  /** The fleet id of the credential it is about, when it is about one. */
  credentialId?: string;
  fingerprint?: string;
}

export interface FleetHost {
  host: string;
  user?: string;
  /** When the scan (or doctor) ran. */
  scannedAt?: string;
  bbauthVersion?: string;
  roots?: string[];
  /** What the input was, and the file it came from. */
  source: 'scan' | 'doctor';
  file: string;
  /** Ids of the credentials found on it. */
  credentials: string[];
  findings: FleetFinding[];
  bySeverity: Record<Severity, number>;
}

export interface FleetReport {
  schemaVersion: 1;
  type: 'bbauth.report';
  generatedAt: string;
  bbauthVersion: string;
  inputs: {
    /** Files read and merged. */
    files: number;
    /** An older input for a host a newer input also covers: the newer one is used. */
    superseded: { file: string; host: string }[];
    /** Inputs that are not bbauth scan or doctor JSON (only with --skip-invalid; otherwise the run stops). */
    rejected: { file: string; reason: string }[];
  };
  totals: {
    hosts: number;
    credentials: number;
    findings: number;
    bySeverity: Record<Severity, number>;
    credentialsByKind: Partial<Record<CredentialKind, number>>;
    credentialsByVerdict: Partial<Record<FleetVerdict, number>>;
    findingsById: Record<string, number>;
  };
  /** Worst verdict first, then the most hosts. */
  credentials: FleetCredential[];
  /** Most errors first, then by name. */
  hosts: FleetHost[];
}
