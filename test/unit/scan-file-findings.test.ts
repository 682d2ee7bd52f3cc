import { describe, expect, it } from 'vitest';
import { parseComposerAuth } from '../../src/core/places/composer.js';
import { scanFileText } from '../../src/core/scan/file-findings.js';
import { parseJenkinsCredentials, parseJenkinsJob } from '../../src/core/places/jenkins.js';
import { placeOf } from '../../src/core/scan/places.js';
import { jenkinsFindings, repoFindings } from '../../src/core/scan/repo-findings.js';
import { parseGitConfigFile } from '../../src/core/scan/git-config-file.js';
import { buildScanReport } from '../../src/core/scan/report.js';
import { mintSecret } from '../../src/core/token/format.js';

const api = mintSecret('api-token');
const acc = mintSecret('access-token');
const app = mintSecret('app-password');
const opts = { hosts: ['bitbucket.org', 'api.bitbucket.org'], origin: 'https://bitbucket.org' };
const ids = (path: string, text: string) =>
  scanFileText(path, text, placeOf(path), opts)
    .items.flatMap((i) => i.findings.map((f) => f.id))
    .sort();

describe('Composer auth.json', () => {
  const auth = (username: string, password: string) =>
    JSON.stringify(
      {
        'http-basic': {
          'bitbucket.org': { username, password },
          'github.com': { username: 'x', password: 'ghp_zzz' },
        },
      },
      null,
      2,
    );
  it('parses http-basic and bitbucket-oauth with lines', () => {
    const text = JSON.stringify(
      { 'bitbucket-oauth': { 'bitbucket.org': { 'consumer-key': 'k', 'consumer-secret': 'S3cretValue' } } },
      null,
      2,
    );
    expect(parseComposerAuth(text)).toEqual([
      { type: 'bitbucket-oauth', host: 'bitbucket.org', username: 'k', secret: 'S3cretValue', line: 5 },
    ]);
    expect(parseComposerAuth('{not json')).toBeUndefined();
  });
  it('API token with a username (not the email): rest-username-not-email', () => {
    expect(ids('/p/auth.json', auth('alice', api))).toEqual(['rest-username-not-email', 'secret-in-file']);
  });
  it('API token with the email: only the place', () => {
    expect(ids('/p/auth.json', auth('alice@example.com', api))).toEqual(['secret-in-file']);
  });
  it('app password: app-password too; other hosts ignored', () => {
    expect(ids('/p/auth.json', auth('alice', app))).toEqual(['app-password', 'secret-in-file']);
  });
  it('not JSON: falls back to the text detectors', () => {
    expect(ids('/p/auth.json', `{"password": "${api}",`)).toEqual(['secret-in-file']);
  });
});

describe('stores and netrc', () => {
  it('credential store: only Bitbucket hosts (any port), pairing for git', () => {
    const text = `https://alice%40example.com:${api}@bitbucket.org\nhttps://x:${acc}@bitbucket.org:8443\nhttps://u:p@github.com\n`;
    expect(ids('/h/.git-credentials', text)).toEqual([
      'access-token-username',
      'email-as-git-username',
      'plaintext-credential-store',
      'plaintext-credential-store',
    ]);
  });
  it('netrc: machine entries for the host', () => {
    const r = scanFileText(
      '/h/.netrc',
      `machine bitbucket.org\n  login x-token-auth\n  password ${acc}\nmachine github.com login a password b\n`,
      'netrc',
      opts,
    );
    expect(r.items.map((i) => [i.location.line, i.findings.map((f) => f.id)])).toEqual([
      [1, ['secret-in-netrc']],
    ]);
  });
});

describe('generic files', () => {
  it.each([
    ['/p/.env', `BITBUCKET_TOKEN=${api}\n`, ['secret-in-file']],
    [
      '/p/Dockerfile',
      `RUN git clone https://me@example.com:${api}@bitbucket.org/w/r.git\n`,
      ['email-as-git-username', 'secret-in-file'],
    ],
    [
      '/p/requirements.txt',
      `git+https://bob:${app}@bitbucket.org/acme/lib.git\n`,
      ['app-password', 'secret-in-file'],
    ],
    [
      '/p/package.json',
      `{"dependencies":{"lib":"git+https://${acc}@bitbucket.org/a/b.git"}}`,
      ['secret-in-file', 'token-in-username-field'],
    ],
    [
      '/p/bitbucket-pipelines.yml',
      `script:\n  - git push https://x-token-auth:${acc}@bitbucket.org/a/b.git\n`,
      ['secret-in-file'],
    ],
    [
      '/p/deploy.sh',
      `curl -u bob:${api.slice(0, -1)}X https://api.bitbucket.org/2.0/user\n`,
      ['secret-in-file', 'token-checksum-mismatch'],
    ],
  ])('%s', (path, text, want) => {
    expect(ids(path, text)).toEqual(want);
  });
  it('bad-checksum tokens under test fixtures are decoys; valid ones there are reported', () => {
    const bad = `${api.slice(0, -1)}${api.endsWith('0') ? '1' : '0'}`;
    const r = scanFileText('/p/test/fixtures/t.txt', `a=${bad}\nb=${api}\n`, 'text', opts);
    expect(r.decoys).toBe(1);
    expect(r.items.map((i) => i.secret)).toEqual([api]);
  });
  it('skips lines the repository rules already reported', () => {
    expect(
      scanFileText(
        '/r/.git/config',
        `[remote "o"]\n\turl = https://u:${api}@bitbucket.org/a/b\n`,
        'git-config',
        { ...opts, skipLines: new Set([2]) },
      ).items,
    ).toEqual([]);
  });
});

