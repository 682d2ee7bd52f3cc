import { describe, expect, it } from 'vitest';
import { configDir } from '../../src/store/config-dir.js';

describe('configDir', () => {
  it.each([
    [{ BBAUTH_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x', HOME: '/h' }, 'linux', '/c'],
    [{ XDG_CONFIG_HOME: '/x', HOME: '/h' }, 'darwin', '/x/bbauth'],
    [{ HOME: '/h' }, 'linux', '/h/.config/bbauth'],
    [{ HOME: '/Users/a' }, 'darwin', '/Users/a/Library/Preferences/bbauth'],
    [{ HOME: '/h', APPDATA: '/appdata' }, 'win32', '/appdata/bbauth/Config'],
  ] as const)('%j on %s → %s', (env, platform, expected) => {
    expect(configDir(env, platform)).toBe(expected);
  });
});
