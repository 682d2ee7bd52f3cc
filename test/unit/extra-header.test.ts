import { describe, expect, it } from 'vitest';
import { authorizationHeaders, extraHeaderFindings } from '../../src/core/places/extra-header.js';
import { classifySecret } from '../../src/core/credential/secret-class.js';
import type { ConfigEntry } from '../../src/core/parse/git-config.js';
import type { SecretUse } from '../../src/core/credential/use.js';
import { mintSecret } from '../../src/core/token/format.js';

const api = mintSecret('api-token');
const e = (key: string, value: string | undefined, origin = 'file:/home/u/.gitconfig'): ConfigEntry => ({
  key,
  value,
  origin,
});
const basic = (user: string, pw: string) =>
  `Authorization: Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('authorizationHeaders', () => {
  const url = 'https://bitbucket.org/acme/web.git';
  it.each<[string, ConfigEntry[], { scheme: string; secret: string; username?: string }[]]>([
    [
      'a global Bearer header',
      [e('http.extraheader', `Authorization: Bearer ${api}`)],
      [{ scheme: 'bearer', secret: api }],
    ],
    [
      'Basic, decoded',
      [e('http.extraheader', basic('x-bitbucket-api-token-auth', api))],
      [{ scheme: 'basic', secret: api, username: 'x-bitbucket-api-token-auth' }],
    ],
    [
      'a URL-scoped header for this host',
      [e('http.https://bitbucket.org/.extraheader', `AUTHORIZATION: bearer ${api}`)],
      [{ scheme: 'bearer', secret: api }],
    ],
    [
      'a header scoped to another host',
      [e('http.https://github.com/.extraheader', `Authorization: Bearer ${api}`)],
      [],
    ],
    [
      'an empty value clears the headers before it',
      [e('http.extraheader', `Authorization: Bearer ${api}`), e('http.extraheader', '')],
      [],
    ],
    ['other headers are ignored', [e('http.extraheader', 'X-Trace: 1')], []],
  ])('%s', (_l, entries, expected) => {
    expect(
      authorizationHeaders(entries, url).map(({ scheme, secret, username }) => ({
        scheme,
        secret,
        ...(username ? { username } : {}),
      })),
    ).toEqual(expected);
  });
});

describe('extraHeaderFindings', () => {
  const use = (scheme: 'basic' | 'bearer', secret: string): SecretUse => ({
    secret,
    source: 'extraheader',
    scheme,
    location: {},
    class: classifySecret(secret),
  });
  const at = { configKey: 'http.extraheader', configOrigin: 'file:.git/config' };
  it('API token as Bearer: an error plus bearer-with-api-token; the fix unsets the key in its own file', () => {
    const f = extraHeaderFindings(use('bearer', api), at, { origin: 'https://bitbucket.org' });
    expect(f.map((x) => [x.id, x.severity])).toEqual([
      ['authorization-extraheader', 'error'],
      ['bearer-with-api-token', 'error'],
    ]);
    expect(f[0]!.fix.commands[0]).toBe('git config --file .git/config --unset-all http.extraheader');
  });
  it('another secret over Basic: a warning only', () => {
    const f = extraHeaderFindings(use('basic', 'correct-horse-battery'), at, {
      origin: 'https://bitbucket.org',
    });
    expect(f.map((x) => [x.id, x.severity])).toEqual([['authorization-extraheader', 'warning']]);
  });
});
