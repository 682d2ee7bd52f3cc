/**
 * What access the machine needs: the flag, then the remembered `bbauth.need`, then the repository's remotes; and
 * what follows from it for the prediction and the fix plan.
 */
import { describe, expect, it } from 'vitest';
import { pushesToBitbucket, resolveNeed, type ConfigEntry } from '../helpers/core.js';
import { answer, bbUrl, doctorReport, facts, secrets } from '../helpers/facts.js';
import { planFixes } from '../../src/core/fix/plan.js';

const entry = (value: string, scope = 'local'): ConfigEntry => ({
  key: 'bbauth.need',
  value,
  scope,
  origin: 'file:.git/config',
});

describe('resolveNeed', () => {
  it.each([
    ['the flag wins over the config', 'fetch', [entry('push')], true, { value: 'fetch', source: 'flag' }],
    [
      'the remembered value over the remotes',
      undefined,
      [entry('fetch')],
      true,
      { value: 'fetch', source: 'config' },
    ],
    [
      'the last value wins, as git reads it',
      undefined,
      [entry('fetch', 'global'), entry('push')],
      false,
      { value: 'push', source: 'config' },
    ],
    [
      'no Bitbucket remote is pushed to: fetch',
      undefined,
      [],
      false,
      { value: 'fetch', source: 'repository' },
    ],
    ['a remote that pushes: push', undefined, [], true, { value: 'push', source: 'default' }],
    ['outside a repository: push', undefined, [], undefined, { value: 'push', source: 'default' }],
    ['case and spaces do not matter', ' Fetch ', [], true, { value: 'fetch', source: 'flag' }],
  ] as const)('%s', (_name, flag, config, pushes, want) => {
    expect(resolveNeed(flag, config, pushes)).toEqual(want);
  });

  it('names the bad value and where it came from', () => {
    expect(() => resolveNeed('pull', [], true)).toThrow(/--need must be "fetch" or "push", got "pull"/);
    expect(() => resolveNeed(undefined, [entry('readonly')], true)).toThrow(/git config bbauth.need/);
  });

  it('pushesToBitbucket looks at Bitbucket HTTP(S) remotes only', () => {
    const r = (scheme: string, direction: 'fetch' | 'push' | 'both', bitbucket = true) => ({
      bitbucket,
      url: { scheme },
      direction,
    });
    expect(pushesToBitbucket([])).toBeUndefined();
    expect(pushesToBitbucket([r('ssh', 'both')])).toBeUndefined();
    expect(pushesToBitbucket([r('https', 'fetch'), r('https', 'push', false)])).toBe(false);
    expect(pushesToBitbucket([r('https', 'fetch'), r('https', 'push')])).toBe(true);
  });
});

describe('a read-only token on a machine that only fetches', () => {
  const api = secrets.api();
  const readOnly = () =>
    facts()
      .helper('store')
      .remote(bbUrl('x-bitbucket-api-token-auth'), {
        helperAnswer: { secret: api, username: 'x-bitbucket-api-token-auth' },
      });

  it('doctor predicts fetch ok and push not needed, with no error', () => {
    const { report } = doctorReport(readOnly().need('fetch').build(), {
      fetch: answer.ok(),
      push: answer.scope(),
    });
    expect(report.remotes[0]!.predicted).toEqual({ fetch: 'ok', push: 'not-needed', because: [] });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.need).toEqual({ value: 'fetch', source: 'flag' });
  });

  it('the same answers without --need: push fails (push-not-permitted)', () => {
    const { report } = doctorReport(readOnly().build(), { fetch: answer.ok(), push: answer.scope() });
    expect(report.remotes[0]!.predicted).toEqual({
      fetch: 'ok',
      push: 'fails',
      because: ['push-not-permitted'],
    });
  });

  it('fix keeps the read-only token and remembers --need fetch in the repository', () => {
    const f = readOnly().need('fetch').build();
    const use = f.remotes[0]!.candidates[0]!;
    const { plan } = planFixes({ facts: f, findings: [], checked: [{ use, fetchOk: true, pushOk: false }] });
    expect(plan.needsToken).toBe(false);
    expect(plan.steps).toEqual([
      expect.objectContaining({ action: 'set-config', key: 'bbauth.need', value: 'fetch', scope: 'local' }),
    ]);
    expect(plan.verify).toEqual([{ remote: 'origin', push: false }]);
  });

  it('fix without --need asks for a token that can push, and says how to settle for fetch', () => {
    const f = readOnly().build();
    const use = f.remotes[0]!.candidates[0]!;
    const { plan } = planFixes({ facts: f, findings: [], checked: [{ use, fetchOk: true, pushOk: false }] });
    expect(plan.needsToken).toBe(true);
    expect(plan.needsTokenReason).toMatch(/bbauth fix --need fetch/);
  });

  it('fix does not rewrite a need already remembered', () => {
    const f = readOnly().need('fetch').config('bbauth.need', 'fetch', 'file:.git/config', 'local').build();
    const use = f.remotes[0]!.candidates[0]!;
    const { plan } = planFixes({ facts: f, findings: [], checked: [{ use, fetchOk: true, pushOk: false }] });
    expect(plan.steps).toEqual([]);
  });
});
