/**
 * Fix steps as git commands: the shell line a finding prints and the plan shows is made here from the very step
 * `fix` executes (fix-apply runs the same step: `set-remote-url` through these arguments, config steps through
 * git/config.ts, which also accepts an already-unset key). Also the few steps more than one rule needs (GCM's
 * validation workaround), defined once.
 */
import { shellWord } from '../shell.js';
import type { FixStep } from './types.js';

/** The git arguments that carry out a step, or undefined for steps that are not one git call. */
export function stepGitArgs(step: FixStep): string[] | undefined {
  // A step of a plan over several repositories names the one it runs in.
  const at = (args: string[], repository?: string) => (repository ? ['-C', repository, ...args] : args);
  switch (step.action) {
    case 'set-remote-url':
      return at(
        ['remote', 'set-url', ...(step.push ? ['--push'] : []), step.remote, step.to],
        step.repository,
      );
    case 'unset-config':
      return ['config', '--file', step.file, '--unset-all', step.key];
    case 'set-config':
      return at(['config', `--${step.scope}`, step.key, step.value], step.repository);
    default:
      return undefined;
  }
}

/** The shell line for a step that is not a git call but a plain command (`chmod 600 ~/.git-credentials`). */
function plainCommand(step: FixStep): string | undefined {
  if (step.action === 'restrict-file-mode') return `chmod 600 ${shellWord(step.file)}`;
  if (step.action === 'use-helper') {
    const key = shellWord(`credential.${step.origin}.helper`);
    return `git config --global ${key} '' && git config --global --add ${key} ${shellWord(step.helper)}`;
  }
  return undefined;
}

/** The shell line for a git step (`git remote set-url origin https://…`), or undefined. */
export function stepCommand(step: FixStep): string | undefined {
  const args = stepGitArgs(step);
  return args ? ['git', ...args].map(shellWord).join(' ') : plainCommand(step);
}

/**
 * Git Credential Manager validates stored Bitbucket credentials against /2.0/user with the git username, which
 * fails for API tokens, so it discards them and prompts again (GCM #1991); turning validation off is the
 * documented workaround.
 */
export function gcmWorkaroundSteps(): FixStep[] {
  return [
    {
      action: 'set-config',
      key: 'credential.bitbucketValidateStoredCredentials',
      value: 'false',
      scope: 'global',
      why: 'Git Credential Manager would otherwise discard API tokens and prompt on every command',
    },
  ];
}

/** A `git remote set-url` step (`from` is the masked URL it replaces, shown in the plan). */
export function setRemoteUrlStep(
  remote: string,
  to: string,
  o: { from?: string; push?: boolean; why?: string } = {},
): FixStep {
  return {
    action: 'set-remote-url',
    remote,
    push: o.push ?? false,
    from: o.from ?? '',
    to,
    why: o.why ?? '',
  };
}
