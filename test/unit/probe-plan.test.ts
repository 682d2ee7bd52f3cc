import { describe, expect, it } from 'vitest';
import { probeSubject, type ProbeTarget } from '../../src/core/doctor/online.js';
import type { DoctorFacts } from '../../src/core/doctor/facts.js';
import type { Evidence as ProbeEvidence } from '../../src/core/probe/evidence.js';
import { nextProbe as plan } from '../../src/core/probe/plan.js';
import type { ProbeOutcome, ProbeResult } from '../../src/core/probe/outcome.js';
import type { CredentialKind } from '../../src/core/model.js';

function target(kind: CredentialKind, username: string, push = true): ProbeTarget {
  return {
    key: 'k',
    repoUrl: 'https://bitbucket.org/acme/web.git',
    username,
    push,
    remotes: [],
    use: {
      secret: 's',
      username,
      source: 'helper',
      location: {},
      class: { kind, checksum: 'valid', problems: [], length: 192 },
    },
  };
}
const r = (outcome: ProbeOutcome): ProbeResult => ({ outcome, request: 'x', attempts: 1 });
const ok = r({ kind: 'ok' });
const rejected = r({ kind: 'rejected', message: '' });
const email = { value: 'alice@example.com', source: 'flag' as const };
/** Doctor's planner call: its target as the planner sees it, in diagnose mode. */
const nextProbe = (t: ProbeTarget, ev: ProbeEvidence, e: typeof email | undefined) =>
  plan(probeSubject(t, (e ? { email: e } : {}) as DoctorFacts), ev, 'diagnose');

describe('nextProbe: the fewest requests that settle the cause', () => {
  it.each<[string, ProbeTarget, ProbeEvidence, typeof email | undefined, string | undefined]>([
    ['starts with the fetch advertisement', target('api-token', 'alice'), {}, email, 'fetch'],
    [
      'checks push only when fetch works and push matters',
      target('api-token', 'alice'),
      { fetch: ok },
      email,
      'push',
    ],
    [
      'stops after fetch for a fetch-only remote',
      target('api-token', 'alice', false),
      { fetch: ok },
      email,
      undefined,
    ],
    ['stops once push was checked', target('api-token', 'alice'), { fetch: ok, push: ok }, email, undefined],
    [
      'after a 401, retries with the static username',
      target('api-token', 'alice'),
      { fetch: rejected },
      email,
      'staticUser',
    ],
    [
      'a 401 with the static username goes straight to the REST identity',
      target('api-token', 'x-bitbucket-api-token-auth'),
      { fetch: rejected },
      email,
      'identity',
    ],
    [
      'static username accepted: the username was the problem, stop',
      target('api-token', 'alice'),
      { fetch: rejected, staticUser: ok },
      email,
      undefined,
    ],
    [
      'both refused, email known: ask REST',
      target('api-token', 'alice'),
      { fetch: rejected, staticUser: rejected },
      email,
      'identity',
    ],
    [
      'both refused, no email: stop',
      target('api-token', 'alice'),
      { fetch: rejected, staticUser: rejected },
      undefined,
      undefined,
    ],
    [
      '410 settles it',
      target('app-password', 'alice'),
      { fetch: r({ kind: 'retired', message: '' }) },
      email,
      undefined,
    ],
    [
      '403 scope settles it',
      target('api-token', 'alice'),
      { fetch: r({ kind: 'missing-scope', message: '' }) },
      email,
      undefined,
    ],
    [
      'access token 401: no REST identity for access tokens',
      target('access-token', 'x-token-auth'),
      { fetch: rejected },
      email,
      undefined,
    ],
  ])('%s', (_label, t, ev, e, expected) => {
    expect(nextProbe(t, ev, e)).toBe(expected);
  });

  it('never needs more than four requests', () => {
    const t = target('api-token', 'alice');
    const ev: ProbeEvidence = {};
    const answers: Record<string, ProbeResult> = {
      fetch: rejected,
      staticUser: rejected,
      identity: rejected,
      push: ok,
    };
    let count = 0;
    for (let step = nextProbe(t, ev, email); step; step = nextProbe(t, ev, email)) {
      ev[step] = answers[step]!;
      count++;
      expect(count).toBeLessThanOrEqual(4);
    }
    expect(count).toBe(3);
  });
});
