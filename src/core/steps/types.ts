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
  | {
      action: 'set-remote-url';
      remote: string;
      push: boolean;
      from: string;
      to: string;
      why: string;
      /** The repository it is run in, when a plan spans several (`fix --all`); else the current one. */
      repository?: string;
    }
  | { action: 'unset-config'; key: string; file: string; why: string }
  | {
      action: 'set-config';
      key: string;
      value: string;
      scope: 'global' | 'local';
      why: string;
      /** For `local`: the repository, when a plan spans several. */
      repository?: string;
    }
  | {
      /**
       * Give the host a helper of its own in the global config: an empty value (which resets the helper list
       * for URLs under `origin`) then `helper`, so a generic `credential.helper store` no longer keeps its
       * credentials in plain text. A keychain is probed first: one that cannot keep a token changes nothing.
       */
      action: 'use-helper';
      origin: string;
      helper: string;
      why: string;
    }
  | {
      /** Narrow a plain-text file of secrets to its owner (0600); what a store rewrite does anyway. */
      action: 'restrict-file-mode';
      file: string;
      /** The mode now, e.g. 0o644. */
      from: number;
      why: string;
    }
  | {
      /**
       * Composer's auth.json: the `http-basic` entry for the host gets the Atlassian email and the token (Composer
       * sends it to the REST API, which wants the email); written as a file edit, never through argv.
       */
      action: 'rewrite-composer-auth';
      file: string;
      /** The key under `http-basic` (Composer's host name, without port). */
      host: string;
      username: string;
      secretRef: string;
      fingerprint: string;
      why: string;
    }
  | {
      action: 'remove-file-entry';
      file: string;
      line: number;
      what: 'netrc' | 'credential-store';
      why: string;
    };
