/**
 * What `git fetch` and `git push` will do for one remote right now, run the way bbauth was run (with or
 * without a terminal git can prompt on). Doctor's report and status both show this one prediction.
 */
import type { FindingId } from '../findings/catalogue.js';
import type { Evidence } from '../probe/evidence.js';
import type { ProbeResult } from '../probe/outcome.js';
import type { SecretUse } from './use.js';
import { judgeSecret } from './verdict.js';

/**
 * `prompts`: git has nothing to send and will ask on the terminal. `unknown`: nothing online could settle it
 * (offline, a network failure, an askpass program bbauth cannot see into). `not-needed`: the remote is not used
 * in that direction.
 */
export type Outcome = 'ok' | 'fails' | 'prompts' | 'unknown' | 'not-needed';

export interface Prediction {
  fetch: Outcome;
  push: Outcome;
  /** The error findings that make it fail, for `fails`. */
  because: FindingId[];
}

export interface PredictInput {
  /** git has a credential to send (URL, extra header, .netrc or a helper). */
  sends: boolean;
  evidence?: Evidence;
  fetch: boolean;
  push: boolean;
  /** An error finding proves the credential git sends fails. */
  offlineError: boolean;
  /** git can prompt on a terminal (GIT_TERMINAL_PROMPT is not 0 and there is one). */
  terminal: boolean;
  /** An askpass program answers git's prompt instead (VS Code, Jenkins, Sourcetree). */
  askPass: boolean;
  /** Error ids at this remote. */
  errors: FindingId[];
}

function answered(r: ProbeResult | undefined): 'ok' | 'fails' | undefined {
  switch (r?.outcome.kind) {
    case 'ok':
      return 'ok';
    case 'retired':
    case 'rejected':
    case 'missing-scope':
    case 'no-access':
      return 'fails';
    default:
      // No answer, 429, 5xx, anything else: the server said nothing about the credential.
      return undefined;
  }
}

/** What git does when it has nothing to send: asks the askpass program, prompts on the terminal, or fails. */
export function withNothingToSend(p: Pick<PredictInput, 'terminal' | 'askPass'>): Outcome {
  return p.askPass ? 'unknown' : p.terminal ? 'prompts' : 'fails';
}

/** The prediction for one remote. */
export function predictOutcome(p: PredictInput): Prediction {
  const nothing = withNothingToSend(p);
  const offline: Outcome = p.offlineError ? 'fails' : 'unknown';
  let fetch: Outcome;
  let push: Outcome;
  if (!p.sends) {
    fetch = push = nothing;
  } else {
    const f = answered(p.evidence?.fetch);
    fetch = f ?? offline;
    // git authenticates before it pushes: a credential refused for fetch is refused for push.
    push = f === 'fails' ? 'fails' : f === 'ok' ? (answered(p.evidence?.push) ?? 'unknown') : offline;
  }
  if (!p.fetch) fetch = 'not-needed';
  if (!p.push) push = 'not-needed';
  const failing = fetch === 'fails' || push === 'fails';
  return { fetch, push, because: failing ? [...new Set(p.errors)] : [] };
}

/**
 * Whether git moves on from `use` to the next candidate. curl sends a `.netrc` credential after the first 401;
 * when that is refused with 401 too, git asks the credential helpers. Any other answer (200, 403, 410) is final,
 * and so is every other source (a URL password, a header, the helper's own answer). Measured with git 2.39 and
 * curl 7.88 against the emulator.
 */
function fallsThrough(use: SecretUse, evidence: Evidence | undefined): boolean {
  if (use.source !== 'netrc') return false;
  if (evidence?.fetch) return evidence.fetch.outcome.kind === 'rejected';
  // Not asked (damaged, or offline): a damaged token is refused with 401; an app password gets 410.
  return judgeSecret(use.class).dead && (use.class.kind === 'api-token' || use.class.kind === 'access-token');
}

/** The credential git ends up sending for a remote, following its order on the wire through the candidates. */
export function sentCandidate(
  candidates: readonly SecretUse[],
  evidenceOf: (use: SecretUse) => Evidence | undefined,
): SecretUse | undefined {
  return candidates.find((use) => !fallsThrough(use, evidenceOf(use)));
}
