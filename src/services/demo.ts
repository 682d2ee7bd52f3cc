/**
 * `bbauth demo`: a newcomer without a Bitbucket account sees what bbauth does in seconds. Starts the emulator
 * with synthetic tokens, sets up small repositories broken in the common real-world ways (each with its own
 * HOME, so nothing touches the user's git setup), runs doctor on each, and cleans everything up.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport } from '../core/doctor/report.js';
import { startEmulator } from '../emulator/server.js';
import { demoState } from '../emulator/state.js';
import { setConfig } from '../git/config.js';
import { runGit } from '../git/run-git.js';
import { runDoctor } from './doctor.js';

export interface DemoCase {
  title: string;
  story: string;
  report: DoctorReport;
}

interface Setup {
  title: string;
  story: string;
  remoteUser?: string;
  /** Token id whose secret goes into the URL. */
  urlToken?: string;
  /** [username, token id] stored in ~/.git-credentials with the store helper. */
  stored?: [string, string];
  repo?: string;
  email?: string;
}

const SETUPS: Setup[] = [
  {
    title: 'Deploy server: app password cached in ~/.git-credentials',
    story:
      'cron runs `git pull`; since 2026-07-28 it fails with HTTP 410 and git never forgets the cached app password.',
    stored: ['alice', 'alice-app-password'],
  },
  {
    title: 'VS Code push: API token without repository scopes',
    story: 'the token was created with only read:user; fetch and push are refused with 403.',
    remoteUser: 'x-bitbucket-api-token-auth',
    stored: ['x-bitbucket-api-token-auth', 'alice-user-only'],
  },
  {
    title: 'Jenkins job: Atlassian email used as the git username',
    story: 'the REST API wants the email, git refuses it (401).',
    remoteUser: 'alice@example.com',
    stored: ['alice@example.com', 'alice-rw'],
  },
  {
    title: '"Classic" API token pasted into the remote URL',
    story: 'a token created without scopes is refused everywhere, and the URL leaks it into logs.',
    remoteUser: 'alice',
    urlToken: 'alice-unscoped',
    email: 'alice@example.com',
  },
  {
    title: 'Healthy: scoped API token in a credential helper',
    story: 'what good looks like.',
    remoteUser: 'x-bitbucket-api-token-auth',
    stored: ['x-bitbucket-api-token-auth', 'alice-rw'],
  },
];

/** Runs every demo case and returns the reports (the caller renders them). */
export async function runDemo(onCase?: (c: DemoCase) => void): Promise<DemoCase[]> {
  const root = await mkdtemp(join(tmpdir(), 'bbauth-demo-'));
  const emulator = await startEmulator({ state: demoState(), dataDir: join(root, 'emulator') });
  const secretOf = (id: string) => emulator.state.tokens.find((t) => t.id === id)!.secret;
  const host = new URL(emulator.gitUrl).host;
  const cases: DemoCase[] = [];
  try {
    for (const [i, s] of SETUPS.entries()) {
      const home = join(root, `home-${i}`);
      const repo = join(root, `repo-${i}`);
      await mkdir(home, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
        GIT_CONFIG_NOSYSTEM: '1',
      };
      delete env.BBAUTH_EMAIL;
      const auth = s.remoteUser
        ? `${encodeURIComponent(s.remoteUser)}${s.urlToken ? `:${encodeURIComponent(secretOf(s.urlToken))}` : ''}@`
        : '';
      await runGit(['init', '-q', repo], { env });
      await runGit(['remote', 'add', 'origin', `http://${auth}${host}/${s.repo ?? 'acme/web'}.git`], {
        cwd: repo,
        env,
      });
      if (s.stored) {
        const [user, id] = s.stored;
        await writeFile(
          join(home, '.git-credentials'),
          `http://${encodeURIComponent(user)}:${encodeURIComponent(secretOf(id))}@${host}\n`,
          { mode: 0o600 },
        );
        await setConfig({ scope: 'global' }, 'credential.helper', 'store', { env });
      }
      const report = await runDoctor({
        cwd: repo,
        env,
        offline: false,
        endpoints: { bitbucketUrl: emulator.gitUrl, apiUrl: emulator.apiUrl },
        ...(s.email ? { email: s.email } : {}),
      });
      const c = { title: s.title, story: s.story, report };
      cases.push(c);
      onCase?.(c);
    }
  } finally {
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
  return cases;
}
