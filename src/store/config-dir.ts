/**
 * Where bbauth keeps its own metadata: BBAUTH_CONFIG_DIR, else $XDG_CONFIG_HOME/bbauth, else the platform's
 * place for settings (~/.config on Linux, ~/Library/Preferences on macOS, %APPDATA% on Windows). Always an
 * absolute path: backups hold copies of files with tokens in them, so a relative one (HOME unset, a relative
 * variable) would put them wherever bbauth was run, one `git add -A` from being committed.
 */
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../core/errors.js';

/** The user's home: HOME (USERPROFILE on Windows), else the account's home directory; never relative. */
function homeOf(env: NodeJS.ProcessEnv): string {
  const set = [env.HOME, env.USERPROFILE].find((h) => h !== undefined && isAbsolute(h));
  if (set) return set;
  let fromAccount = '';
  try {
    fromAccount = userInfo().homedir;
  } catch {
    // No account entry (a container running as an unknown uid).
  }
  if (fromAccount && isAbsolute(fromAccount)) return fromAccount;
  throw new UsageError('bbauth has no home directory to keep its records and backups in (HOME is not set).', [
    'Set HOME to your home directory, or BBAUTH_CONFIG_DIR to an absolute path outside any repository.',
  ]);
}

/** The config directory for an environment (tests pass an isolated one). */
export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.BBAUTH_CONFIG_DIR) {
    if (!isAbsolute(env.BBAUTH_CONFIG_DIR))
      throw new UsageError(`BBAUTH_CONFIG_DIR must be an absolute path (it is "${env.BBAUTH_CONFIG_DIR}").`, [
        'Set it to an absolute path outside any repository, or unset it.',
      ]);
    return env.BBAUTH_CONFIG_DIR;
  }
  // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME, 'bbauth');
  if (platform === 'win32' && env.APPDATA && isAbsolute(env.APPDATA))
    return join(env.APPDATA, 'bbauth', 'Config');
  const home = homeOf(env);
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'bbauth');
  if (platform === 'win32') return join(home, 'AppData', 'Roaming', 'bbauth', 'Config');
  return join(home, '.config', 'bbauth');
}
