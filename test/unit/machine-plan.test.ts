/** mergePlans: many repositories' plans become one that runs once, without one repository undoing another's. */
import { describe, expect, it } from 'vitest';
import { mergePlans, type RepoPlan } from '../../src/core/fix/machine-plan.js';
import type { FixStep } from '../../src/core/fix/plan-types.js';

const store = (ref: string, username: string, fp = 'fp'): FixStep => ({
  action: 'store-credential',
  secretRef: ref,
  fingerprint: fp,
  kind: 'api-token',
  username,
  why: 'w',
});
const setUrl = (to: string): FixStep => ({
  action: 'set-remote-url',
  remote: 'origin',
  push: false,
  from: 'f',
  to,
  why: 'w',
});
const netrc: FixStep = { action: 'remove-file-entry', file: '/h/.netrc', line: 1, what: 'netrc', why: 'w' };

function repo(
  repository: string,
  role: RepoPlan['role'],
  steps: FixStep[],
  secrets: Record<string, string> = {},
  manual: string[] = [],
): RepoPlan {
  return {
    repository,
    role,
    planned: {
      plan: {
        schemaVersion: 1,
        steps,
        needsToken: false,
        manual,
        verify: [{ remote: 'origin', push: true }],
      },
      secrets: new Map(Object.entries(secrets)),
    },
  };
}

describe('mergePlans', () => {
  it('stores one secret once, names each repository on its own steps, and removes a shared entry once', () => {
    const m = mergePlans([
      repo('/h/a', 'shared', [store('new-token', 'x'), setUrl('A'), netrc], { 'new-token': 'T' }),
      repo('/h/b', 'shared', [store('new-token', 'x'), setUrl('B'), netrc], { 'new-token': 'T' }),
    ]);
    expect(m.plan.steps.filter((s) => s.action === 'store-credential')).toHaveLength(1);
    expect(m.plan.steps.filter((s) => s.action === 'remove-file-entry')).toHaveLength(1);
    expect(
      m.plan.steps.flatMap((s) => (s.action === 'set-remote-url' ? [[s.repository, s.to]] : [])),
    ).toEqual([
      ['/h/a', 'A'],
      ['/h/b', 'B'],
    ]);
    expect(m.secrets).toEqual(new Map([['new-token', 'T']]));
    expect(m.plan.verify.map((v) => v.repository)).toEqual(['/h/a', '/h/b']);
  });

  it('puts the shared token first and gives another secret its own ref', () => {
    const m = mergePlans([
      repo('/h/deploy', 'own', [store('url:origin', 'x-token-auth')], { 'url:origin': 'ACCESS' }),
      repo('/h/a', 'shared', [store('new-token', 'x-bitbucket-api-token-auth')], { 'new-token': 'T' }),
    ]);
    const stores = m.plan.steps.flatMap((s) => (s.action === 'store-credential' ? [s] : []));
    expect(stores.map((s) => [s.username, m.secrets.get(s.secretRef)])).toEqual([
      ['x-bitbucket-api-token-auth', 'T'],
      ['x-token-auth', 'ACCESS'],
    ]);
    expect(stores[0]!.secretRef).toBe('new-token');
  });

  it('leaves a repository alone when its secret would go under a username another secret takes', () => {
    const m = mergePlans([
      repo('/h/d1', 'own', [store('url:origin', 'x-token-auth', 'fp1'), setUrl('D1')], {
        'url:origin': 'A1',
      }),
      repo('/h/d2', 'own', [store('url:origin', 'x-token-auth', 'fp2'), setUrl('D2')], {
        'url:origin': 'A2',
      }),
    ]);
    expect(m.plan.steps.filter((s) => s.action === 'store-credential')).toHaveLength(1);
    expect(m.plan.steps.some((s) => s.action === 'set-remote-url' && s.to === 'D2')).toBe(false);
    expect(m.plan.manual.join('\n')).toMatch(/\/h\/d2: its credential \(fp2\).*left as it is/);
    expect([...m.secrets.values()]).toEqual(['A1']);
  });

  it('names the repository in its manual notes, and a Composer step gets the shared token ref', () => {
    const m = mergePlans(
      [repo('/h/a', 'shared', [store('new-token', 'x')], { 'new-token': 'T' }, ['see doctor'])],
      {
        plan: {
          schemaVersion: 1,
          steps: [
            {
              action: 'rewrite-composer-auth',
              file: '/h/auth.json',
              host: 'bitbucket.org',
              username: 'e@x',
              secretRef: 'composer-token',
              fingerprint: 'fp',
              why: 'w',
            },
          ],
          needsToken: false,
          manual: [],
          verify: [],
        },
        secrets: new Map([['composer-token', 'T']]),
      },
    );
    expect(m.plan.manual).toEqual(['/h/a: see doctor']);
    const c = m.plan.steps.find((s) => s.action === 'rewrite-composer-auth');
    expect(c && c.action === 'rewrite-composer-auth' && c.secretRef).toBe('new-token');
  });
});
