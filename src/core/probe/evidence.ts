/**
 * Probe evidence: what Bitbucket answered to the few requests bbauth sends for one credential. One type for
 * every command (doctor, status, fix, login, scan --verify), named by what git does: fetch, push, the retry with
 * the static username, and the REST identity call.
 */
import { describeOutcome, isFault, type ProbeResult } from './outcome.js';
import type { CredentialKind } from '../model.js';
import { gitUsernameFor } from '../token/usernames.js';

/** One request bbauth may send; also the evidence field its answer goes in. */
export type ProbeStep = 'fetch' | 'push' | 'staticUser' | 'identity';

/** The answers so far; a missing field is a request not sent. */
export type Evidence = Partial<Record<ProbeStep, ProbeResult>>;

const ORDER: readonly ProbeStep[] = ['fetch', 'push', 'staticUser', 'identity'];

/**
 * One human line per answer (`fetch: HTTP 200 OK`, `push acme/web: HTTP 403: …`), in the order they were
 * asked. `repo` names the repository in each git line; `username` is the one sent, so the static-username retry
 * line says what changed (`kind` names the static username it retried with).
 */
export function evidenceLines(ev: Evidence, opts: { repo?: string; kind?: CredentialKind } = {}): string[] {
  const repo = opts.repo ? ` ${opts.repo}` : '';
  const label: Record<ProbeStep, string> = {
    fetch: `fetch${repo}`,
    push: `push${repo}`,
    staticUser: `fetch${repo} as ${gitUsernameFor(opts.kind)}`,
    identity: 'REST /2.0/user',
  };
  return ORDER.flatMap((step) => {
    const r = ev[step];
    return r ? [`${label[step]}: ${describeOutcome(r.status, r.outcome)}`] : [];
  });
}

/** True when a request got no answer worth reading (no answer, a rate limit, a server error, not Bitbucket). */
export function isUnanswered(r: ProbeResult | undefined): boolean {
  return isFault(r?.outcome.kind);
}
