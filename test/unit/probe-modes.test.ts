import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/core/probe/evidence.js';
import { evidenceLines } from '../../src/core/probe/evidence.js';
import { readEvidence } from '../../src/core/probe/interpret.js';
import type { ProbeOutcome, ProbeResult } from '../../src/core/probe/outcome.js';
import { nextProbe, type ProbeMode, type ProbeSubject } from '../../src/core/probe/plan.js';

const r = (outcome: ProbeOutcome, status?: number): ProbeResult => ({
  outcome,
  status,
  request: 'x',
  attempts: 1,
});
const ok = r({ kind: 'ok' }, 200);
const rejected = r({ kind: 'rejected', message: 'Unauthorized' }, 401);
const scope = r({ kind: 'missing-scope', message: 'lack scopes' }, 403);
const readOnly = r({ kind: 'no-access', status: 403, message: 'read only' }, 403);
const down = r({ kind: 'network', errorKind: 'connect', host: 'bitbucket.org', detail: 'ECONNREFUSED' });
const repoUrl = 'https://bitbucket.org/acme/web.git';
const subject = (o: Partial<ProbeSubject> = {}): ProbeSubject => ({
  kind: 'api-token',
  username: 'x-bitbucket-api-token-auth',
  repoUrl,
  push: true,
  ...o,
});

/** Runs the planner to the end against fixed answers; returns the steps taken. */
function walk(s: ProbeSubject, mode: ProbeMode, answers: Evidence): string[] {
  const ev: Evidence = {};
  const steps: string[] = [];
  for (let step = nextProbe(s, ev, mode); step && !ev[step]; step = nextProbe(s, ev, mode)) {
    steps.push(step);
    ev[step] = answers[step] ?? ok;
  }
  return steps;
}

describe('nextProbe modes', () => {
  it.each<[string, ProbeSubject, ProbeMode, Evidence, string[]]>([
    [
      'check: fetch, push, identity for the scopes',
      subject({ email: 'a@example.com' }),
      'check',
      {},
      ['fetch', 'push', 'identity'],
    ],
    ['check: no push after a refused fetch', subject(), 'check', { fetch: rejected }, ['fetch']],
    [
      'check: identity even when the git host is down',
      subject({ email: 'a@example.com' }),
      'check',
      { fetch: down },
      ['fetch', 'identity'],
    ],
    [
      'check: no repository, email known → identity only',
      subject({ repoUrl: undefined, email: 'a@example.com' }),
      'check',
      {},
      ['identity'],
    ],
    [
      'check: access tokens have no REST identity',
      subject({ kind: 'access-token', email: 'a@example.com' }),
      'check',
      {},
      ['fetch', 'push'],
    ],
    ['check: fetch only when push does not matter', subject({ push: false }), 'check', {}, ['fetch']],
    [
      'once: git fetch when a repository is known',
      subject({ email: 'a@example.com' }),
      'once',
      {},
      ['fetch'],
    ],
    [
      'once: identity otherwise',
      subject({ repoUrl: undefined, email: 'a@example.com' }),
      'once',
      {},
      ['identity'],
    ],
    ['once: nothing to ask', subject({ repoUrl: undefined }), 'once', {}, []],
    [
      'diagnose: stops at the first unanswered request',
      subject({ email: 'a@example.com' }),
      'diagnose',
      { fetch: down },
      ['fetch'],
    ],
    [
      'diagnose: 401 as alice → static retry → identity',
      subject({ username: 'alice', email: 'a@example.com' }),
      'diagnose',
      { fetch: rejected, staticUser: rejected },
      ['fetch', 'staticUser', 'identity'],
    ],
  ])('%s', (_l, s, mode, answers, expected) => {
    expect(walk(s, mode, answers)).toEqual(expected);
  });
});

describe('readEvidence: one reading for status, fix, login', () => {
  it.each<[string, Evidence, boolean, object]>([
    [
      'fetch and push ok',
      { fetch: ok, push: ok },
      true,
      { state: 'works', verdict: 'works', fetchOk: true, pushOk: true },
    ],
    [
      'read-only permission',
      { fetch: ok, push: readOnly },
      true,
      { state: 'push-refused', verdict: 'partial', fetchOk: true, pushOk: false },
    ],
    [
      'push refused but push does not matter',
      { fetch: ok, push: readOnly },
      false,
      { state: 'works', verdict: 'partial' },
    ],
    [
      'missing read scope',
      { fetch: scope },
      true,
      { state: 'missing-scope', verdict: 'partial', scopesMissing: ['read:repository:bitbucket'] },
    ],
    ['refused', { fetch: rejected }, true, { state: 'refused', verdict: 'dead' }],
    ['push answered by nobody', { fetch: ok, push: down }, true, { state: 'unreachable' }],
    [
      'identity refused and no git request',
      { identity: rejected },
      true,
      { verdict: 'dead', fetchOk: false },
    ],
    ['nothing answered', { fetch: down }, true, { state: 'unreachable', verdict: 'unverified' }],
  ])('%s', (_l, ev, push, expected) => {
    expect(readEvidence('api-token', ev, push)).toMatchObject(expected);
  });

  it('names the scopes of the kind', () => {
    expect(readEvidence('access-token', { fetch: ok, push: scope }, true)).toMatchObject({
      scopesSeen: ['repository'],
      scopesMissing: ['repository:write'],
    });
    expect(readEvidence('api-token', { fetch: ok, identity: ok }, false).scopesSeen).toEqual([
      'read:repository:bitbucket',
      'read:user:bitbucket',
    ]);
  });

  it('one line per answer, in the order git asks', () => {
    expect(evidenceLines({ identity: ok, fetch: rejected, staticUser: ok }, { repo: 'acme/web' })).toEqual([
      'fetch acme/web: HTTP 401: Unauthorized',
      'fetch acme/web as x-bitbucket-api-token-auth: HTTP 200 OK',
      'REST /2.0/user: HTTP 200 OK',
    ]);
  });
});