describe('Jenkins', () => {
  const creds = `<?xml version='1.1'?>\n<list>\n<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl plugin="x">\n  <id>bb-email</id>\n  <username>alice@example.com</username>\n  <password>{AQAAABAAAAAQabc=}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <id>bb-plain</id>\n  <username>bob</username>\n  <password>${app}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n</list>`;
  const job = (id: string, url = 'https://bitbucket.org/acme/app.git') =>
    `<project><scm class="hudson.plugins.git.GitSCM">\n<userRemoteConfigs>\n<hudson.plugins.git.UserRemoteConfig>\n<url>${url}</url>\n<credentialsId>${id}</credentialsId>\n</hudson.plugins.git.UserRemoteConfig>\n</userRemoteConfigs></scm></project>`;
  it('parses usernames, encrypted vs plain passwords, and job remotes', () => {
    expect(parseJenkinsCredentials(creds)).toEqual([
      { id: 'bb-email', username: 'alice@example.com', line: 5 },
      { id: 'bb-plain', username: 'bob', password: app, line: 10 },
    ]);
    expect(parseJenkinsJob(job('bb-email'))).toEqual([
      { url: 'https://bitbucket.org/acme/app.git', credentialsId: 'bb-email', line: 5, plugin: 'git' },
    ]);
  });
  it('flags an email username used for a Bitbucket git URL, and unencrypted secrets', () => {
    const c = parseJenkinsCredentials(creds).map((x) => ({ ...x, file: '/j/credentials.xml', home: '/j' }));
    const jobs = [
      ...parseJenkinsJob(job('bb-email')).map((x) => ({ ...x, file: '/j/jobs/a/config.xml', home: '/j' })),
      ...parseJenkinsJob(job('bb-email', 'https://github.com/a/b.git')).map((x) => ({
        ...x,
        file: '/j/jobs/b/config.xml',
        home: '/j',
      })),
      ...parseJenkinsJob(job('bb-email')).map((x) => ({
        ...x,
        file: '/other/jobs/c/config.xml',
        home: '/other',
      })),
    ];
    const items = jenkinsFindings(c, jobs, opts.hosts, opts.origin);
    expect(items.map((i) => [i.location.file, i.findings.map((f) => f.id)])).toEqual([
      ['/j/credentials.xml', ['email-as-git-username']],
      ['/j/credentials.xml', ['secret-in-file', 'app-password']],
    ]);
  });
});

