import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { configDir } from '../../src/store/config-dir.js';

describe('configDir', () => {
  it.each([
    [{ BBAUTH_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x', HOME: '/h' }, 'linux', '/c'],
    [{ XDG_CONFIG_HOME: '/x', HOME: '/h' }, 'darwin', '/x/bbauth'],
    [{ HOME: '/h' }, 'linux', '/h/.config/bbauth'],
    [{ HOME: '/Users/a' }, 'darwin', '/Users/a/Library/Preferences/bbauth'],
    [{ HOME: '/h', APPDATA: '/appdata' }, 'win32', '/appdata/bbauth/Config'],
    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    [{ XDG_CONFIG_HOME: 'cfg', HOME: '/h' }, 'linux', '/h/.config/bbauth'],
  ] as const)('%j on %s → %s', (env, platform, expected) => {
    expect(configDir(env, platform)).toBe(expected);
  });

  it('with HOME unset, the account home, never the current directory', () => {
    const dir = configDir({}, 'linux');
    expect(dir).toBe(`${userInfo().homedir}/.config/bbauth`);
    expect(dir.startsWith('/')).toBe(true);
  });

  it('a relative HOME is not used either', () => {
    expect(configDir({ HOME: '.' }, 'linux')).toBe(`${userInfo().homedir}/.config/bbauth`);
  });

  it('a relative BBAUTH_CONFIG_DIR is refused with the next step', () => {
    expect(() => configDir({ BBAUTH_CONFIG_DIR: 'backups', HOME: '/h' }, 'linux')).toThrow(UsageError);
    expect(() => configDir({ BBAUTH_CONFIG_DIR: 'backups', HOME: '/h' }, 'linux')).toThrow(/absolute path/);
  });
});
