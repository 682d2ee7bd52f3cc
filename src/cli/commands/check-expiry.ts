import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth check-expiry` is being built. */
export const checkExpiryCommand = defineCommand({
  meta: { name: 'check-expiry', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth check-expiry is not available yet in this version.');
  },
});
