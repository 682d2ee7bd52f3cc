import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth setup-git` is being built. */
export const setupGitCommand = defineCommand({
  meta: { name: 'setup-git', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth setup-git is not available yet in this version.');
  },
});
