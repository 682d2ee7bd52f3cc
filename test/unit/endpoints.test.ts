/** --bitbucket-url / --api-url: what bbauth accepts as a server, and the helper command it writes from it. */
import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { helperValue } from '../../src/services/setup-git.js';
import { UsageError } from '../../src/core/errors.js';

describe('resolveEndpoints', () => {
  it.each([
    ['https://a;id;.example', /invalid host name/],
    ['https://a$(id).example', /invalid host name|not a valid URL/],
    ['https://a`id`.example', /invalid host name|not a valid URL/],
    ["https://a'b.example", /invalid host name|not a valid URL/],
    ['https://a_b.example', /invalid host name/],
    ['http://bitbucket.example', /plain HTTP/],
    ['https://user:pw@bitbucket.org', /must not contain credentials/],
    ['ftp://bitbucket.org', /must be an http\(s\) URL/],
  ])('refuses %s', (url, message) => {
    expect(() => resolveEndpoints({ bitbucketUrl: url }, {})).toThrow(UsageError);
    expect(() => resolveEndpoints({ bitbucketUrl: url }, {})).toThrow(message);
  });

  it.each([
    ['https://bitbucket.org', 'https://bitbucket.org'],
    ['https://git.example.com:8443/x', 'https://git.example.com:8443'],
    ['http://127.0.0.1:7990', 'http://127.0.0.1:7990'],
    ['http://[::1]:7990', 'http://[::1]:7990'],
    ['https://BitBucket.ORG.', 'https://bitbucket.org.'],
  ])('accepts %s as %s', (url, origin) => {
    expect(resolveEndpoints({ bitbucketUrl: url }, {}).bitbucketUrl).toBe(origin);
  });
});

describe('helperValue', () => {
  it('writes only shell-safe words into the command git runs through the shell', () => {
    const endpoints = resolveEndpoints({ bitbucketUrl: 'https://git.example.com:8443' }, {});
    expect(helperValue(endpoints)).toBe('bbauth --bitbucket-url https://git.example.com:8443');
    expect(helperValue(resolveEndpoints({}, {}), '/run/my token')).toBe(
      "bbauth --token-file '/run/my token'",
    );
  });
});
