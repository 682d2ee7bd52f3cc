/**
 * The askpass program: what git runs for a username and password once every helper has had nothing (Jenkins'
 * Git plugin, VS Code, Sourcetree, a desktop dialog, a script). bbauth cannot see what it answers without running
 * it, so doctor says which program it is, what git will ask it, and where its answer comes from; with
 * `--ask-askpass` git asks it once and the answer is judged like any other credential.
 */
import type { SecretUse } from '../credential/use.js';
import { NEW_TOKEN_ADVICE } from '../token/new-token.js';
import * as fixes from '../findings/advice.js';
import { finding } from '../findings/build.js';
import type { Finding, Fix, Location } from '../model.js';

/** Who answers: the program's own name or path, or the environment it was set in, tells. */
export type AskPassKind = 'jenkins' | 'vscode' | 'sourcetree' | 'desktop' | 'program';

export interface AskPass {
  source: 'GIT_ASKPASS' | 'core.askPass' | 'SSH_ASKPASS';
  program: string;
  kind: AskPassKind;
}

/** What happened when doctor let git ask the program (`--ask-askpass`), per remote. */
export type AskPassAnswer = { answered: true; use: SecretUse } | { answered: false; why: string };

const DESKTOP_DIALOGS =
  /(^|[\\/])(ssh-askpass|ksshaskpass|x11-ssh-askpass|gnome-ssh-askpass|lxqt-openssh-askpass|ssh-askpass-gnome|ssh-askpass-fullscreen)$/;

/**
 * The program git would run, in git's own order: GIT_ASKPASS, core.askPass, SSH_ASKPASS. A variable that is set
 * but empty still wins (git reads it and runs nothing), so an empty GIT_ASKPASS hides the other two.
 */
export function askPassProgram(
  coreAskPass: string | undefined,
  env: NodeJS.ProcessEnv,
): Omit<AskPass, 'kind'> | undefined {
  if (env.GIT_ASKPASS !== undefined)
    return env.GIT_ASKPASS ? { source: 'GIT_ASKPASS', program: env.GIT_ASKPASS } : undefined;
  if (coreAskPass !== undefined)
    return coreAskPass ? { source: 'core.askPass', program: coreAskPass } : undefined;
  return env.SSH_ASKPASS ? { source: 'SSH_ASKPASS', program: env.SSH_ASKPASS } : undefined;
}

/** Which kind of askpass this is, from its path and the variables its host sets. */
export function askPassKind(program: string, env: NodeJS.ProcessEnv): AskPassKind {
  const p = program.toLowerCase();
  if (p.includes('sourcetree')) return 'sourcetree';
  if (
    env.VSCODE_GIT_ASKPASS_MAIN ||
    env.VSCODE_GIT_IPC_HANDLE ||
    /extensions[\\/]git[\\/]dist[\\/]askpass/.test(p)
  )
    return 'vscode';
  // The Git plugin writes a temporary `pass…` script into the job's @tmp folder and runs git from the agent.
  if (env.JENKINS_URL || env.JENKINS_HOME || /@tmp[\\/]/.test(p)) return 'jenkins';
  if (DESKTOP_DIALOGS.test(p)) return 'desktop';
  return 'program';
}

const LABEL: Record<AskPassKind, string> = {
  jenkins: "the Jenkins Git plugin's askpass script",
  vscode: "VS Code's askpass",
  sourcetree: "Sourcetree's askpass",
  desktop: 'a desktop password dialog',
  program: 'the askpass program',
};

/** `VS Code's askpass (GIT_ASKPASS=/…/askpass.sh)`. */
export function askPassLabel(a: AskPass): string {
  return `${LABEL[a.kind]} (${a.source}=${a.program})`;
}

const GIT_IDENTITY =
  'your Bitbucket username (not the Atlassian email) or x-bitbucket-api-token-auth, with an API token as the password (x-token-auth with an access token)';

