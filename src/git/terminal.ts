/**
 * Whether git could prompt for a password right now. git asks on the controlling terminal (/dev/tty), not on
 * stdin, and never when GIT_TERMINAL_PROMPT=0; a cron job, a CI step or a service has no controlling terminal.
 */
import { closeSync, openSync } from 'node:fs';

/** True when git would be able to prompt on a terminal under `env`. */
export function gitCanPrompt(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  // git reads it as a boolean: '', 0, false, no, off turn prompting off.
  const v = env.GIT_TERMINAL_PROMPT;
  if (v !== undefined && /^(|0+|false|no|off)$/i.test(v.trim())) return false;
  // Git for Windows prompts on the console; there is no /dev/tty to try.
  if (platform === 'win32') return Boolean(process.stdin.isTTY);
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}
