/**
 * The one reading of probe evidence: what git will be able to do with the credential (its state), and which
 * scopes the answers prove present or missing. Status, doctor's report, fix and login all read evidence here.
 */
import type { CredentialKind } from '../model.js';
import type { Evidence } from './evidence.js';
import { isFault } from './outcome.js';

/**
 * Whether git's credential works. `broken`: offline rules already prove git will fail; `none`: nothing stored,
 * git would prompt; `unchecked`: offline, or nothing to probe against.
 */
export type CredentialState =
  | 'works'
  | 'push-refused'
  | 'refused'
  | 'missing-scope'
  | 'no-access'
  | 'broken'
  | 'none'
  | 'unreachable'
  | 'unchecked';

/** Worst first: a credential used by several remotes shows its worst state. */
const STATE_RANK: readonly CredentialState[] = [
  'broken',
  'refused',
  'missing-scope',
  'no-access',
  'push-refused',
  'none',
  'unreachable',
  'unchecked',
  'works',
];

/** States in which git will fail: every state worse than `unreachable` (which says nothing was learnt). */
export const FAILING_STATES: ReadonlySet<CredentialState> = new Set(
  STATE_RANK.slice(0, STATE_RANK.indexOf('unreachable')),
);

/** The worse of two states. */
export function worstState(a: CredentialState, b: CredentialState): CredentialState {
  return STATE_RANK.indexOf(a) <= STATE_RANK.indexOf(b) ? a : b;
}

export interface Reading {
  /** What git will do, or undefined when no fetch request was answered for it. */
  state?: CredentialState;
  fetchOk: boolean;
  pushOk: boolean;
  /**
   * For a token being checked: `works` (fetch, and push if asked, succeeded), `dead` (refused outright),
   * `partial` (valid but lacking a scope or permission), `unverified` (nothing answered).
   */
  verdict: 'works' | 'dead' | 'partial' | 'unverified';
  scopesSeen: string[];
  scopesMissing: string[];
}

/** The scope names for a kind: access tokens have their own (facts §4.5). */
export function repositoryScopes(kind: CredentialKind): { read: string; write: string } {
  return kind === 'access-token'
    ? { read: 'repository', write: 'repository:write' }
    : { read: 'read:repository:bitbucket', write: 'write:repository:bitbucket' };
}

/** What git will be able to do, from the answers alone; undefined when no fetch request was answered. */
export function evidenceState(ev: Evidence, push: boolean): CredentialState | undefined {
  switch (ev.fetch?.outcome.kind) {
    case undefined:
      return undefined;
    case 'ok': {
      const p = ev.push?.outcome.kind;
      if (!push || !p || p === 'ok') return 'works';
      return isFault(p) ? 'unreachable' : 'push-refused';
    }
    case 'retired':
    case 'rejected':
      return 'refused';
    case 'missing-scope':
      return 'missing-scope';
    case 'no-access':
      return 'no-access';
    default:
      return 'unreachable';
  }
}

/** Reads the evidence for a credential of `kind`; `push`: whether push permission matters. */
export function readEvidence(kind: CredentialKind, ev: Evidence, push: boolean): Reading {
  const { read, write } = repositoryScopes(kind);
  const seen: string[] = [];
  const missing: string[] = [];
  const f = ev.fetch?.outcome.kind;
  const p = ev.push?.outcome.kind;
  const i = ev.identity?.outcome.kind;
  if (f === 'ok') seen.push(read);
  else if (f === 'missing-scope') missing.push(read);
  if (p === 'ok') seen.push(write);
  else if (p === 'missing-scope') missing.push(write);
  if (i === 'ok') seen.push('read:user:bitbucket');
  else if (i === 'missing-scope') missing.push('read:user:bitbucket');
  const dead = f === 'rejected' || f === 'retired' || (i === 'rejected' && !ev.fetch);
  // A fault (429, 5xx, a portal's page, no answer) says nothing about the token: not an answer, not a lack.
  const answered = (ev.fetch !== undefined && !isFault(f)) || (ev.identity !== undefined && !isFault(i));
  const lacking =
    missing.includes(read) || missing.includes(write) || (ev.push !== undefined && p !== 'ok' && !isFault(p));
  const r: Reading = {
    fetchOk: f === 'ok',
    pushOk: p === 'ok',
    verdict: dead
      ? 'dead'
      : !answered || (ev.fetch && isFault(f)) || (ev.push && isFault(p))
        ? 'unverified'
        : lacking
          ? 'partial'
          : 'works',
    scopesSeen: seen,
    scopesMissing: missing,
  };
  const state = evidenceState(ev, push);
  if (state) r.state = state;
  return r;
}
