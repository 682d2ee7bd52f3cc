/**
 * The username doctor asks the credential helpers with, for the username a remote URL carries. Found by the
 * differential test: with a token pasted into the URL's username field and the cache helper holding a working
 * token, doctor asked with no username, the cache answered, and doctor predicted `ok` while real git (asking
 * with the token as username) found nothing and failed.
 */
import { describe, expect, it } from 'vitest';
import { helperUsername, TOKEN_USERNAME_STAND_IN } from '../../src/core/places/remote-url.js';
import { secrets } from '../helpers/facts.js';

describe('helperUsername', () => {
  it.each([
    ['no username: none (the helper answers for any)', () => undefined, undefined],
    ['a username: itself', () => 'alice', 'alice'],
    ['the static username: itself', () => 'x-bitbucket-api-token-auth', 'x-bitbucket-api-token-auth'],
    ['an email: itself', () => 'alice@example.com', 'alice@example.com'],
    ['an API token: a stand-in no helper has an entry under', () => secrets.api(), TOKEN_USERNAME_STAND_IN],
    ['a truncated API token: the stand-in', () => secrets.truncated(), TOKEN_USERNAME_STAND_IN],
    ['an access token: the stand-in', () => secrets.access(), TOKEN_USERNAME_STAND_IN],
    ['an app password: the stand-in', () => secrets.app(), TOKEN_USERNAME_STAND_IN],
  ])('%s', (_name, username, asked) => {
    expect(helperUsername(username())).toBe(asked);
  });
});
