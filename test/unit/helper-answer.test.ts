import { describe, expect, it } from 'vitest';
import {
  answerGet,
  helperTarget,
  isTargetRequest,
  readOnlyNote,
  reportedToken,
} from '../../src/core/helper/answer.js';
import { chooseToken, judgeToken, type OfferedToken } from '../../src/core/helper/tokens.js';
import { parseCredentialMessage } from '../../src/core/parse/credential-protocol.js';
import { fingerprint } from '../../src/core/redact.js';
import { mintSecret } from '../../src/core/token/format.js';

const api = mintSecret('api-token');
const access = mintSecret('access-token');
const appPassword = mintSecret('app-password');
const broken = api.slice(0, -1) + (api.endsWith('A') ? 'B' : 'A');
const NOW = new Date('2026-09-01T12:00:00Z');

function expectNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const s of [api, access, appPassword, broken]) expect(text).not.toContain(s.slice(8, 40));
}

describe('chooseToken: sources in order, kind decides the username', () => {
  it.each([
    ['BITBUCKET_API_TOKEN api token', { BITBUCKET_API_TOKEN: api }, api, 'x-bitbucket-api-token-auth'],
    ['BITBUCKET_API_TOKEN holding an access token', { BITBUCKET_API_TOKEN: access }, access, 'x-token-auth'],
    ['BITBUCKET_ACCESS_TOKEN', { BITBUCKET_ACCESS_TOKEN: access }, access, 'x-token-auth'],
    ['BBAUTH_TOKEN', { BBAUTH_TOKEN: api }, api, 'x-bitbucket-api-token-auth'],
    ['first set wins', { BITBUCKET_API_TOKEN: api, BBAUTH_TOKEN: access }, api, 'x-bitbucket-api-token-auth'],
    ['empty variables are unset', { BITBUCKET_API_TOKEN: '', BBAUTH_TOKEN: access }, access, 'x-token-auth'],
  ])('%s', (_name, env, secret, username) => {
    const c = chooseToken(env, { path: '/never/read', content: 'ignored' });
    expect(c.token?.secret).toBe(secret);
    expect(c.token?.username).toBe(username);
    expect(c.note).toBeUndefined();
  });

  it('falls back to the token file, trimming its trailing newline silently', () => {
    for (const content of [`${api}\n`, `${api}\r\n`, `${api}\n\n`, api]) {
      const c = chooseToken({}, { path: '/run/secrets/bb', content });
      expect(c.token).toMatchObject({ secret: api, source: 'file:/run/secrets/bb' });
      expect(c.note).toBeUndefined();
    }
  });

  it.each([
    [
      'no source at all',
      {},
      undefined,
      /no token in BITBUCKET_API_TOKEN, BITBUCKET_ACCESS_TOKEN, BBAUTH_TOKEN/,
    ],
    [
      'unreadable file',
      {},
      { path: '/run/secrets/bb', error: 'ENOENT' },
      /cannot read token file \/run\/secrets\/bb \(ENOENT\)/,
    ],
    ['empty file', {}, { path: '/f', content: '\n' }, /token file \/f is empty/],
  ])('%s → nothing, one reason', (_name, env, file, note) => {
    const c = chooseToken(env, file);
    expect(c.token).toBeUndefined();
    expect(c.note).toMatch(note);
  });
});

