import { describe, expect, it } from 'vitest';
import { detectInText, isPlaceholder } from '../../src/core/scan/text-detect.js';
import { mayMentionBitbucket, looksBinary } from '../../src/core/scan/prefilter.js';
import { compileExcludes } from '../../src/core/scan/glob.js';
import { isFixturePath, placeOf } from '../../src/core/scan/places.js';
import { mintSecret } from '../../src/core/token/format.js';
import { parseJenkinsCredentials, parseJenkinsJob } from '../../src/core/places/jenkins.js';

const api = mintSecret('api-token');
const app = mintSecret('app-password');
const hosts = ['bitbucket.org', 'api.bitbucket.org'];
const one = (text: string) =>
  detectInText(text, hosts).map((h) => ({
    secret: h.secret,
    username: h.username,
    line: h.line,
    via: h.via,
  }));

describe('detectInText: credentialed URLs', () => {
  it.each([
    [
      'plain',
      'x https://alice:hunter2pw@bitbucket.org/ws/r.git',
      { secret: 'hunter2pw', username: 'alice', via: 'url' },
    ],
    [
      'port',
      'https://alice:pw1234567@bitbucket.org:443/ws/r.git',
      { secret: 'pw1234567', username: 'alice' },
    ],
    [
      'percent-encoded @ and : in the password',
      'https://a%40b.com:p%40ss%3Aw0rd@bitbucket.org/w/r',
      { secret: 'p@ss:w0rd', username: 'a@b.com' },
    ],
    [
      'raw @ in the password splits at the last @',
      'https://alice:p@ss@bitbucket.org/w/r',
      { secret: 'p@ss', username: 'alice' },
    ],
    [
      'raw : in the password',
      'https://alice:pa:ss9@bitbucket.org/w/r',
      { secret: 'pa:ss9', username: 'alice' },
    ],
    [
      'git+https in requirements.txt',
      `git+https://bob:${app}@bitbucket.org/acme/lib.git#egg=lib`,
      { secret: app, username: 'bob' },
    ],
    ['api host', `curl https://a@b.com:${api}@api.bitbucket.org/2.0/user`, { secret: api }],
    ['upper-case host', 'https://alice:pw1234567@BitBucket.ORG/w/r', { secret: 'pw1234567' }],
  ])('%s', (_n, text, want) => {
    const hits = one(text);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject(want);
  });

  it('a token in the username field', () => {
    expect(one(`https://${api}@bitbucket.org/w/r.git`)).toEqual([
      { secret: api, username: undefined, line: 1, via: 'username-token' },
    ]);
  });

  it.each([
    ['other host', 'https://alice:pw1234567@github.com/w/r'],
    ['IPv6 host is not Bitbucket', 'https://alice:pw1234567@[::1]:8443/w/r'],
    ['look-alike host', 'https://alice:pw1234567@bitbucket.org.evil.com/w/r'],
    ['env placeholder', 'https://x-token-auth:${BITBUCKET_TOKEN}@bitbucket.org/w/r'],
    ['$VAR placeholder', 'https://x-token-auth:$TOKEN@bitbucket.org/w/r'],
    ['template placeholder', 'https://u:<api-token>@bitbucket.org/w/r'],
    ['no password, ordinary username', 'https://x-bitbucket-api-token-auth@bitbucket.org/w/r'],
    ['no userinfo', 'https://bitbucket.org/w/r'],
  ])('nothing for %s', (_n, text) => {
    expect(one(text)).toEqual([]);
  });

  it('counts lines', () => {
    expect(one(`a\nb\n\nhttps://alice:pw1234567@bitbucket.org/w/r`)[0]!.line).toBe(4);
  });

  it('host lists come from the endpoints (IPv6 and ports are compared without brackets and port)', () => {
    expect(detectInText('https://u:pw1234567@[::1]:8443/w/r', ['::1'])).toHaveLength(1);
  });
});

describe('detectInText: bare tokens and assignments', () => {
  it('finds minted tokens in any text, once each, with the line', () => {
    const hits = one(`A=1\nTOKEN="${api}"\n  password: ${app}\n`);
    expect(hits.map((h) => [h.secret, h.line, h.via])).toEqual([
      [api, 2, 'token'],
      [app, 3, 'token'],
    ]);
  });
  it('does not take a token out of a longer base64 run', () => {
    expect(one(`xyz${api}`)).toEqual([]);
  });
  it.each([
    ['random 192-char string', 'k='.concat('Zq9'.repeat(64))],
    ['UUID', 'id: 123e4567-e89b-12d3-a456-426614174000'],
    ['word ATBB', 'ATBB is the app password prefix'],
    ['variable names', 'BITBUCKET_TOKEN: ${{ secrets.BITBUCKET_TOKEN }}'],
    ['path value', 'BITBUCKET_TOKEN_FILE=/run/secrets/bb'],
    ['word value', 'bitbucket_token: required'],
  ])('no hit for %s', (_n, text) => {
    expect(one(text)).toEqual([]);
  });
  it('keyword assignments with an opaque value', () => {
    expect(one('BITBUCKET_APP_PASSWORD=Xy7pQ2mN9rT4vW8zK3bL\n')).toEqual([
      { secret: 'Xy7pQ2mN9rT4vW8zK3bL', username: undefined, line: 1, via: 'assignment' },
    ]);
  });
  it.each(['${X}', '$X', '{{ x }}', '<token>', '***', '%s', ''])('placeholder %j', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });
});

