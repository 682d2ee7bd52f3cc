/**
 * What a set of probe answers says about a new token: does it work, which scopes proved present or missing.
 * Pure; the service sends the requests (git advertisement for fetch and push, REST identity).
 */
import type { CredentialKind } from './model.js';
import { describeOutcome, type ProbeResult } from './responses.js';

export interface TokenProbes {
  repo?: string;
  fetch?: ProbeResult;
  push?: ProbeResult;
  identity?: ProbeResult;
}

export interface TokenVerdict {
  /** `works`: fetch (and push, if asked) succeeded; `dead`: refused outright; `partial`: valid but lacking; `unverified`: nothing answered. */
  verdict: 'works' | 'dead' | 'partial' | 'unverified';
  scopesSeen: string[];
  scopesMissing: string[];
  /** Human lines: what each request showed. */
  lines: string[];
}

/** Turns probe answers into a verdict and the scopes they prove. */
export function judgeToken(kind: CredentialKind, probes: TokenProbes): TokenVerdict {
  const read = kind === 'access-token' ? 'repository' : 'read:repository:bitbucket';
  const write = kind === 'access-token' ? 'repository:write' : 'write:repository:bitbucket';
  const seen: string[] = [];
  const missing: string[] = [];
  const lines: string[] = [];
  let dead = false;
  let answered = false;
  const f = probes.fetch?.outcome.kind;
  if (probes.fetch) {
    lines.push(`fetch ${probes.repo ?? ''}: ${describeOutcome(probes.fetch.status, probes.fetch.outcome)}`);
    answered ||= f !== 'network';
    if (f === 'ok') seen.push(read);
    else if (f === 'missing-scope') missing.push(read);
    else if (f === 'rejected' || f === 'retired') dead = true;
  }
  if (probes.push) {
    const p = probes.push.outcome.kind;
    lines.push(`push ${probes.repo ?? ''}: ${describeOutcome(probes.push.status, probes.push.outcome)}`);
    if (p === 'ok') seen.push(write);
    else if (p === 'missing-scope') missing.push(write);
    else if (p === 'no-access')
      lines.push('push refused: the account has read-only permission on this repository.');
  }
  if (probes.identity) {
    const i = probes.identity.outcome.kind;
    lines.push(`REST /2.0/user: ${describeOutcome(probes.identity.status, probes.identity.outcome)}`);
    answered ||= i !== 'network';
    if (i === 'ok') seen.push('read:user:bitbucket');
    else if (i === 'missing-scope') missing.push('read:user:bitbucket');
    else if (i === 'rejected' && !probes.fetch) dead = true;
  }
  const verdict: TokenVerdict['verdict'] = dead
    ? 'dead'
    : !answered
      ? 'unverified'
      : missing.some((s) => s === read || s === write) || (probes.push && probes.push.outcome.kind !== 'ok')
        ? 'partial'
        : 'works';
  return { verdict, scopesSeen: seen, scopesMissing: missing, lines };
}
