/**
 * Where bbauth keeps its own metadata: BBAUTH_CONFIG_DIR, else $XDG_CONFIG_HOME/bbauth, else the platform's
 * place for settings (~/.config on Linux, ~/Library/Preferences on macOS, %APPDATA% on Windows).
 */
import { join } from 'node:path';

/** The config directory for an environment (tests pass an isolated one). */
export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.BBAUTH_CONFIG_DIR) return env.BBAUTH_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'bbauth');
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'bbauth');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'bbauth', 'Config');
  return join(home, '.config', 'bbauth');
}
