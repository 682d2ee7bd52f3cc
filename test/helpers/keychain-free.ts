/**
 * A git environment with no keychain helper in it, whatever the machine has installed. Without --helper,
 * `bbauth login` configures the platform's keychain helper (osxkeychain, Git Credential Manager, libsecret)
 * when git can run one: a test that let it would depend on the machine and write tokens into the developer's
 * real keychain. git looks for `git-credential-<name>` in its exec-path and then on PATH, so both are replaced:
 * PATH holds git alone, and GIT_EXEC_PATH is a folder of links to the real exec-path's programs minus keychain
 * helpers.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Sandbox } from './sandbox.js';

const KEYCHAIN_HELPER = /^git-credential-(osxkeychain|manager|libsecret)/;

function findOnPath(name: string, path: string): string {
  for (const dir of path.split(delimiter)) {
    const file = join(dir || '.', name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`no ${name} on PATH`);
}

/** PATH and GIT_EXEC_PATH for `sandbox` under which git (and so bbauth) finds no keychain helper. */
export function keychainFreeGitEnv(sandbox: Sandbox): { PATH: string; GIT_EXEC_PATH: string } {
  const root = join(sandbox.root, 'keychain-free');
  const bin = join(root, 'bin');
  const execDir = join(root, 'git-core');
  if (!existsSync(root)) {
    const realExec = sandbox.git(['--exec-path']).stdout.trim();
    mkdirSync(bin, { recursive: true });
    mkdirSync(execDir);
    symlinkSync(findOnPath('git', sandbox.env.PATH ?? ''), join(bin, 'git'));
    for (const name of readdirSync(realExec)) {
      if (!KEYCHAIN_HELPER.test(name)) symlinkSync(join(realExec, name), join(execDir, name));
    }
  }
  return { PATH: bin, GIT_EXEC_PATH: execDir };
}
