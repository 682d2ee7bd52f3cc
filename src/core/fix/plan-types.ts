/**
 * A fix plan: plain, printable data. `--dry-run` prints exactly this object and `fix` executes exactly this
 * object. Steps never hold a secret; a step that stores one names it by `secretRef`, resolved in memory at
 * execution time.
 */
import type { CredentialKind } from '../model.js';

export type FixStep =
  | {
      action: 'store-credential';
      secretRef: string;
      fingerprint: string;
      kind: CredentialKind;
      username: string;
      why: string;
    }
  | { action: 'set-remote-url'; remote: string; push: boolean; from: string; to: string; why: string }
  | { action: 'unset-config'; key: string; file: string; why: string }
  | { action: 'set-config'; key: string; value: string; scope: 'global'; why: string }
  | {
      action: 'remove-file-entry';
      file: string;
      line: number;
      what: 'netrc' | 'credential-store';
      why: string;
    };

export interface FixPlan {
  schemaVersion: 1;
  repository?: string;
  steps: FixStep[];
  /** True when no working credential exists and the user must supply a new token first. */
  needsToken: boolean;
  needsTokenReason?: string;
  /** Problems bbauth cannot fix (permissions, insteadOf rules…), with what to do. */
  manual: string[];
  /** Remotes to verify with real git afterwards, and whether push should work. */
  verify: { remote: string; push: boolean }[];
}
