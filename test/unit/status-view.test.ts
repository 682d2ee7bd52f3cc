/** The pure status view model: states from probe evidence, record joins, expiry, exit codes. */
import { describe, expect, it } from 'vitest';
import { classifySecret } from '../../src/core/credential/secret-class.js';
import type { DoctorFacts, RemoteFacts, SecretUse } from '../../src/core/doctor/facts.js';
import type { ProbeTarget } from '../../src/core/doctor/online.js';
import type { Evidence as ProbeEvidence } from '../../src/core/probe/evidence.js';
import { buildReport } from '../../src/core/doctor/report.js';
import { finding } from '../../src/core/findings/build.js';
import type { Finding } from '../../src/core/model.js';
import { parseRemoteUrl } from '../../src/core/parse/remote-url.js';
import type { ProbeOutcome, ProbeResult } from '../../src/core/probe/outcome.js';
import {
  buildStatus,
  isVerified,
  stateFromEvidence,
  statusExitCode,
  type StatusRecord,
} from '../../src/core/status.js';
import { mintSecret } from '../../src/core/token/format.js';

const res = (outcome: ProbeOutcome, status?: number): ProbeResult => ({
  outcome,
  request: 'GET',
  attempts: 1,
  ...(status ? { status } : {}),
});
const ok = res({ kind: 'ok' }, 200);
const scope = res({ kind: 'missing-scope', message: 'lack scopes' }, 403);

describe('stateFromEvidence', () => {
  it.each<[string, ProbeEvidence, boolean, string | undefined]>([
    ['nothing asked', {}, true, undefined],
    ['fetch ok, fetch-only remote', { fetch: ok }, false, 'works'],
    ['fetch and push ok', { fetch: ok, push: ok }, true, 'works'],
    ['push refused for scope', { fetch: ok, push: scope }, true, 'push-refused'],
    ['push refused, but remote is fetch-only', { fetch: ok, push: scope }, false, 'works'],
    ['push unanswered', { fetch: ok, push: res({ kind: 'rate-limited' }, 429) }, true, 'unreachable'],
    ['410 app password', { fetch: res({ kind: 'retired', message: 'x' }, 410) }, true, 'refused'],
    ['401', { fetch: res({ kind: 'rejected', message: 'x' }, 401) }, true, 'refused'],
    ['403 scope on fetch', { fetch: scope }, true, 'missing-scope'],
    [
      '404 no access',
      { fetch: res({ kind: 'no-access', status: 404, message: 'x' }, 404) },
      true,
      'no-access',
    ],
    [
      'network',
      { fetch: res({ kind: 'network', errorKind: 'dns', host: 'h', detail: 'x' }) },
      true,
      'unreachable',
    ],
  ])('%s', (_label, ev, push, expected) => {
    expect(stateFromEvidence(ev, push)).toBe(expected);
  });

  it('only a fetch that authenticated counts as verified', () => {
    expect(isVerified({ fetch: ok })).toBe(true);
    expect(isVerified({ fetch: scope })).toBe(false);
    expect(isVerified({})).toBe(false);
  });
});

const ORIGIN = 'https://bitbucket.org';
const NOW = new Date('2026-11-23T12:00:00Z');

function use(secret: string, username: string, helper = 'store'): SecretUse {
  return {
    secret,
    username,
    source: 'helper',
    helper,
    location: { helper },
    class: classifySecret(secret),
  };
}

function remote(
  name: string,
  url: string,
  candidates: SecretUse[],
  direction: RemoteFacts['direction'] = 'both',
): RemoteFacts {
  const parsed = parseRemoteUrl(url);
  return {
    name,
    direction,
    url: parsed,
    configKey: `remote.${name}.url`,
    bitbucket: parsed.host === 'bitbucket.org',
    chain: { helpers: [{ name: 'store', origin: 'file:/h/.gitconfig' }], useHttpPath: false },
    candidates,
  };
}

function facts(remotes: RemoteFacts[], hostCandidates: SecretUse[] = []): DoctorFacts {
  return {
    cwd: '/r',
    ...(remotes.length ? { repository: '/r' } : {}),
    endpoints: { bitbucketUrl: ORIGIN, apiUrl: 'https://api.bitbucket.org' },
    config: [],
    remotes,
    hostChain: { helpers: [], useHttpPath: false },
    hostCandidates,
    stores: [],
    netrc: [],
    env: {},
    need: { value: 'push', source: 'default' },
    now: NOW,
  };
}

function view(
  f: DoctorFacts,
  probes: { target: ProbeTarget; evidence: ProbeEvidence }[],
  opts: { records?: Map<string, StatusRecord>; findings?: Finding[]; online?: boolean } = {},
) {
  const report = buildReport({
    facts: f,
    offline: opts.findings ?? [],
    online: [],
    probes,
    ranOnline: opts.online ?? true,
    stats: { requests: 0, gitCalls: 1 },
  });
  return buildStatus({
    facts: f,
    report,
    probes,
    recordFor: (s) => opts.records?.get(s),
    now: NOW,
    warnDays: 30,
  });
}

