import { describe, expect, it } from 'vitest';
import { parseCredentialStore, type StoredCredential } from '../../src/core/parse/credential-store.js';
import { parseNetrc, type NetrcEntry } from '../../src/core/parse/netrc.js';
import { mintSecret } from '../../src/core/token/format.js';

describe('parseCredentialStore', () => {
  it.each<[string, string, StoredCredential[]]>([
    ['empty file', '', []],
    [
      'one line as git writes it',
      'https://jdoe:s3cr%40t%3Ax@bitbucket.org\n',
      [{ line: 1, protocol: 'https', host: 'bitbucket.org', username: 'jdoe', password: 's3cr@t:x' }],
    ],
    [
      'several lines, CRLF, blank lines, port, path (useHttpPath)',
      'https://a:1@bitbucket.org\r\n\r\n  \nhttp://b:2@127.0.0.1:7990/ws/r.git/\nhttps://c:3@[::1]:8443\n',
      [
        { line: 1, protocol: 'https', host: 'bitbucket.org', username: 'a', password: '1' },
        { line: 4, protocol: 'http', host: '127.0.0.1:7990', path: 'ws/r.git', username: 'b', password: '2' },
        { line: 5, protocol: 'https', host: '[::1]:8443', username: 'c', password: '3' },
      ],
    ],
    [
      'email username percent-encoded',
      'https://me%40example.com:tok@bitbucket.org',
      [{ line: 1, protocol: 'https', host: 'bitbucket.org', username: 'me@example.com', password: 'tok' }],
    ],
    [
      'username only, no password',
      'https://x-token-auth@bitbucket.org',
      [{ line: 1, protocol: 'https', host: 'bitbucket.org', username: 'x-token-auth' }],
    ],
    [
      'hand-edited raw @ in the password stays whole',
      'https://u:p@ss@bitbucket.org',
      [{ line: 1, protocol: 'https', host: 'bitbucket.org', username: 'u', password: 'p@ss' }],
    ],
    [
      'lines git cannot read are skipped (comments, no scheme, no host)',
      '# my tokens\nbitbucket.org:tok\nhttps://\nhttps://u:p@/x\n\thttps://u:p@h\n',
      [{ line: 5, protocol: '\thttps', host: 'h', username: 'u', password: 'p' }],
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseCredentialStore(text)).toEqual(expected);
  });

  it('keeps a minted token intact, encoded or not', () => {
    const token = mintSecret('api-token');
    const text = `https://x-bitbucket-api-token-auth:${encodeURIComponent(token)}@bitbucket.org\nhttps://u:${token}@h`;
    expect(parseCredentialStore(text).map((c) => c.password)).toEqual([token, token]);
  });
});

describe('parseNetrc', () => {
  it.each<[string, string, NetrcEntry[]]>([
    ['empty', '', []],
    [
      'one line',
      'machine bitbucket.org login me password tok',
      [{ line: 1, machine: 'bitbucket.org', login: 'me', password: 'tok' }],
    ],
    [
      'tokens across lines with tabs and CRLF',
      'machine\r\n  bitbucket.org\r\n\tlogin me\r\n\tpassword\r\n tok\r\nmachine api.bitbucket.org login a password b',
      [
        { line: 1, machine: 'bitbucket.org', login: 'me', password: 'tok' },
        { line: 6, machine: 'api.bitbucket.org', login: 'a', password: 'b' },
      ],
    ],
    [
      'comments, whole line and after tokens',
      '# global\nmachine h # trailing comment password nope\n  login me\n#machine x login y\npassword p\n',
      [{ line: 2, machine: 'h', login: 'me', password: 'p' }],
    ],
    [
      'quoted values with spaces and escapes',
      'machine h login "my user" password "a \\"quoted\\" pass\\\\word\\tx"',
      [{ line: 1, machine: 'h', login: 'my user', password: 'a "quoted" pass\\word\tx' }],
    ],
    [
      'macdef body skipped up to the blank line, even if it says machine/password',
      'machine a login 1 password 2\nmacdef init\ncd /pub\nmachine evil password leaked\n\nmachine b login 3 password 4\n',
      [
        { line: 1, machine: 'a', login: '1', password: '2' },
        { line: 6, machine: 'b', login: '3', password: '4' },
      ],
    ],
    [
      'macdef running to EOF',
      'machine a login 1\nmacdef m\nmachine x password y\n',
      [{ line: 1, machine: 'a', login: '1' }],
    ],
    [
      'default entry, account and port ignored',
      'machine h account acct port 443 login u password p\ndefault login anon password guest',
      [
        { line: 1, machine: 'h', login: 'u', password: 'p' },
        { line: 2, machine: 'default', login: 'anon', password: 'guest' },
      ],
    ],
    ['login before any machine is ignored', 'login u password p\nmachine h', [{ line: 2, machine: 'h' }]],
    ['truncated file', 'machine h login', [{ line: 1, machine: 'h' }]],
    ['machine without a name', 'machine', []],
    [
      'later value wins for a repeated keyword',
      'machine h password one password two',
      [{ line: 1, machine: 'h', password: 'two' }],
    ],
    ['unknown words are skipped', 'foo machine h bar login u', [{ line: 1, machine: 'h', login: 'u' }]],
    // curl 7.88 (as git drives it) sends this entry for http://bitbucket.org: keywords and host ignore case.
    [
      'keywords and machine names in any case',
      'MACHINE BitBucket.ORG Login me PASSWORD tok\nDefault LOGIN a Password b',
      [
        { line: 1, machine: 'bitbucket.org', login: 'me', password: 'tok' },
        { line: 2, machine: 'default', login: 'a', password: 'b' },
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseNetrc(text)).toEqual(expected);
  });

  it('keeps a minted token and its line', () => {
    const token = mintSecret('app-password');
    expect(parseNetrc(`\n\nmachine bitbucket.org\nlogin jdoe\npassword ${token}\n`)).toEqual([
      { line: 3, machine: 'bitbucket.org', login: 'jdoe', password: token },
    ]);
  });
});
