import { defineCommand } from 'citty';
import { globalArgs } from '../args.js';

/** Placeholder until the emulator lands. */
export const emulatorCommand = defineCommand({
  meta: { name: 'emulator', description: 'Start a local Bitbucket Cloud authentication emulator' },
  args: { ...globalArgs },
  run() {
    return 2;
  },
});
