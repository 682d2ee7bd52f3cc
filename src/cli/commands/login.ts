import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { globalArgs } from '../args.js';

/** Placeholder: `bbauth login` is being built. */
export const loginCommand = defineCommand({
  meta: { name: 'login', description: '(not yet available)', hidden: true },
  args: { ...globalArgs },
  run() {
    throw new UsageError('bbauth login is not available yet in this version.');
  },
});
