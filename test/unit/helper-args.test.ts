import { describe, expect, it } from 'vitest';
import { parseHelperArgs } from '../../src/core/helper/args.js';

describe('parseHelperArgs: options come before the action, as git runs `git credential-bbauth [opts] <action>`', () => {
  it.each([
    [['get'], { action: 'get' }],
    [['store'], { action: 'store' }],
    [['erase'], { action: 'erase' }],
    [['--token-file', '/run/secrets/x', 'get'], { action: 'get', tokenFile: '/run/secrets/x' }],
    [['--token-file=/run/secrets/x', 'store'], { action: 'store', tokenFile: '/run/secrets/x' }],
    [
      ['--bitbucket-url', 'http://127.0.0.1:8080', '--token-file', 'a b', 'erase'],
      { action: 'erase', bitbucketUrl: 'http://127.0.0.1:8080', tokenFile: 'a b' },
    ],
    [['capability'], { action: 'other' }],
    [['--token-file', '/x', 'frobnicate'], { action: 'other', tokenFile: '/x' }],
    [[], { action: 'none' }],
    // The last word is the token file's value, not an action.
    [['--token-file', 'get'], { action: 'none', tokenFile: 'get' }],
  ])('%j', (argv, want) => {
    const got = parseHelperArgs(argv);
    expect(got).toMatchObject({ ...want, unknown: [] });
    if (!('tokenFile' in want)) expect(got.tokenFile).toBeUndefined();
  });

  it('reports unknown options by name only (a glued value might be a secret)', () => {
    const got = parseHelperArgs(['--password=hunter2hunter2', '-x', 'stray', 'get']);
    expect(got.action).toBe('get');
    expect(got.unknown).toEqual(['--password', '-x', '(argument)']);
    expect(JSON.stringify(got)).not.toContain('hunter2');
  });

  it('notes a valued option without its value', () => {
    expect(parseHelperArgs(['--token-file']).unknown).toEqual(['--token-file (missing value)']);
  });

  it('sees --help', () => {
    expect(parseHelperArgs(['--help']).help).toBe(true);
  });
});

describe('the helper default URL', () => {
  it('is the one the rest of bbauth uses', async () => {
    const { HELPER_DEFAULT_URL } = await import('../../src/helper/run.js');
    const { DEFAULT_BITBUCKET_URL } = await import('../../src/core/endpoints.js');
    expect(HELPER_DEFAULT_URL).toBe(DEFAULT_BITBUCKET_URL);
  });
});
