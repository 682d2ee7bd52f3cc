/** The command map. Loaded lazily so `bbauth emulator` never pays for doctor's imports and vice versa. */
import type { CommandDef } from 'citty';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lazy = () => Promise<CommandDef<any>>;

export const commands: Record<string, Lazy> = {
  emulator: () => import('./commands/emulator.js').then((m) => m.emulatorCommand),
};
