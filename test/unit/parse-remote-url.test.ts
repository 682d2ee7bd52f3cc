import { describe, expect, it } from 'vitest';
import {
  originOf,
  parseRemoteUrl,
  withoutCredentials,
  type RemoteUrl,
} from '../../src/core/parse/remote-url.js';
import { mintSecret } from '../../src/core/token/format.js';

type Expect = Omit<RemoteUrl, 'raw'>;

describe('parseRemoteUrl', () => {
  it.each<[string, Expect]>([
    [
      'https://bitbucket.org/ws/repo.git',
      { scheme: 'https', host: 'bitbucket.org', path: '/ws/repo.git', workspace: 'ws', repo: 'repo' },
    ],
    [
      'https://bitbucket.org/ws/repo',
      { scheme: 'https', host: 'bitbucket.org', path: '/ws/repo', workspace: 'ws', repo: 'repo' },
    ],
    [
      'https://bitbucket.org/ws/repo.git/',
      { scheme: 'https', host: 'bitbucket.org', path: '/ws/repo.git/', workspace: 'ws', repo: 'repo' },
    ],
    [
      'HTTPS://BitBucket.ORG/WS/Repo.git',
      { scheme: 'https', host: 'bitbucket.org', path: '/WS/Repo.git', workspace: 'WS', repo: 'Repo' },
    ],
    [
      'https://user:p%40ss@host:8443/ws/repo.git',
      {
        scheme: 'https',
        host: 'host',
        port: 8443,
        username: 'user',
        password: 'p@ss',
        path: '/ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
      },
    ],
    [
      'https://me%40example.com:a%3Ab%2Fc%25d@bitbucket.org/ws/r',
      {
        scheme: 'https',
        host: 'bitbucket.org',
        username: 'me@example.com',
        password: 'a:b/c%d',
        path: '/ws/r',
        workspace: 'ws',
        repo: 'r',
      },
    ],
    [
      // ':' after the first one belongs to the password
      'https://u:a:b:c@h/ws/r',
      {
        scheme: 'https',
        host: 'h',
        username: 'u',
        password: 'a:b:c',
        path: '/ws/r',
        workspace: 'ws',
        repo: 'r',
      },
    ],
    [
      'https://u:@h/ws/r',
      { scheme: 'https', host: 'h', username: 'u', password: '', path: '/ws/r', workspace: 'ws', repo: 'r' },
    ],
    [
      'https://@h/ws/r',
      { scheme: 'https', host: 'h', username: '', path: '/ws/r', workspace: 'ws', repo: 'r' },
    ],
    [
      'https://x-token-auth@bitbucket.org/ws/r.git',
      {
        scheme: 'https',
        host: 'bitbucket.org',
        username: 'x-token-auth',
        path: '/ws/r.git',
        workspace: 'ws',
        repo: 'r',
      },
    ],
    [
      // An '@' after the authority is part of the path, not userinfo.
      'https://h/ws/r@x',
      { scheme: 'https', host: 'h', path: '/ws/r@x', workspace: 'ws', repo: 'r@x' },
    ],
    [
      'https://h/ws/r.git?foo=bar#frag',
      { scheme: 'https', host: 'h', path: '/ws/r.git', workspace: 'ws', repo: 'r' },
    ],
    [
      'https://h/a%20b/r%2Bx.git',
      { scheme: 'https', host: 'h', path: '/a%20b/r%2Bx.git', workspace: 'a b', repo: 'r+x' },
    ],
    [
      'http://127.0.0.1:7990/ws/r.git',
      { scheme: 'http', host: '127.0.0.1', port: 7990, path: '/ws/r.git', workspace: 'ws', repo: 'r' },
    ],
    [
      'https://[::1]:8443/ws/r.git',
      { scheme: 'https', host: '::1', port: 8443, path: '/ws/r.git', workspace: 'ws', repo: 'r' },
    ],
    [
      'https://u:p@[2001:DB8::1]/ws/r',
      {
        scheme: 'https',
        host: '2001:db8::1',
        username: 'u',
        password: 'p',
        path: '/ws/r',
        workspace: 'ws',
        repo: 'r',
      },
    ],
    ['https://h:/ws/r', { scheme: 'https', host: 'h', path: '/ws/r', workspace: 'ws', repo: 'r' }],
    ['https://bitbucket.org', { scheme: 'https', host: 'bitbucket.org' }],
    ['https://bitbucket.org/', { scheme: 'https', host: 'bitbucket.org', path: '/' }],
    ['https://h/scm/proj/r.git', { scheme: 'https', host: 'h', path: '/scm/proj/r.git' }],
    ['https://h/onlyone', { scheme: 'https', host: 'h', path: '/onlyone' }],
    [
      'ssh://git@bitbucket.org/ws/repo.git',
      {
        scheme: 'ssh',
        host: 'bitbucket.org',
        username: 'git',
        path: '/ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
      },
    ],
    [
      'ssh://git@bitbucket.org:2222/ws/repo.git',
      {
        scheme: 'ssh',
        host: 'bitbucket.org',
        port: 2222,
        username: 'git',
        path: '/ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
      },
    ],
    ['git+ssh://h/ws/r', { scheme: 'ssh', host: 'h', path: '/ws/r', workspace: 'ws', repo: 'r' }],
    [
      'git@bitbucket.org:ws/repo.git',
      {
        scheme: 'ssh',
        host: 'bitbucket.org',
        username: 'git',
        path: 'ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
        isScpLike: true,
      },
    ],
    [
      'bitbucket.org:ws/repo.git',
      {
        scheme: 'ssh',
        host: 'bitbucket.org',
        path: 'ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
        isScpLike: true,
      },
    ],
    [
      'git@bitbucket.org:/ws/repo.git',
      {
        scheme: 'ssh',
        host: 'bitbucket.org',
        username: 'git',
        path: '/ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
        isScpLike: true,
      },
    ],
    [
      'git@[::1]:ws/repo.git',
      {
        scheme: 'ssh',
        host: '::1',
        username: 'git',
        path: 'ws/repo.git',
        workspace: 'ws',
        repo: 'repo',
        isScpLike: true,
      },
    ],
    // As real git hands them to ssh (GIT_SSH printing its arguments): the host part ends at the first ':', and
    // ssh takes the user up to the last '@' of it.
    [
      'git:pw@bitbucket.org:ws/r.git',
      {
        scheme: 'ssh',
        host: 'git',
        path: 'pw@bitbucket.org:ws/r.git',
        workspace: 'pw@bitbucket.org:ws',
        repo: 'r',
        isScpLike: true,
      },
    ],
    ['git@git@a:443', { scheme: 'ssh', host: 'a', username: 'git@git', path: '443', isScpLike: true }],
    ['a@b:c@d:e', { scheme: 'ssh', host: 'b', username: 'a', path: 'c@d:e', isScpLike: true }],
    ['git://h/ws/r.git', { scheme: 'git', host: 'h', path: '/ws/r.git', workspace: 'ws', repo: 'r' }],
    ['file:///srv/git/r.git', { scheme: 'file', path: '/srv/git/r.git' }],
    ['/srv/git/r.git', { scheme: 'file', path: '/srv/git/r.git' }],
    ['../r.git', { scheme: 'file', path: '../r.git' }],
    ['./a:b', { scheme: 'file', path: './a:b' }],
    ['C:\\repos\\r.git', { scheme: 'file', path: 'C:\\repos\\r.git' }],
    ['C:/repos/r.git', { scheme: 'file', path: 'C:/repos/r.git' }],
    ['ext::ssh -i key host %S r', { scheme: 'other' }],
    ['persistent-https://h/ws/r', { scheme: 'other', host: 'h', path: '/ws/r', workspace: 'ws', repo: 'r' }],
    ['', { scheme: 'file', path: '' }],
  ])('%s', (raw, expected) => {
    expect(parseRemoteUrl(raw)).toEqual({ raw, ...expected });
  });

  it('splits at the last raw @ so the whole password is seen, and flags it', () => {
    const u = parseRemoteUrl('https://user:p@ss@word@bitbucket.org/ws/r.git');
    expect(u).toMatchObject({
      username: 'user',
      password: 'p@ss@word',
      host: 'bitbucket.org',
      rawAtInUserinfo: true,
    });
    expect(parseRemoteUrl('https://user:p%40ss@h/ws/r').rawAtInUserinfo).toBeUndefined();
  });

  it('finds a whole minted token in the password and in the username field', () => {
    const token = mintSecret('api-token');
    expect(
      parseRemoteUrl(`https://x-bitbucket-api-token-auth:${token}@bitbucket.org/ws/r.git`).password,
    ).toBe(token);
    expect(parseRemoteUrl(`https://${token}@bitbucket.org/ws/r.git`).username).toBe(token);
    const encoded = token.replace('=', '%3D');
    expect(parseRemoteUrl(`https://u:${encoded}@bitbucket.org/ws/r.git`).password).toBe(token);
  });

  it('never throws on broken percent-encoding or odd input', () => {
    for (const raw of [
      'https://u:%E0%A4%A@h/x',
      'https://u:100%@h/x',
      'https://[::1/x',
      'https://:@/',
      '://x',
      '@:',
    ]) {
      expect(() => parseRemoteUrl(raw)).not.toThrow();
    }
    expect(parseRemoteUrl('https://u:100%@h/x').password).toBe('100%');
  });
});

