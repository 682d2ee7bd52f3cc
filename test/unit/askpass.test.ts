/**
 * The askpass program: git's order for finding it, which kind it is, and what the report makes of it (the
 * prediction, and fixes that point at the program's own settings instead of a helper).
 */
import { describe, expect, it } from 'vitest';
import { askPassKind, askPassProgram } from '../../src/core/places/askpass.js';
import type { ProbeTarget } from '../../src/core/doctor/online.js';
import type { Evidence as ProbeEvidence } from '../../src/core/probe/evidence.js';
import { answer, bbUrl, doctorReport, facts, secrets } from '../helpers/facts.js';

describe('which askpass program git runs', () => {
  it.each([
    ['GIT_ASKPASS wins', { GIT_ASKPASS: '/a' }, '/c', { source: 'GIT_ASKPASS', program: '/a' }],
    ['then core.askPass', { SSH_ASKPASS: '/s' }, '/c', { source: 'core.askPass', program: '/c' }],
    ['then SSH_ASKPASS', { SSH_ASKPASS: '/s' }, undefined, { source: 'SSH_ASKPASS', program: '/s' }],
    ['an empty GIT_ASKPASS hides the rest', { GIT_ASKPASS: '', SSH_ASKPASS: '/s' }, '/c', undefined],
    ['an empty core.askPass hides SSH_ASKPASS', { SSH_ASKPASS: '/s' }, '', undefined],
    ['an empty SSH_ASKPASS is nothing', { SSH_ASKPASS: '' }, undefined, undefined],
  ] as const)('%s', (_, env, core, want) => {
    expect(askPassProgram(core, { ...env })).toEqual(want);
  });

  it.each([
    ['/Applications/Sourcetree.app/Contents/Resources/askpass', {}, 'sourcetree'],
    ['/home/u/.vscode-server/bin/x/extensions/git/dist/askpass.sh', {}, 'vscode'],
    ['/tmp/askpass.sh', { VSCODE_GIT_IPC_HANDLE: '/run/vscode-git.sock' }, 'vscode'],
    ['/var/lib/jenkins/workspace/job@tmp/pass4815.sh', {}, 'jenkins'],
    ['/tmp/pass.sh', { JENKINS_URL: 'https://ci.example/' }, 'jenkins'],
    ['/usr/bin/ksshaskpass', {}, 'desktop'],
    ['/usr/lib/ssh/x11-ssh-askpass', {}, 'desktop'],
    ['/opt/tools/answer-git.sh', {}, 'program'],
  ] as const)('%s is %s', (program, env, kind) => {
    expect(askPassKind(program, { ...env })).toBe(kind);
  });
});

describe('the report with an askpass program', () => {
  const api = secrets.api();

  it('not asked: git reaches the program, so fetch and push are unknown', () => {
    const { report } = doctorReport(facts().terminal(false).askPass('/opt/ask.sh').remote(bbUrl()).build());
    expect(report.remotes[0]!.predicted!).toEqual({ fetch: 'unknown', push: 'unknown', because: [] });
    expect(report.verdict).not.toMatch(/healthy/);
  });

  it('asked: a token the server refuses fails, and its fix points at the program, not a helper', () => {
    const f = facts()
      .askPass('/var/lib/jenkins/workspace/job@tmp/pass1.sh', { kind: 'jenkins' })
      .askPassAnswers({ secret: api, username: 'x-bitbucket-api-token-auth' })
      .remote(bbUrl())
      .build();
    const { report } = doctorReport(f, { fetch: answer.rejected() });
    expect(report.remotes[0]!.predicted!.fetch).toBe('fails');
    const rejected = report.findings.find((x) => x.id === 'credential-rejected');
    expect(rejected?.credential?.source).toBe('askpass');
    expect(rejected!.fix.summary).toMatch(/comes from the Jenkins Git plugin's askpass script/);
    expect(rejected!.fix.commands.join('\n')).not.toMatch(/git credential reject|set-url/);
  });

  it('asked: a working token is ok', () => {
    const f = facts()
      .askPass('/opt/ask.sh')
      .askPassAnswers({ secret: api, username: 'alice' })
      .remote(bbUrl())
      .build();
    const { report } = doctorReport(f, { fetch: answer.ok(), push: answer.ok() });
    expect(report.remotes[0]!.predicted!).toMatchObject({ fetch: 'ok', push: 'ok' });
  });

  it('asked, and it gave nothing: git falls back to the terminal, or fails without one', () => {
    const failed = (terminal: boolean) =>
      doctorReport(
        facts()
          .terminal(terminal)
          .askPass('/opt/ask.sh')
          .askPassAnswers({ why: 'x' })
          .remote(bbUrl())
          .build(),
      ).report.remotes[0]!.predicted!.fetch;
    expect(failed(false)).toBe('fails');
    expect(failed(true)).toBe('prompts');
  });

  it('a .netrc entry refused with 401: git moves on to the program; with 410 it stops there', () => {
    const f = facts()
      .netrc([{ machine: 'bitbucket.org', login: 'alice', password: secrets.api() }])
      .askPass('/opt/ask.sh')
      .askPassAnswers({ secret: api, username: 'alice' })
      .remote(bbUrl())
      .build();
    expect(f.remotes[0]!.candidates.map((c) => c.source)).toEqual(['netrc', 'askpass']);
    const netrcAnswers = (netrc: ProbeEvidence) => (t: ProbeTarget) =>
      t.use.source === 'netrc' ? netrc : { fetch: answer.ok(), push: answer.ok() };
    const fetchWith = (netrc: ProbeEvidence) =>
      doctorReport(f, netrcAnswers(netrc)).report.remotes[0]!.predicted!.fetch;
    expect(fetchWith({ fetch: answer.rejected() })).toBe('ok');
    expect(fetchWith({ fetch: answer.retired() })).toBe('fails');
  });
});
