/** Proves a fix with the real git client: `git ls-remote` per remote, `git push --dry-run` where push should work. */
import { runGit } from '../git/run-git.js';

export interface GitCheck {
  remote: string;
  fetch: 'ok' | 'failed';
  push: 'ok' | 'failed' | 'skipped';
  /** git's last stderr line when something failed (masked by the renderer). */
  detail?: string;
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}

/** Runs the checks for each remote. */
export async function verifyWithGit(
  remotes: { remote: string; push: boolean }[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<GitCheck[]> {
  const head = await runGit(['rev-parse', '--verify', '-q', 'HEAD'], { cwd, env });
  const out: GitCheck[] = [];
  for (const r of remotes) {
    const ls = await runGit(['ls-remote', '--heads', '--', r.remote], { cwd, env, timeoutMs: 60_000 });
    const check: GitCheck = { remote: r.remote, fetch: ls.code === 0 ? 'ok' : 'failed', push: 'skipped' };
    if (ls.code !== 0) check.detail = lastLine(ls.stderr);
    if (r.push && head.code === 0) {
      // A dry-run push to a branch name nobody uses: git authenticates for receive-pack and sends nothing.
      // --no-verify: the repository's pre-push hook (tests, linters, anything) is not bbauth's to run.
      const push = await runGit(
        [
          'push',
          '--dry-run',
          '--no-verify',
          '--porcelain',
          r.remote,
          'HEAD:refs/heads/bbauth-verify-dry-run',
        ],
        { cwd, env, timeoutMs: 60_000 },
      );
      check.push = push.code === 0 ? 'ok' : 'failed';
      if (push.code !== 0) check.detail = lastLine(push.stderr);
    }
    out.push(check);
  }
  return out;
}