describe('repository remotes and grouping', () => {
  it('reports only credential-carrying Bitbucket remotes, through insteadOf, with file and line', () => {
    const cfg = parseGitConfigFile(
      `[remote "origin"]\n\turl = https://alice:${api}@bitbucket.org/w/r.git\n[remote "gh"]\n\turl = https://u:p@github.com/a/b\n[remote "clean"]\n\turl = https://bitbucket.org/w/r.git\n[remote "tok"]\n\turl = https://${acc}@bitbucket.org/w/r.git\n[remote "alias"]\n\turl = bb:w/r.git\n[url "https://x-token-auth:${acc}@bitbucket.org/"]\n\tinsteadOf = bb:\n`,
      '/r/.git/config',
    );
    const r = repoFindings('/r', cfg, opts.hosts, opts.origin);
    expect(r.items.map((i) => [i.location.remote, i.location.line, i.findings.map((f) => f.id)])).toEqual([
      ['origin', 2, ['secret-in-remote-url']],
      ['tok', 8, ['token-in-username-field']],
      ['alias', 12, ['secret-in-remote-url']],
    ]);
    expect([...r.covered]).toEqual(['/r/.git/config:2', '/r/.git/config:8', '/r/.git/config:12']);
    expect(JSON.stringify(r.items.map((i) => i.findings))).not.toMatch(/AT(AT|CT)T3xFfG[A-Za-z0-9_=-]{20}/);
  });
  it('one credential, many places; summary counts', () => {
    const a = scanFileText('/p/.env', `T=${api}\n`, 'text', opts).items;
    const b = scanFileText('/q/.env', `T=${api}\nU=${app}\n`, 'text', opts).items;
    const origin = {
      host: 'web-1',
      user: 'deploy',
      scannedAt: '2026-12-03T10:00:00.000Z',
      bbauthVersion: '0.1.0',
      roots: ['/p', '/q'],
    };
    const report = buildScanReport({
      origin,
      items: [...a, ...b],
      skipped: [{ path: '/x', reason: 'binary' }],
      files: 3,
      repositories: 0,
      fixtureDecoys: 0,
    });
    expect(report).toMatchObject({ type: 'bbauth.scan', ...origin });
    expect(report.credentials.map((c) => [c.kind, c.locations.length, c.findingIds])).toEqual([
      ['api-token', 2, ['secret-in-file']],
      ['app-password', 1, ['secret-in-file', 'app-password']],
    ]);
    // One id per secret, the same on any machine, tied to the credential's findings; never the secret.
    const [apiCred, appCred] = report.credentials;
    expect(apiCred!.id).toMatch(/^sha256:[0-9a-f]{24}$/);
    expect(apiCred!.id).not.toBe(appCred!.id);
    const again = buildScanReport({
      origin: { ...origin, host: 'web-2' },
      items: b,
      skipped: [],
      files: 1,
      repositories: 0,
      fixtureDecoys: 0,
    });
    expect(again.credentials.map((c) => c.id)).toEqual([apiCred!.id, appCred!.id]);
    const appFinding = report.findings.find((f) => f.id === 'app-password')!;
    expect(appFinding.credential?.id).toBe(appCred!.id);
    expect(JSON.stringify(report)).not.toContain(api);
    expect(JSON.stringify(report)).not.toContain(app);
    const keyed = buildScanReport({
      origin,
      fleetKey: 'k',
      items: b,
      skipped: [],
      files: 1,
      repositories: 0,
      fixtureDecoys: 0,
    });
    expect(keyed.credentials[0]!.id).toMatch(/^hmac:[0-9a-f]{24}$/);
    expect(report.summary).toMatchObject({
      files: 3,
      credentials: 2,
      byKind: { 'api-token': 1, 'app-password': 1 },
      bySeverity: { error: 1, warning: 3, info: 0 },
    });
    expect(report.findings[0]!.severity).toBe('error');
    expect(JSON.stringify(report)).not.toContain(api);
  });
});

describe('http.extraHeader in config files', () => {
  it('Bearer API token, Basic access token, other hosts ignored', async () => {
    const { extraHeaderItems } = await import('../../src/core/scan/extra-header.js');
    const basic = Buffer.from(`x-token-auth:${acc}`).toString('base64');
    const cfg = parseGitConfigFile(
      `[http]\n\textraHeader = Authorization: Bearer ${api}\n[http "https://github.com/"]\n\textraHeader = Authorization: Basic ${basic}\n[http "https://bitbucket.org/"]\n\textraheader = AUTHORIZATION: basic ${basic}\n`,
      '/h/.gitconfig',
    );
    const items = extraHeaderItems(cfg, opts.origin);
    expect(
      items.map((i) => [i.secret === api, i.location.line, i.findings.map((f) => `${f.id}:${f.severity}`)]),
    ).toEqual([
      [true, 2, ['authorization-extraheader:error', 'bearer-with-api-token:error']],
      [false, 6, ['authorization-extraheader:warning']],
    ]);
    expect(items[1]!.secret).toBe(acc);
  });
});

describe('--verify planning', () => {
  it('one target per secret and username, with the repository URL when a place names one', async () => {
    const { planVerify, repoUrlOf } = await import('../../src/core/scan/verify.js');
    expect(repoUrlOf('https://alice:***@bitbucket.org/acme/web.git', opts.origin)).toBe(
      'https://bitbucket.org/acme/web.git',
    );
    expect(repoUrlOf('https://alice:ATATT3…AB12 (192 chars)@bitbucket.org/acme/web', opts.origin)).toBe(
      'https://bitbucket.org/acme/web.git',
    );
    expect(repoUrlOf('https://u:***@api.bitbucket.org/2.0/user', opts.origin)).toBeUndefined();
    const a = scanFileText(
      '/p/.env',
      `R=https://alice:${api}@bitbucket.org/acme/web.git\n`,
      'text',
      opts,
    ).items;
    const b = scanFileText(
      '/q/deploy.sh',
      `git clone https://alice:${api}@bitbucket.org/acme/web.git\nT=${api.slice(0, -1)}X\n`,
      'text',
      opts,
    ).items;
    const c = scanFileText(
      '/p/auth.json',
      JSON.stringify({ 'http-basic': { 'bitbucket.org': { username: 'a@b.co', password: acc } } }),
      'composer-auth',
      opts,
    ).items;
    const targets = planVerify([...a, ...b, ...c], opts.origin);
    expect(targets.map((t) => [t.username, t.surface, t.repoUrl, t.locations.length])).toEqual([
      ['alice', 'git', 'https://bitbucket.org/acme/web.git', 2],
    ]);
  });
});