/** Where the askpass program's answer comes from, and what to put there. */
export function askPassFix(a: AskPass, ctx: fixes.FixContext): Fix {
  const host = ctx.origin.replace(/^https?:\/\//, '');
  switch (a.kind) {
    case 'jenkins':
      return {
        summary: `The Git plugin answers from the job's Jenkins credential: Manage Jenkins → Credentials, the credential the job's Git settings name (credentialsId). Make it "Username with password" with ${GIT_IDENTITY}. ${NEW_TOKEN_ADVICE}.`,
        commands: [],
      };
    case 'vscode':
      return {
        summary: `VS Code shows git's question in a dialog and passes on what is typed there. Enter ${GIT_IDENTITY}. To stop the dialogs, store the token once where git's helper keeps it.`,
        commands: ['bbauth login'],
      };
    case 'sourcetree':
      return {
        summary:
          'Sourcetree answers from its account: Settings → Accounts → the Bitbucket account → Edit, Auth type "API token", your Atlassian email and an API token with read:user, read:workspace, read:repository and write:repository (Bitbucket scopes). It needs Sourcetree 4.2.14 (Mac) or 3.4.24 (Windows); if it still refuses the token (SRCTREE-8218), use OAuth there.',
        commands: [],
      };
    case 'desktop':
      return {
        summary: `A desktop dialog asks each time git needs a password. Enter ${GIT_IDENTITY}, or store the token once so git stops asking.`,
        commands: ['bbauth login'],
      };
    case 'program':
      return {
        summary: `git runs it with its question as the only argument ("Username for 'https://${host}': ", then "Password for 'https://<username>@${host}': ") and sends what it prints. It must print ${GIT_IDENTITY}.`,
        commands: [],
      };
  }
}

/**
 * The fix for a finding about a credential the askpass program answered: change it where that program gets it,
 * since nothing bbauth or git stores would be asked.
 */
export function askPassSourcedFix(a: AskPass, ctx: fixes.FixContext): Fix {
  const where = askPassFix(a, ctx);
  return {
    summary: `This credential comes from ${askPassLabel(a)}, so replace it there. ${where.summary}`,
    commands: where.commands,
  };
}

export interface AskPassSubject {
  askPass: AskPass;
  remote: string;
  /** Set when doctor let git ask the program. */
  answer?: AskPassAnswer;
  /** git can prompt on a terminal after the program gives it nothing. */
  terminal: boolean;
  at: Location;
  ctx: fixes.FixContext;
}

/**
 * `askpass-credential` for a remote where git gets as far as the askpass program (nothing stored, or only a
 * .netrc entry before it). Not asked: a warning, since bbauth cannot tell what git will send. Asked: what it
 * answered (judged like any credential by the other rules), or that it gave git nothing.
 */
export function askPassFinding(s: AskPassSubject): Finding {
  const who = askPassLabel(s.askPass);
  const fix = askPassFix(s.askPass, s.ctx);
  const at: Location = s.askPass.source === 'core.askPass' ? s.at : { ...s.at, env: s.askPass.source };
  if (!s.answer) {
    return finding(
      'askpass-credential',
      `git has nothing stored for remote "${s.remote}", so it asks ${who} for the username and password. bbauth cannot see what that answers without running it: \`bbauth doctor --ask-askpass\` lets git ask it once (it may show a dialog) and checks the answer.`,
      at,
      fix,
      { severity: 'warning' },
    );
  }
  if (s.answer.answered) {
    const user = s.answer.use.username ? `username "${s.answer.use.username}"` : 'no username';
    return finding(
      'askpass-credential',
      `git gets remote "${s.remote}"'s credential from ${who}: it answered ${user} and a secret, judged here like any stored credential.`,
      at,
      fix,
      { severity: 'info', use: s.answer.use },
    );
  }
  return finding(
    'askpass-credential',
    `${who} gave git nothing for remote "${s.remote}" (${s.answer.why}), so git ${s.terminal ? 'falls back to prompting on the terminal' : 'fails: there is no terminal to fall back to'}.`,
    at,
    fix,
    { severity: 'warning' },
  );
}
