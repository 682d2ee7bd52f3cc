import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth status` is being built. */
export const statusCommand = defineCommand({
  meta: { name: 'status', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth status is not available yet in this version.');
  },
});
