import { describe, expect, it } from 'vitest';
import {
  formatCredentialMessage,
  parseCredentialMessage,
  type CredentialMessage,
} from '../../src/core/parse/credential-protocol.js';
import { mintSecret } from '../../src/core/token/format.js';

describe('parseCredentialMessage', () => {
  it.each<[string, string, CredentialMessage]>([
    ['empty', '', {}],
    [
      'what git sends a helper for get',
      'capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=bitbucket.org\nusername=jdoe\n\n',
      { capability: ['authtype', 'state'], protocol: 'https', host: 'bitbucket.org', username: 'jdoe' },
    ],
    [
      'stops at the blank line',
      'protocol=https\nhost=a\n\nhost=b\npassword=late\n',
      { protocol: 'https', host: 'a' },
    ],
    ['EOF without blank line or final newline', 'protocol=https\nhost=a', { protocol: 'https', host: 'a' }],
    [
      'CRLF tolerated',
      'protocol=https\r\nhost=bitbucket.org:8443\r\npath=ws/r.git\r\n\r\n',
      { protocol: 'https', host: 'bitbucket.org:8443', path: 'ws/r.git' },
    ],
    ['value with = signs', 'password=abc==def=\n', { password: 'abc==def=' }],
    ['empty value', 'username=\n', { username: '' }],
    ['junk lines ignored', 'hello\n=novalue\nprotocol=https\n  \n', { protocol: 'https' }],
    [
      'empty key[] clears the list',
      'wwwauth[]=Basic realm="x"\nwwwauth[]=\nwwwauth[]=Bearer\n',
      { wwwauth: ['Bearer'] },
    ],
    ['later scalar wins', 'host=a\nhost=b\n', { host: 'b' }],
    [
      'url= expands into fields, replacing earlier ones',
      'username=old\npassword=old\nurl=https://me%40x.com:p%3Dq@bitbucket.org:8443/ws/r.git\n',
      {
        url: 'https://me%40x.com:p%3Dq@bitbucket.org:8443/ws/r.git',
        protocol: 'https',
        host: 'bitbucket.org:8443',
        path: 'ws/r.git',
        username: 'me@x.com',
        password: 'p=q',
      },
    ],
    [
      'fields after url= override it',
      'url=https://a@h\nusername=b\n',
      { url: 'https://a@h', protocol: 'https', host: 'h', username: 'b' },
    ],
    [
      'unknown keys and expiry kept',
      'password_expiry_utc=1893456000\noauth_refresh_token=r\nquit=1\n',
      { password_expiry_utc: '1893456000', oauth_refresh_token: 'r', quit: '1' },
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseCredentialMessage(text)).toEqual(expected);
  });
});

describe('formatCredentialMessage', () => {
  it('writes capabilities first, then the usual order, then the rest', () => {
    const out = formatCredentialMessage({
      extra: 'x',
      password: 'p',
      username: 'x-bitbucket-api-token-auth',
      host: 'bitbucket.org',
      protocol: 'https',
      capability: ['authtype'],
      password_expiry_utc: '1893456000',
      skipped: undefined,
    });
    expect(out).toBe(
      'capability[]=authtype\nprotocol=https\nhost=bitbucket.org\nusername=x-bitbucket-api-token-auth\npassword=p\npassword_expiry_utc=1893456000\nextra=x\n',
    );
  });

  it('round-trips through the parser', () => {
    const msg: CredentialMessage = {
      protocol: 'https',
      host: 'bitbucket.org',
      path: 'ws/r.git',
      username: 'x-token-auth',
      password: mintSecret('access-token'),
      wwwauth: ['Basic realm="Bitbucket.org HTTP"', 'Bearer'],
    };
    expect(parseCredentialMessage(formatCredentialMessage(msg))).toEqual(msg);
  });

  it('writes nothing for an empty message', () => {
    expect(formatCredentialMessage({})).toBe('');
  });

  it.each<[string, CredentialMessage]>([
    ['newline in a value', { password: 'a\nhost=evil' }],
    ['carriage return', { username: 'a\r' }],
    ['NUL', { password: 'a\0b' }],
    ['newline in a list value', { capability: ['authtype', 'x\ny'] }],
    ['= in a key', { 'a=b': 'c' }],
    ['newline in a key', { 'a\nb': 'c' }],
    ['empty key', { '': 'c' }],
  ])('refuses %s', (_name, msg) => {
    expect(() => formatCredentialMessage(msg)).toThrow();
  });

  it('never puts the secret in the error message', () => {
    const token = mintSecret('api-token');
    let message = '';
    try {
      formatCredentialMessage({ password: `${token}\n` });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('password');
    expect(message).not.toContain(token.slice(0, 16));
  });
});
