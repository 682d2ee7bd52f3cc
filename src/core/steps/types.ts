/**
 * What `bbauth fix` can do, as plain data: each step names its change and why, never a secret (a step that
 * stores one names it by `secretRef`, resolved in memory at execution time). Findings render their advice from
 * these steps, and the fix plan is a list of them.
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
  | { action: 'set-config'; key: string; value: string; scope: 'global' | 'local'; why: string }
  | {
      /** Narrow a plain-text file of secrets to its owner (0600); what a store rewrite does anyway. */
      action: 'restrict-file-mode';
      file: string;
      /** The mode now, e.g. 0o644. */
      from: number;
      why: string;
    }
  | {
      action: 'remove-file-entry';
      file: string;
      line: number;
      what: 'netrc' | 'credential-store';
      why: string;
    };
