import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth scan` is being built. */
export const scanCommand = defineCommand({
  meta: { name: 'scan', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth scan is not available yet in this version.');
  },
});
