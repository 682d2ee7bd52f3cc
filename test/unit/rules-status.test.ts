/** Status as tables: probe evidence → credential state, facts → the view's states, the view → exit code. */
import { describe, expect, it } from 'vitest';
import {
  buildStatus,
  FAILING_STATES,
  stateFromEvidence,
  statusExitCode,
  type CredentialState,
  type DoctorFacts,
  type ProbeEvidence,
  type StatusView,
} from '../helpers/core.js';
import {
  answer,
  bbUrl,
  doctorReport,
  facts,
  leakedSecret,
  NOW,
  record,
  secrets,
  type FakeFacts,
} from '../helpers/facts.js';
import { helped, STATIC } from './rules/doctor.js';
import { lifetimeMisses, lifetimeProduces, RECORDS } from './rules/lifetime.rows.js';
import { checkMisses, checkProduces, missesName, producesName } from './rules/rows.js';

const { ok, retired, rejected, scope, noAccess, rateLimited, serverError, network } = answer;

describe('stateFromEvidence', () => {
  it.each<[string, ProbeEvidence, boolean, CredentialState | undefined]>([
    ['nothing answered', {}, true, undefined],
    ['fetch 200 on a fetch-only remote', { fetch: ok() }, false, 'works'],
    ['fetch and push 200', { fetch: ok(), push: ok() }, true, 'works'],
    ['fetch 200, push not asked', { fetch: ok() }, true, 'works'],
    ['push 403 scope', { fetch: ok(), push: scope() }, true, 'push-refused'],
    ['push 403 read-only', { fetch: ok(), push: noAccess(403) }, true, 'push-refused'],
    ['push refused, but the remote only fetches', { fetch: ok(), push: scope() }, false, 'works'],
    ['push 429', { fetch: ok(), push: rateLimited() }, true, 'unreachable'],
    ['push 503', { fetch: ok(), push: serverError(503) }, true, 'unreachable'],
    ['push: no network', { fetch: ok(), push: network() }, true, 'unreachable'],
    ['410', { fetch: retired() }, true, 'refused'],
    ['401', { fetch: rejected() }, true, 'refused'],
    ['403 scope', { fetch: scope() }, true, 'missing-scope'],
    ['404', { fetch: noAccess(404) }, true, 'no-access'],
    ['429', { fetch: rateLimited() }, true, 'unreachable'],
    ['502', { fetch: serverError() }, true, 'unreachable'],
    ['no network', { fetch: network() }, true, 'unreachable'],
  ])('%s → %s', (_label, ev, push, want) => {
    expect(stateFromEvidence(ev, push)).toBe(want);
  });
});

const api = secrets.api();
const cut = secrets.truncated('api-token', 4);

/** The status view for the built facts, online with `ev` (or offline without). */
function statusOf(f: DoctorFacts, ev?: ProbeEvidence, expires?: string): StatusView {
  const { report, probes } = doctorReport(f, ev);
  return buildStatus({
    facts: f,
    report,
    probes,
    recordFor: (s) => (expires && s === api ? record(api, { expires }) : undefined),
    now: NOW,
    warnDays: 30,
    recordsFile: RECORDS,
  });
}

