/** Where bbauth keeps its own metadata: BBAUTH_CONFIG_DIR, else $XDG_CONFIG_HOME/bbauth, else the platform's. */
import envPaths from 'env-paths';
import { join } from 'node:path';

/** The config directory for an environment (tests pass an isolated one). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BBAUTH_CONFIG_DIR) return env.BBAUTH_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'bbauth');
  if (process.platform === 'linux' && env.HOME) return join(env.HOME, '.config', 'bbauth');
  return envPaths('bbauth', { suffix: '' }).config;
}
