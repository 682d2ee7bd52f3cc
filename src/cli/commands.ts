/** The command map. Loaded lazily so each command pays only for its own imports. */
import type { CommandDef } from 'citty';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lazy = () => Promise<CommandDef<any>>;

export const commands: Record<string, Lazy> = {
  doctor: () => import('./commands/doctor.js').then((m) => m.doctorCommand),
  fix: () => import('./commands/fix.js').then((m) => m.fixCommand),
  login: () => import('./commands/login.js').then((m) => m.loginCommand),
  logout: () => import('./commands/logout.js').then((m) => m.logoutCommand),
  status: () => import('./commands/status.js').then((m) => m.statusCommand),
  scan: () => import('./commands/scan.js').then((m) => m.scanCommand),
  explain: () => import('./commands/explain.js').then((m) => m.explainCommand),
  report: () => import('./commands/report.js').then((m) => m.reportCommand),
  rotate: () => import('./commands/rotate.js').then((m) => m.rotateCommand),
  'setup-git': () => import('./commands/setup-git.js').then((m) => m.setupGitCommand),
  'check-expiry': () => import('./commands/check-expiry.js').then((m) => m.checkExpiryCommand),
  demo: () => import('./commands/demo.js').then((m) => m.demoCommand),
  emulator: () => import('./commands/emulator.js').then((m) => m.emulatorCommand),
};
