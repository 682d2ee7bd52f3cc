/**
 * The one probe planner. Pure and incremental: nextProbe() looks at the answers so far and names the one request
 * that tells most, or nothing. Each step runs at most once, so a credential costs at most four requests.
 */
import { gitUsernameFor } from '../token/usernames.js';
import type { CredentialKind } from '../model.js';
import { isUnanswered, type Evidence, type ProbeStep } from './evidence.js';

/** One credential as it will be sent, and what the requests may use. */
export interface ProbeSubject {
  kind: CredentialKind;
  /** The git username sent with it. */
  username: string;
  /** The repository to ask git's endpoint about (no credentials); without it, only REST identity. */
  repoUrl?: string;
  /** Whether push permission matters. */
  push: boolean;
  /** The Atlassian email, for the REST identity call (API tokens only). */
  email?: string;
}

/**
 * `diagnose` (doctor): fetch, then push if it matters, or after a refusal the static-username retry and REST
 * identity to narrow the cause; stops at the first request nothing answered. `check` (login, fix with a new or
 * re-used token): fetch and push as git will, plus REST identity whenever an email is known, for the scopes.
 * `once` (scan --verify, many credentials): one request each, git's when a repository is known.
 */
export type ProbeMode = 'diagnose' | 'check' | 'once';

/** The next request, or undefined when the evidence is enough. */
export function nextProbe(s: ProbeSubject, ev: Evidence, mode: ProbeMode): ProbeStep | undefined {
  const identity = s.email !== undefined && s.kind === 'api-token' && !ev.identity;
  if (mode === 'once') {
    if (Object.keys(ev).length > 0) return undefined;
    return s.repoUrl ? 'fetch' : identity ? 'identity' : undefined;
  }
  if (mode === 'check') {
    if (s.repoUrl && !ev.fetch) return 'fetch';
    if (s.push && ev.fetch?.outcome.kind === 'ok' && !ev.push) return 'push';
    return identity ? 'identity' : undefined;
  }
  // No answer at all: further requests to the same host would fail the same way.
  if (Object.values(ev).some(isUnanswered)) return undefined;
  if (!s.repoUrl) return identity ? 'identity' : undefined;
  if (!ev.fetch) return 'fetch';
  const fetched = ev.fetch.outcome.kind;
  if (fetched === 'ok') return s.push && !ev.push ? 'push' : undefined;
  if (fetched !== 'rejected' || (s.kind !== 'api-token' && s.kind !== 'access-token')) return undefined;
  // Refused with another username: the static one for the kind tells a wrong username from a dead token.
  if (!ev.staticUser && s.username !== gitUsernameFor(s.kind)) return 'staticUser';
  if (ev.staticUser?.outcome.kind === 'ok') return undefined;
  return identity ? 'identity' : undefined;
}