describe('buildStatus: one row per state, and its exit code', () => {
  it.each<[string, FakeFacts, ProbeEvidence | undefined, CredentialState | 'ssh', 0 | 1 | 2]>([
    ['fetch and push work', helped(api), { fetch: ok(), push: ok() }, 'works', 0],
    ['push refused for scope', helped(api), { fetch: ok(), push: scope() }, 'push-refused', 1],
    [
      '401 with both usernames',
      helped(api, 'alice'),
      { fetch: rejected(), staticUser: rejected() },
      'refused',
      1,
    ],
    ['403 scope on fetch', helped(api), { fetch: scope() }, 'missing-scope', 1],
    ['404', helped(api), { fetch: noAccess() }, 'no-access', 1],
    ['a damaged token is never probed: broken offline', helped(cut), { fetch: ok() }, 'broken', 1],
    ['offline, an app password: broken', helped(secrets.app(), 'alice'), undefined, 'broken', 1],
    [
      'a helper that holds nothing',
      facts().helper('store').remote(bbUrl(STATIC)),
      { fetch: ok() },
      'none',
      1,
    ],
    ['no network', helped(api), { fetch: network() }, 'unreachable', 2],
    ['offline, a healthy token', helped(api), undefined, 'unchecked', 0],
    ['an SSH remote', facts().remote('git@bitbucket.org:acme/web.git'), undefined, 'ssh', 0],
  ])('%s → %s, exit %s', (_label, b, ev, state, code) => {
    const view = statusOf(b.build(), ev);
    expect(view.remotes.map((r) => r.state)).toEqual([state]);
    if (state !== 'ssh' && state !== 'none') expect(view.credentials.map((c) => c.state)).toEqual([state]);
    expect(statusExitCode(view)).toBe(code);
    expect(view.ok).toBe(code === 0);
    expect(FAILING_STATES.has(state as CredentialState)).toBe(code === 1);
    expect(leakedSecret(view)).toBeUndefined();
  });

  it.each<[string, FakeFacts, 'broken' | 'unchecked' | undefined, 0 | 1]>([
    [
      'outside a repository, a healthy host token',
      facts().outsideRepository().helper('store').hostHelperAnswer(api, STATIC),
      'unchecked',
      0,
    ],
    [
      'outside a repository, the email as username',
      facts().outsideRepository().helper('store').hostHelperAnswer(api, 'alice@example.com'),
      'broken',
      1,
    ],
    [
      'outside a repository, nothing stored: not logged in',
      facts().outsideRepository().helper('store'),
      undefined,
      1,
    ],
  ])('%s → host %s, exit %s', (_label, b, state, code) => {
    const view = statusOf(b.build());
    expect(view.hostCredential?.state).toBe(state);
    expect(statusExitCode(view)).toBe(code);
    expect(leakedSecret(view)).toBeUndefined();
  });

  it.each<[string, string, 0 | 1]>([
    ['expires in 29 days: a warning, exit 0', '2026-12-22', 0],
    ['expired yesterday: exit 1 although git works now', '2026-11-22', 1],
  ])('a working token whose record %s', (_label, expires, code) => {
    const view = statusOf(helped(api).build(), { fetch: ok(), push: ok() }, expires);
    expect(view.remotes[0]!.state).toBe('works');
    expect(statusExitCode(view)).toBe(code);
  });

  it('a fetch-only remote sharing a token with a push remote works, with the server lines of the shared probe', () => {
    // One probe target serves both remotes, each with its own SecretUse (as gathering builds them).
    const f = helped(api)
      .remote(bbUrl(STATIC), {
        name: 'mirror',
        direction: 'fetch',
        helperAnswer: { secret: api, username: STATIC },
      })
      .build();
    const view = statusOf(f, { fetch: ok(), push: scope() });
    expect(view.remotes.map((r) => [r.name, r.state, r.server.length])).toEqual([
      ['origin', 'push-refused', 2],
      ['mirror', 'works', 2],
    ]);
    expect(view.credentials.map((c) => [c.usedBy, c.state])).toEqual([
      [['origin', 'mirror'], 'push-refused'],
    ]);
  });

  it('one SecretUse shared by both remotes: each shows its own state, the credential its worst', () => {
    const f = helped(api).remote(bbUrl(STATIC), { name: 'mirror', direction: 'fetch' }).build();
    const [origin, mirror] = f.remotes;
    mirror!.candidates = origin!.candidates;
    const view = statusOf(f, { fetch: ok(), push: scope() });
    expect(view.remotes.map((r) => [r.name, r.state])).toEqual([
      ['origin', 'push-refused'],
      ['mirror', 'works'],
    ]);
    expect(view.credentials.map((c) => [c.usedBy, c.state])).toEqual([
      [['origin', 'mirror'], 'push-refused'],
    ]);
  });
});

describe('lifetime rules', () => {
  it.each(lifetimeProduces.map((r) => [producesName(r), r] as const))('%s', (_name, row) =>
    checkProduces(row),
  );
  it.each(lifetimeMisses.map((r) => [missesName(r), r] as const))('%s', (_name, row) => checkMisses(row));
});
