/** One finding per root cause: the report folds the findings a primary explains into its `because`. */
import { describe, expect, it } from 'vitest';
import { answer, bbUrl, doctorReport, facts, secrets } from '../helpers/facts.js';

const app = secrets.app();
const api = secrets.api();
const stored = (secret: string, username: string) =>
  facts().helper('store').remote(bbUrl(username), { helperAnswer: { secret, username } });

describe('one cause, one error', () => {
  it('a retired app password in the store: app-password-retired, explaining app-password and stale-cached-credential', () => {
    const { report } = doctorReport(stored(app, 'alice').build(), { fetch: answer.retired() });
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.id)).toEqual(['app-password-retired']);
    expect(errors[0]!.because?.map((b) => b.id).sort()).toEqual(['app-password', 'stale-cached-credential']);
    expect(report.remotes[0]!.predicted).toEqual({
      fetch: 'fails',
      push: 'fails',
      because: ['app-password-retired'],
    });
  });

  it('offline, the app password stays the one error (nothing proved the rest)', () => {
    const { report } = doctorReport(stored(app, 'alice').build());
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['app-password']);
  });

  it('a refused token in the helper: credential-rejected explains stale-cached-credential', () => {
    const { report } = doctorReport(stored(api, 'x-bitbucket-api-token-auth').build(), {
      fetch: answer.rejected(),
    });
    const ids = report.findings.filter((f) => f.severity === 'error').map((f) => f.id);
    expect(ids).toEqual(['credential-rejected']);
    expect(report.findings[0]!.because?.map((b) => b.id)).toEqual(['stale-cached-credential']);
  });

  it('two remotes keep their own findings: nothing folds across remotes', () => {
    const f = stored(app, 'alice')
      .remote(bbUrl('alice'), { name: 'mirror', helperAnswer: { secret: app, username: 'alice' } })
      .build();
    const { report } = doctorReport(f, { fetch: answer.retired() });
    const errors = report.findings.filter((x) => x.severity === 'error');
    expect(errors.map((x) => `${x.id}@${x.location.remote}`).sort()).toEqual([
      'app-password-retired@mirror',
      'app-password-retired@origin',
    ]);
  });
});
