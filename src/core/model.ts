/**
 * The plain data bbauth reasons about. Human, JSON and SARIF renderers all consume these same objects, so a
 * field added here is a field every output gains: keep it free of secrets by construction (fingerprints only).
 */
import type { FindingId, Severity } from './findings/catalogue.js';

export type { Severity };

/** What a secret is, as far as bbauth can tell (offline by shape and checksum, or online by the server's answer). */
export type CredentialKind =
  | 'api-token' // ATATT…, Atlassian API token (scoped or "classic" unscoped: indistinguishable offline)
  | 'access-token' // ATCTT…, repository/project/workspace access token
  | 'app-password' // ATBB…, retired 2026-07-28
  | 'legacy-secret' // bare 20/24 alphanumeric: old app password or old Atlassian token
  | 'datacenter-token' // BBDC-…, Bitbucket Data Center personal access token
  | 'unknown'; // account password, OAuth token, anything else

/** A pointer to where something was found. Every field is optional; renderers show what is there. */
export interface Location {
  /** Repository root (work tree or git dir) the finding belongs to. */
  repository?: string;
  remote?: string;
  /** A URL with every secret masked. */
  url?: string;
  configKey?: string;
  /** File the config key came from, as git reports it (`file:/home/u/.gitconfig`). */
  configOrigin?: string;
  /** `system` | `global` | `local` | `worktree` | `command`. */
  configScope?: string;
  file?: string;
  line?: number;
  /** Credential helper name (`store`, `manager`, `osxkeychain`, `bbauth`, …). */
  helper?: string;
  /** Environment variable name (never its value). */
  env?: string;
  host?: string;
}

/** A credential as shown to people: kind and fingerprint, never the secret itself. */
export interface CredentialRef {
  kind: CredentialKind;
  /** `ATATT3…A1B2 (192 chars)`; see redact.ts. */
  fingerprint: string;
  /** Where git gets it: `url`, `helper:store`, `netrc`, `extraheader`, `file`, `env:BITBUCKET_API_TOKEN`… */
  source: string;
  username?: string;
  /** The credential's fleet id (scan only; see fleet/credential-id.ts). */
  id?: string;
}

export interface Fix {
  summary: string;
  /** Exact commands with real names filled in; `<…>` placeholders only for what bbauth cannot know. */
  commands: string[];
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** One sentence: why this is a problem. Never contains a secret. */
  message: string;
  location: Location;
  credential?: CredentialRef;
  /** What the server answered, when an online check ran (`HTTP 410: CHANGE-3222 …`). */
  evidence?: string;
  fix: Fix;
  /**
   * The findings this one explains, folded into it because they have the same root cause (a retired app password
   * in a helper is one error with one fix, not three). Each keeps its id and sentence.
   */
  because?: { id: FindingId; message: string }[];
}

/** Worst severity first, for sorting and for the verdict. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** True if any finding would make git or the API fail. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
