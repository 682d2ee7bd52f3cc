import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth logout` is being built. */
export const logoutCommand = defineCommand({
  meta: { name: 'logout', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth logout is not available yet in this version.');
  },
});
