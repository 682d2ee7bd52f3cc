/**
 * `bbauth doctor URL --with-token`, before there is a repository: for a clone URL and each kind of token, doctor's
 * prediction must equal what a real `git clone` (and a dry-run push from that clone) does with that token, under
 * the username doctor says to use, and it prints a clone command with no secret in it. Nothing is stored.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/cli.js';
import { emulatorFlags, gitWithCredential, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';

let world: EmulatorWorld;
beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

const secrets = () => world.emulator.state.tokens.map((t) => t.secret);
let n = 0;

interface Report {
  clone?: string;
  remotes: { name: string; predicted: { fetch: string; push: string }; credential?: { username?: string } }[];
}

/** Real git: clone with the token under `username`, then a dry-run push from the clone. */
async function realGit(secret: string, username: string, url: string): Promise<string> {
  const dest = join(world.sandbox.root, `clone-${++n}`);
  const clone = await gitWithCredential(world, ['clone', '-q', url, dest], { username, secret });
  if (clone.code !== 0) return 'fails/fails';
  const push = await gitWithCredential(
    world,
    ['push', '--dry-run', '-q', 'origin', 'HEAD:refs/heads/url-check'],
    { username, secret },
    { cwd: dest },
  );
  return `ok/${push.code === 0 ? 'ok' : 'fails'}`;
}

describe('bbauth doctor URL --with-token', () => {
  const cases = [
    'alice-rw',
    'alice-read',
    'alice-unscoped',
    'alice-revoked',
    'alice-app-password',
    'web-repo-write',
    'web-repo-read',
  ];
  it.each(cases)(
    '%s: the prediction is what git clone and push do under the username doctor names, which the clone command carries',
    async (id) => {
      const url = `${world.emulator.gitUrl}/acme/web.git`;
      const secret = world.secret(id);
      const home = join(world.sandbox.root, `home-${++n}`);
      mkdirSync(home, { recursive: true });
      const env = { ...world.sandbox.env, HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig') };
      const run = await runCli(['doctor', url, '--with-token', '--json', ...emulatorFlags(world)], {
        cwd: home,
        env,
        input: `${secret}\n`,
      });
      expectNoSecrets(run, secrets());
      const report = JSON.parse(run.stdout) as Report;
      const remote = report.remotes[0]!;
      expect(remote.name).toBe('url');
      const username = remote.credential?.username ?? '';
      const git = await realGit(secret, username, url);
      expect(`${remote.predicted.fetch}/${remote.predicted.push}`).toBe(git);
      expect(report.clone).toMatch(
        new RegExp(`^git clone ${world.emulator.gitUrl.replace('://', `://${username}@`)}/acme/web\\.git$`),
      );
      // Nothing stored, and the command is the same URL with the username in it.
      expect(existsSync(join(home, '.git-credentials'))).toBe(false);
      expect(existsSync(join(home, '.config', 'bbauth', 'records.json'))).toBe(false);
    },
  );

  it('refuses a URL with a token in it, and --with-token without a URL', async () => {
    const secret = world.secret('alice-rw');
    const bad = await runCli(
      ['doctor', `${world.emulator.gitUrl.replace('://', `://alice:${secret}@`)}/acme/web.git`],
      {
        cwd: world.sandbox.home,
        env: world.sandbox.env,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain(secret);
    const none = await runCli(['doctor', '--with-token'], {
      cwd: world.sandbox.home,
      env: world.sandbox.env,
      input: secret,
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a clone URL/);
  });
});