describe('prefilter, places, excludes', () => {
  it('prefilter hits only on the literals', () => {
    expect(mayMentionBitbucket(Buffer.from('clone from Bitbucket'))).toBe(true);
    expect(mayMentionBitbucket(Buffer.from(`x ${api}`))).toBe(true);
    expect(mayMentionBitbucket(Buffer.from('BITBUCKET_USER=x'))).toBe(true);
    expect(mayMentionBitbucket(Buffer.from('https://github.com/a/b DATA STATE'))).toBe(false);
    expect(mayMentionBitbucket(Buffer.from('bitbucket'), 3)).toBe(false);
  });
  it('binary = NUL in the first 8 KiB', () => {
    expect(looksBinary(Buffer.from([0x41, 0, 0x42]))).toBe(true);
    expect(looksBinary(Buffer.concat([Buffer.alloc(9000, 0x41), Buffer.from([0])]))).toBe(false);
  });
  it.each([
    ['/h/.git-credentials', 'credential-store'],
    ['/h/.config/git/credentials', 'credential-store'],
    ['/h/.netrc', 'netrc'],
    ['/h/_netrc', 'netrc'],
    ['/p/auth.json', 'composer-auth'],
    ['/var/jenkins/credentials.xml', 'jenkins-credentials'],
    ['/var/jenkins/jobs/a/config.xml', 'jenkins-job'],
    ['/h/.gitconfig', 'git-config'],
    ['/p/Jenkinsfile', 'ci-config'],
    ['/p/.github/workflows/ci.yml', 'ci-config'],
    ['/p/.env', 'text'],
  ])('%s is %s', (p, kind) => {
    expect(placeOf(p)).toBe(kind);
  });
  it('fixture folders', () => {
    expect(isFixturePath('/p/test/fixtures/a.txt')).toBe(true);
    expect(isFixturePath('/p/src/__fixtures__/a.txt')).toBe(true);
    expect(isFixturePath('/p/src/fixturesque.txt')).toBe(false);
  });
  it.each([
    [['*.log'], 'a/b/c.log', true],
    [['*.log'], 'a/b/c.txt', false],
    [['vendor'], 'x/vendor/y.php', true],
    [['build/**'], 'p/build/x/y', true],
    [['/top/*.txt'], 'top/a.txt', true],
    [['/top/*.txt'], 'x/top/a.txt', false],
    [[], 'a', false],
  ])('exclude %j on %s → %s', (globs, rel, want) => {
    expect(compileExcludes(globs)(rel)).toBe(want);
  });
});

describe('detectors on hostile text: linear time, the real hit still found', () => {
  const MB = 1024 * 1024;
  const token = mintSecret('api-token');
  const real = `\nhttps://x-bitbucket-api-token-auth:${token}@bitbucket.org/a/b.git\n`;
  // Each of these made a backtracking detector quadratic: seconds per 100 KB, hours per 10 MB.
  it.each([
    ['a scheme-like run with no ://', 'a.'.repeat(MB / 2)],
    ['many :// with long runs before them', `${'a'.repeat(4000)}://`.repeat(MB / 4004)],
    ['bitbucket glued to itself', 'bitbucket'.repeat(MB / 9)],
    ['bitbucket then word characters', `bitbucket${'_'.repeat(1000)}`.repeat(MB / 1009)],
    ['quoted dots', 'bitbucket.org' + '"a."'.repeat(MB / 4)],
  ])('%s (1 MB): well under a second per MB', (_name, junk) => {
    const text = `bitbucket.org\n${junk}${real}`;
    const started = performance.now();
    const hits = detectInText(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hits.map((h) => h.secret)).toContain(token);
  });

  it('Jenkins XML with thousands of unclosed credential tags stays linear and still finds the closed one', () => {
    const closed =
      '<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl><id>bb</id><username>alice</username><password>pw-1234567</password></com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>';
    const text = `${closed}${'<x.UsernamePassword>'.repeat(50_000)}${'<hudson.plugins.git.UserRemoteConfig>'.repeat(50_000)}`;
    const started = performance.now();
    const creds = parseJenkinsCredentials(text);
    const jobs = parseJenkinsJob(text);
    // Both parsers read the whole text (about 2.9 MB each): well under a second per MB read.
    expect(performance.now() - started).toBeLessThan(((2 * text.length) / MB) * 1000);
    expect(creds).toEqual([{ id: 'bb', username: 'alice', password: 'pw-1234567', line: 1 }]);
    expect(jobs).toEqual([]);
  });
});
