import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth fix` is being built. */
export const fixCommand = defineCommand({
  meta: { name: 'fix', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth fix is not available yet in this version.');
  },
});