describe('judgeToken: anything but a clean API/access token is refused with a fingerprint', () => {
  it.each([
    [
      'app password',
      appPassword,
      /BITBUCKET_API_TOKEN holds an app password \(ATBB.{2}….{4} \(36 chars\)\); app passwords were removed 2026-07-28 — not offering it/,
    ],
    ['checksum mismatch', broken, /checksum does not match \(ATATT3….{4} \(192 chars\)\)/],
    ['truncated', api.slice(0, 150), /checksum does not match/],
    ['Data Center token', `BBDC-${'a1B2'.repeat(11)}`, /Data Center token/],
    ['legacy secret', 'abcdefghij0123456789', /bare 20-character secret/],
    [
      'a password',
      'correct horse battery',
      /does not hold a Bitbucket Cloud API or access token \(•••• \(21 chars\)\)/,
    ],
    ['quoted token', `"${api}"`, /stray characters \(quotes\)/],
    [
      'percent-encoded token with a space inside',
      `${api.slice(0, 50)}%20${api.slice(50)}`,
      /not offering it/,
    ],
  ])('%s', (_name, raw, note) => {
    const c = judgeToken(raw, 'BITBUCKET_API_TOKEN', 'env:BITBUCKET_API_TOKEN');
    expect(c.token).toBeUndefined();
    expect(c.note).toMatch(note);
    expect(c.note).not.toContain(raw);
    expectNoSecret(c);
  });

  it.each([
    ['surrounding spaces', ` ${api} `],
    ['a line break inside', `${api.slice(0, 96)}\n${api.slice(96)}`],
    ['a tab at the end', `${api}\t`],
  ])('offers the checksum-valid repair for whitespace damage: %s', (_name, raw) => {
    const c = judgeToken(raw, 'BBAUTH_TOKEN', 'env:BBAUTH_TOKEN');
    expect(c.token?.secret).toBe(api);
    expect(c.note).toMatch(/BBAUTH_TOKEN has whitespace around the token \(ATATT3/);
    expect(c.note).not.toContain(api);
  });

  it('a token file with damage beyond the final newline is damage', () => {
    const c = chooseToken({}, { path: '/f', content: `${api} x\n` });
    expect(c.token).toBeUndefined();
    expect(c.note).toMatch(/token file \/f holds a token whose checksum does not match .* not offering it/);
  });

  it("spaces before a token file's newline are whitespace damage, repaired with a note", () => {
    const c = chooseToken({}, { path: '/f', content: `${api}  \n` });
    expect(c.token?.secret).toBe(api);
    expect(c.note).toMatch(/token file \/f has whitespace around the token/);
  });
});

describe('helperTarget / isTargetRequest', () => {
  const cloud = helperTarget('https://bitbucket.org')!;
  const emu = helperTarget('http://127.0.0.1:8123')!;
  it.each([
    [cloud, 'protocol=https\nhost=bitbucket.org\n', true],
    [cloud, 'protocol=https\nhost=BitBucket.ORG\n', true],
    [cloud, 'protocol=https\nhost=bitbucket.org:443\n', true],
    [cloud, 'protocol=https\nhost=bitbucket.org:8443\n', false],
    [cloud, 'protocol=http\nhost=bitbucket.org\n', false],
    [cloud, 'protocol=https\nhost=github.com\n', false],
    [cloud, 'protocol=https\nhost=api.bitbucket.org\n', false],
    [cloud, 'protocol=https\nhost=bitbucket.org.evil.example\n', false],
    [cloud, 'url=https://alice@bitbucket.org/acme/web.git\n', true],
    [cloud, 'host=bitbucket.org\n', false],
    [cloud, 'capability[]=authtype\nprotocol=https\nhost=bitbucket.org\npath=acme/web.git\n', true],
    [emu, 'protocol=http\nhost=127.0.0.1:8123\n', true],
    [emu, 'protocol=http\nhost=127.0.0.1:8124\n', false],
    [emu, 'protocol=http\nhost=127.0.0.1\n', false],
  ])('%j %j → %s', (target, text, want) => {
    expect(isTargetRequest(parseCredentialMessage(text), target)).toBe(want);
  });

  it.each(['ftp://bitbucket.org', 'not a url', ''])('rejects %j', (url) => {
    expect(helperTarget(url)).toBeUndefined();
  });
});

describe('answerGet', () => {
  const token = chooseToken({ BITBUCKET_API_TOKEN: api }).token!;
  it('answers username and password; no expiry field when unknown', () => {
    expect(answerGet(token, undefined, NOW)).toEqual({
      reply: { username: 'x-bitbucket-api-token-auth', password: api },
    });
  });
  it.each([
    ['2027-01-15', String(Date.UTC(2027, 0, 15, 23, 59, 59) / 1000)],
    ['2027-01-15T09:00:00Z', String(Date.UTC(2027, 0, 15, 9) / 1000)],
    ['2027-01-15T09:00:00+02:00', String(Date.UTC(2027, 0, 15, 7) / 1000)],
    ['2026-09-01', String(Date.UTC(2026, 8, 1, 23, 59, 59) / 1000)],
  ])('password_expiry_utc for %s', (expires, seconds) => {
    expect(answerGet(token, expires, NOW).reply?.password_expiry_utc).toBe(seconds);
  });
  it('ignores an unreadable expiry', () => {
    expect(answerGet(token, 'next tuesday', NOW).reply?.password_expiry_utc).toBeUndefined();
  });
  it.each(['2026-08-31', '2026-09-01T12:00:00Z', '2026-09-01T13:00:00+02:00'])(
    'refuses a token expired per the records (%s), saying so',
    (expires) => {
      const a = answerGet(token, expires, NOW);
      expect(a.reply).toBeUndefined();
      expect(a.note).toContain(`expired on`);
      expect(a.note).toContain(fingerprint(api));
      expectNoSecret(a.note);
    },
  );
});

describe('reportedToken: which store/erase reports may touch the records', () => {
  const cloud = helperTarget('https://bitbucket.org')!;
  const msg = (extra: string) => parseCredentialMessage(`protocol=https\nhost=bitbucket.org\n${extra}`);
  it('a clean token for the Bitbucket origin', () => {
    expect(reportedToken(msg(`username=alice\npassword=${api}\n`), cloud)).toEqual({
      secret: api,
      kind: 'api-token',
      username: 'alice',
    });
  });
  it.each([
    ['no password', 'username=alice\n'],
    ['an app password', `password=${appPassword}\n`],
    ['a short password (digest could be brute-forced)', 'password=hunter2\n'],
    ['a damaged token', `password=${broken}\n`],
  ])('%s → nothing', (_name, extra) => {
    expect(reportedToken(msg(extra), cloud)).toBeUndefined();
  });
  it('another host → nothing', () => {
    const other = parseCredentialMessage(`protocol=https\nhost=github.com\npassword=${api}\n`);
    expect(reportedToken(other, cloud)).toBeUndefined();
  });
});

describe('readOnlyNote: a token a check proved read-only', () => {
  const secret = mintSecret('api-token');
  const token: OfferedToken = {
    secret,
    kind: 'api-token',
    username: 'x-bitbucket-api-token-auth',
    label: 'BITBUCKET_API_TOKEN',
    source: 'env:BITBUCKET_API_TOKEN',
  };

  it('warns in a repository that needs push (bbauth.need unset or push), naming the way out, never the secret', () => {
    for (const need of [undefined, 'push']) {
      const note = readOnlyNote(token, '2026-11-30T10:00:00.000Z', need);
      expect(note).toMatch(/cannot push .*2026-11-30.*git config bbauth.need fetch/);
      expect(note).toContain(fingerprint(secret));
      expect(note).not.toContain(secret);
    }
  });

  it('says nothing where the repository only fetches', () => {
    expect(readOnlyNote(token, '2026-11-30T10:00:00.000Z', 'fetch')).toBeUndefined();
    expect(readOnlyNote(token, '2026-11-30T10:00:00.000Z', 'Fetch')).toBeUndefined();
  });
});
