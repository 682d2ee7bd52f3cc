import { describe, expect, it } from 'vitest';
import { fingerprint, redactText } from '../../src/core/redact.js';
import { mintSecret } from '../../src/core/token/format.js';

describe('fingerprint', () => {
  it('shows prefix, last four and length of a token', () => {
    const t = mintSecret('api-token');
    expect(fingerprint(t)).toBe(`ATATT3…${t.slice(-4)} (192 chars)`);
  });
  it('reveals nothing of a short or unknown secret', () => {
    expect(fingerprint('hunter2secret')).toBe('•••• (13 chars)');
  });
});

describe('redactText', () => {
  const api = mintSecret('api-token');
  const access = mintSecret('access-token');
  const app = mintSecret('app-password');
  it.each([
    ['a token in prose', `token is ${api}.`],
    ['a truncated token', `token ${api.slice(0, 120)} end`],
    ['an access token', access],
    ['an app password', `x ${app} y`],
    ['a URL password', `https://alice:${encodeURIComponent('p@ss:w/rd')}@bitbucket.org/ws/r.git`],
    ['an auth header', `Authorization: Bearer ${api}`],
    ['a credential protocol line', `username=alice\npassword=hunter2hunter2\n`],
  ])('masks %s', (_label, text) => {
    const out = redactText(text, ['hunter2hunter2', 'p@ss:w/rd']);
    for (const s of [
      api,
      access,
      app,
      'hunter2hunter2',
      'p@ss:w/rd',
      encodeURIComponent('p@ss:w/rd'),
      api.slice(0, 120),
    ]) {
      expect(out).not.toContain(s);
    }
  });
  it('masks a whole percent-encoded token in a URL, showing its real length', () => {
    const url = `http://alice:${encodeURIComponent(api.replace('=', '='))}@127.0.0.1:9/acme/web.git`.replace(
      '%3D',
      '%3d',
    );
    const out = redactText(`remote ${url} and ${encodeURIComponent(access)}`);
    expect(out).toBe(
      `remote http://alice:ATATT3…${api.slice(-4)} (192 chars)@127.0.0.1:9/acme/web.git and ATCTT3…${access.slice(-4)} (192 chars)`,
    );
    for (let i = 0; i + 8 <= api.length; i += 8) expect(out).not.toContain(api.slice(i, i + 8));
  });

  it('masks a registered plain password wherever it appears', () => {
    expect(redactText('the password is correcthorse!', ['correcthorse!'])).toBe(
      'the password is •••• (13 chars)',
    );
  });
  it('leaves ordinary text alone', () => {
    expect(redactText('git pull failed: HTTP 410 for https://bitbucket.org/acme/web.git')).toBe(
      'git pull failed: HTTP 410 for https://bitbucket.org/acme/web.git',
    );
  });
});
