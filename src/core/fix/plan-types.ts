/**
 * A fix plan: plain, printable data. `--dry-run` prints exactly this object and `fix` executes exactly this
 * object. Steps never hold a secret; a step that stores one names it by `secretRef`, resolved in memory at
 * execution time.
 */
import type { FixStep } from '../steps/types.js';

export type { FixStep };

export interface FixPlan {
  schemaVersion: 1;
  repository?: string;
  steps: FixStep[];
  /** True when no working credential exists and the user must supply a new token first. */
  needsToken: boolean;
  needsTokenReason?: string;
  /** Problems bbauth cannot fix (permissions, insteadOf rules…), with what to do. */
  manual: string[];
  /** Remotes to verify with real git afterwards (in which repository, for `fix --all`), and whether push should work. */
  verify: { remote: string; push: boolean; repository?: string }[];
}