function target(r: RemoteFacts, u: SecretUse): ProbeTarget {
  return {
    key: 'k',
    repoUrl: `${ORIGIN}/acme/web.git`,
    use: u,
    username: u.username!,
    push: true,
    remotes: [r],
  };
}

describe('buildStatus', () => {
  const token = mintSecret('api-token');
  const user = use(token, 'x-bitbucket-api-token-auth');

  it('joins records and probe scopes, computes days left, shares one credential across remotes', () => {
    const a = remote('origin', 'https://x-bitbucket-api-token-auth@bitbucket.org/acme/web.git', [user]);
    const b = remote(
      'mirror',
      'https://x-bitbucket-api-token-auth@bitbucket.org/acme/web.git',
      [user],
      'fetch',
    );
    const gh = remote('gh', 'https://github.com/a/b.git', []);
    const records = new Map<string, StatusRecord>([
      [
        token,
        {
          fingerprint: 'fp',
          kind: 'api-token',
          host: 'bitbucket.org',
          expires: '2026-12-10',
          scopesSeen: ['read:user:bitbucket'],
          lastVerified: '2026-11-01T00:00:00Z',
        },
      ],
    ]);
    const t = { ...target(a, user), remotes: [a, b] };
    const v = view(facts([a, b, gh]), [{ target: t, evidence: { fetch: ok, push: ok } }], { records });
    expect(v.remotes.map((r) => [r.name, r.state, r.credential])).toEqual([
      ['origin', 'works', 'c1'],
      ['mirror', 'works', 'c1'],
    ]);
    expect(v.credentials).toHaveLength(1);
    const c = v.credentials[0]!;
    expect(c).toMatchObject({
      usedBy: ['origin', 'mirror'],
      recorded: true,
      expires: '2026-12-10',
      daysLeft: 17,
      expiryState: 'soon',
      lastVerified: '2026-11-01T00:00:00Z',
      source: 'helper:store',
    });
    expect(c.scopesSeen).toEqual([
      'read:user:bitbucket',
      'read:repository:bitbucket',
      'write:repository:bitbucket',
    ]);
    expect(v.findings.map((f) => f.id)).toEqual(['token-expires-soon']);
    expect(statusExitCode(v)).toBe(0);
    expect(JSON.stringify(v)).not.toContain(token);
  });

  it('an expired recorded token fails the status even before any probe', () => {
    const a = remote('origin', 'https://x-bitbucket-api-token-auth@bitbucket.org/acme/web.git', [user]);
    const records = new Map<string, StatusRecord>([
      [token, { fingerprint: 'fp', kind: 'api-token', host: 'bitbucket.org', expires: '2026-11-01' }],
    ]);
    const v = view(facts([a]), [], { records, online: false });
    expect(v.remotes[0]!.state).toBe('unchecked');
    expect(v.credentials[0]!.expiryState).toBe('expired');
    expect(v.findings.map((f) => f.id)).toEqual(['token-expired']);
    expect(statusExitCode(v)).toBe(1);
  });

  it('offline: an error finding for the remote means broken (exit 1); none without a credential', () => {
    const app = use(mintSecret('app-password'), 'alice');
    const a = remote('origin', 'https://alice@bitbucket.org/acme/web.git', [app]);
    const b = remote('other', 'https://bitbucket.org/acme/other.git', []);
    const err = finding(
      'app-password',
      'app password',
      { remote: 'origin' },
      { summary: '', commands: [] },
      { use: app },
    );
    const v = view(facts([a, b]), [], { findings: [err], online: false });
    expect(v.remotes.map((r) => r.state)).toEqual(['broken', 'none']);
    expect(v.remotes[0]!.problems.map((p) => p.id)).toEqual(['app-password']);
    expect(statusExitCode(v)).toBe(1);
  });

  it.each<[string, ProbeEvidence, number]>([
    ['refused', { fetch: res({ kind: 'retired', message: 'gone' }, 410) }, 1],
    ['push refused', { fetch: ok, push: scope }, 1],
    ['unreachable only', { fetch: res({ kind: 'network', errorKind: 'dns', host: 'h', detail: 'x' }) }, 2],
  ])('exit code when %s', (_l, evidence, code) => {
    const a = remote('origin', 'https://x-bitbucket-api-token-auth@bitbucket.org/acme/web.git', [user]);
    const v = view(facts([a]), [{ target: target(a, user), evidence }]);
    expect(statusExitCode(v)).toBe(code);
    expect(v.ok).toBe(code === 0);
  });

  it("outside a repository: the host's helper credential, unchecked; nothing at all is exit 1", () => {
    const v = view(facts([], [user]), []);
    expect(v.hostCredential).toEqual({ credential: 'c1', helper: 'store', state: 'unchecked' });
    expect(v.credentials[0]!.usedBy).toEqual(['host']);
    expect(statusExitCode(v)).toBe(0);
    expect(statusExitCode(view(facts([]), []))).toBe(1);
  });

  it('SSH remotes are listed but do not decide the exit code', () => {
    const s = remote('origin', 'git@bitbucket.org:acme/web.git', []);
    const v = view(facts([s], [user]), []);
    expect(v.remotes[0]!.state).toBe('ssh');
    expect(statusExitCode(v)).toBe(0);
  });
});
