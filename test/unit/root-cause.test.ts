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

describe('a keychain helper that cannot reach its keyring', () => {
  const noService = {
    code: 1,
    said: 'could not connect to Secret Service: Cannot autolaunch D-Bus without X11 $DISPLAY',
  };

  it('as the only helper, with no terminal: helper-not-runnable is the one error and explains no-credential', () => {
    const f = facts().helper('libsecret').unrunnable('libsecret', noService).terminal(false).remote(bbUrl());
    const { report } = doctorReport(f.build());
    const errors = report.findings.filter((x) => x.severity === 'error');
    expect(errors.map((x) => x.id)).toEqual(['helper-not-runnable']);
    expect(errors[0]!.because?.map((b) => b.id)).toEqual(['no-credential']);
    expect(report.remotes[0]!.predicted).toEqual({
      fetch: 'fails',
      push: 'fails',
      because: ['helper-not-runnable'],
    });
    // The advice puts a helper that needs no keyring ahead of it; `bbauth login` alone would store into it.
    expect(errors[0]!.fix.commands).toEqual([
      "git config --global --replace-all credential.https://bitbucket.org.helper ''",
      'git config --global --add credential.https://bitbucket.org.helper store',
      'bbauth login',
    ]);
  });

  it('with an empty store after it: a warning, and no-credential stays its own error', () => {
    const f = facts()
      .helper('libsecret')
      .helper('store')
      .unrunnable('libsecret', noService)
      .terminal(false)
      .remote(bbUrl());
    const { report } = doctorReport(f.build());
    expect(report.findings.map((x) => `${x.id}:${x.severity}`)).toEqual(
      expect.arrayContaining(['no-credential:error', 'helper-not-runnable:warning']),
    );
    expect(report.findings.find((x) => x.id === 'no-credential')!.because).toBeUndefined();
  });

  it('a missing program keeps the advice to configure a helper', () => {
    const f = facts().helper('libsecret').unrunnable('libsecret').terminal(false).remote(bbUrl());
    const finding = doctorReport(f.build()).report.findings.find((x) => x.id === 'helper-not-runnable')!;
    expect(finding.message).toMatch(/git finds no git-credential-libsecret/);
    expect(finding.fix.commands).toContain('bbauth login');
    expect(finding.fix.commands.join('\n')).not.toMatch(/replace-all/);
  });
});