describe('withoutCredentials', () => {
  it.each<[string, string | undefined, string]>([
    ['https://user:secret@bitbucket.org/ws/r.git', undefined, 'https://bitbucket.org/ws/r.git'],
    [
      'https://user:secret@bitbucket.org/ws/r.git',
      'x-bitbucket-api-token-auth',
      'https://x-bitbucket-api-token-auth@bitbucket.org/ws/r.git',
    ],
    ['https://bitbucket.org/ws/r.git', 'x-token-auth', 'https://x-token-auth@bitbucket.org/ws/r.git'],
    ['https://u:p@ss@h:8443/ws/r.git', undefined, 'https://h:8443/ws/r.git'],
    ['https://u:p@[::1]:8443/ws/r', undefined, 'https://[::1]:8443/ws/r'],
    ['https://u:p@h/ws/r', 'me@example.com', 'https://me%40example.com@h/ws/r'],
    ['https://u:p@h', undefined, 'https://h'],
    ['https://u:p@h?x#y', undefined, 'https://h?x#y'],
    ['ssh://git:pw@h:22/ws/r', 'git', 'ssh://git@h:22/ws/r'],
    ['git@bitbucket.org:ws/r.git', undefined, 'bitbucket.org:ws/r.git'],
    // git reads this as host `git`, path `pw@bitbucket.org:ws/r.git` (the host part ends at the first ':').
    ['git:pw@bitbucket.org:ws/r.git', 'git', 'git@git:pw@bitbucket.org:ws/r.git'],
    ['git@[::1]:ws/r.git', 'git', 'git@[::1]:ws/r.git'],
    ['/srv/r.git', undefined, '/srv/r.git'],
    ['ext::ssh h', undefined, 'ext::ssh h'],
  ])('%s with %j → %s', (raw, user, out) => {
    expect(withoutCredentials(parseRemoteUrl(raw), user)).toBe(out);
  });

  it('drops a token from the username field', () => {
    const token = mintSecret('access-token');
    const out = withoutCredentials(parseRemoteUrl(`https://${token}@bitbucket.org/ws/r.git`));
    expect(out).toBe('https://bitbucket.org/ws/r.git');
    expect(out).not.toContain(token.slice(0, 20));
  });
});

describe('originOf', () => {
  it.each<[string, string | undefined]>([
    ['https://u:p@BitBucket.org/ws/r.git', 'https://bitbucket.org'],
    ['https://bitbucket.org:443/ws/r.git', 'https://bitbucket.org'],
    ['http://bitbucket.org:80/ws/r.git', 'http://bitbucket.org'],
    ['https://bitbucket.org:80/ws/r.git', 'https://bitbucket.org:80'],
    ['http://127.0.0.1:7990/ws/r', 'http://127.0.0.1:7990'],
    ['https://[::1]:8443/ws/r', 'https://[::1]:8443'],
    ['git@bitbucket.org:ws/r.git', undefined],
    ['ssh://git@bitbucket.org/ws/r.git', undefined],
    ['/srv/r.git', undefined],
  ])('%s → %j', (raw, out) => {
    expect(originOf(parseRemoteUrl(raw))).toBe(out);
  });
});
