/**
 * scan over a generated tree holding every kind of place (real git repositories: normal, bare, linked
 * worktree, submodule, includeIf), plus decoys and hostile files (symlink loop, FIFO, binary, oversized,
 * unreadable, odd names). Runs the service in-process against a sandbox HOME.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { mintSecret } from '../../src/core/token/format.js';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { runScan } from '../../src/services/scan.js';
import type { ScanReport } from '../../src/core/scan/types.js';

let sb: Sandbox;
let report: ScanReport;
const planted: { secret: string; where: string; ids: string[] }[] = [];
const decoySecrets: string[] = [];

function plant(secret: string, where: string, ids: string[]): string {
  planted.push({ secret, where, ids });
  return secret;
}

function badChecksum(t: string): string {
  return t.slice(0, -1) + (t.endsWith('0') ? '1' : '0');
}

beforeAll(async () => {
  sb = createSandbox('bbauth-scan-');
  const h = sb.home;
  const git = (args: string[], cwd = h) => {
    const r = sb.git(args, { cwd });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  // Normal repository with a credential in the remote URL (email as username: wrong for git).
  const t1 = mintSecret('api-token');
  git(['init', '-q', 'src/app']);
  git(
    [
      'remote',
      'add',
      'origin',
      `https://alice%40example.com:${plant(t1, 'src/app/.git/config', ['email-as-git-username', 'secret-in-remote-url'])}@bitbucket.org/acme/app.git`,
    ],
    join(h, 'src/app'),
  );
  // Bare repository with an app password.
  const t2 = mintSecret('app-password');
  git(['init', '-q', '--bare', 'srv/mirror.git']);
  git(
    [
      'config',
      'remote.origin.url',
      `https://bob:${plant(t2, 'srv/mirror.git/config', ['app-password', 'secret-in-remote-url'])}@bitbucket.org/acme/app.git`,
    ],
    join(h, 'srv/mirror.git'),
  );
  // Linked worktree: its config.worktree carries an access token with the wrong username.
  git(['commit', '-q', '--allow-empty', '-m', 'x'], join(h, 'src/app'));
  git(['worktree', 'add', '-q', join(h, 'src/app-wt')], join(h, 'src/app'));
  git(['config', 'extensions.worktreeConfig', 'true'], join(h, 'src/app'));
  const t3 = mintSecret('access-token');
  git(
    [
      'config',
      '--worktree',
      'remote.wt.url',
      `https://ci:${plant(t3, 'worktrees/app-wt/config.worktree', ['access-token-username', 'secret-in-remote-url'])}@bitbucket.org/acme/app.git`,
    ],
    join(h, 'src/app-wt'),
  );
  // Submodule: .git/modules/lib/config.
  git(['init', '-q', 'src/lib']);
  git(['commit', '-q', '--allow-empty', '-m', 'x'], join(h, 'src/lib'));
  git(
    ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', join(h, 'src/lib'), 'lib'],
    join(h, 'src/app'),
  );
  const t4 = mintSecret('api-token');
  git(
    [
      'config',
      'remote.origin.url',
      `https://${plant(t4, '.git/modules/lib/config', ['token-in-username-field'])}@bitbucket.org/acme/lib.git`,
    ],
    join(h, 'src/app/lib'),
  );
  // includeIf gitdir: a global include that applies to ~/work/ repositories only.
  const t5 = mintSecret('api-token');
  const t10 = mintSecret('api-token');
  writeFileSync(
    join(h, '.gitconfig'),
    `[includeIf "gitdir:~/work/"]\n\tpath = ~/.gitconfig-work\n[http "https://bitbucket.org/"]\n\textraHeader = Authorization: Bearer ${plant(t10, '.gitconfig', ['authorization-extraheader', 'bearer-with-api-token'])}\n`,
  );
  const t11 = mintSecret('access-token');
  const basic = Buffer.from(
    `x-token-auth:${plant(t11, 'work/svc/.git/config', ['authorization-extraheader'])}`,
  ).toString('base64');
  writeFileSync(
    join(h, '.gitconfig-work'),
    `[url "https://x-token-auth:${plant(t5, '.gitconfig-work', ['wrong-static-username'])}@bitbucket.org/"]\n\tinsteadOf = bb:\n`,
  );
  git(['init', '-q', 'work/svc']);
  git(['remote', 'add', 'origin', 'bb:acme/svc.git'], join(h, 'work/svc'));
  git(['config', 'http.extraHeader', `Authorization: Basic ${basic}`], join(h, 'work/svc'));

  // Stores.
  const t6 = mintSecret('api-token');
  sb.write(
    '.git-credentials',
    `https://x-bitbucket-api-token-auth:${plant(t6, '.git-credentials', ['plaintext-credential-store'])}@bitbucket.org\nhttps://u:p@github.com\n`,
  );
  const t7 = mintSecret('access-token');
  sb.write(
    '.netrc',
    `machine github.com login a password b\nmachine bitbucket.org\n  login x-token-auth\n  password ${plant(t7, '.netrc', ['secret-in-netrc'])}\n`,
  );
  // Composer: username vs email.
  const t8 = mintSecret('api-token');
  sb.write(
    'php/a/auth.json',
    JSON.stringify(
      {
        'http-basic': {
          'bitbucket.org': {
            username: 'alice',
            password: plant(t8, 'php/a/auth.json', ['rest-username-not-email', 'secret-in-file']),
          },
        },
      },
      null,
      2,
    ),
  );
  const t9 = mintSecret('api-token');
  sb.write(
    'php/b/auth.json',
    JSON.stringify(
      {
        'http-basic': {
          'bitbucket.org': {
            username: 'alice@example.com',
            password: plant(t9, 'php/b/auth.json', ['secret-in-file']),
          },
        },
      },
      null,
      2,
    ),
  );
  // CI and other files.
  const files: [string, (s: string) => string, 'api-token' | 'access-token' | 'app-password'][] = [
    [
      'ci/Jenkinsfile',
      (s) => `sh "git clone https://x-bitbucket-api-token-auth:${s}@bitbucket.org/a/b.git"\n`,
      'api-token',
    ],
    [
      'ci/bitbucket-pipelines.yml',
      (s) =>
        `pipelines:\n  default:\n    - step:\n        script:\n          - git push https://x-token-auth:${s}@bitbucket.org/a/b.git\n`,
      'access-token',
    ],
    ['ci/.github/workflows/deploy.yml', (s) => `env:\n  BITBUCKET_TOKEN: ${s}\n`, 'api-token'],
    ['ci/.gitlab-ci.yml', (s) => `script:\n  - curl -u me:${s} https://bitbucket.org\n`, 'app-password'],
    ['app/.env', (s) => `BITBUCKET_APP_PASSWORD=${s}\n`, 'app-password'],
    ['app/Dockerfile', (s) => `FROM node\nRUN git clone https://u:${s}@bitbucket.org/a/b.git\n`, 'api-token'],
    ['app/deploy.sh', (s) => `#!/bin/sh\nexport TOKEN='${s}'\n`, 'access-token'],
    [
      'app/package.json',
      (s) => `{"dependencies": {"lib": "git+https://x-token-auth:${s}@bitbucket.org/a/lib.git"}}\n`,
      'access-token',
    ],
    [
      'app/package-lock.json',
      (s) =>
        `{"packages": {"node_modules/lib": {"resolved": "git+https://x-token-auth:${s}@bitbucket.org/a/lib.git#abc"}}}\n`,
      'access-token',
    ],
    [
      'app/requirements-dev.txt',
      (s) => `git+https://bob:${s}@bitbucket.org/a/lib.git#egg=lib\n`,
      'app-password',
    ],
  ];
  for (const [path, body, kind] of files)
    sb.write(path, body(plant(mintSecret(kind), path, ['secret-in-file'])));
  // Jenkins home: email username bound to a Bitbucket git job.
  sb.write(
    'jenkins/credentials.xml',
    `<list>\n<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n<id>bb</id>\n<username>alice@example.com</username>\n<password>{AQAAABAAAAAQx}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n</list>\n`,
  );
  sb.write(
    'jenkins/jobs/build/config.xml',
    `<project><scm><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig>\n<url>https://bitbucket.org/acme/app.git</url>\n<credentialsId>bb</credentialsId>\n</hudson.plugins.git.UserRemoteConfig></userRemoteConfigs></scm></project>\n`,
  );

  // Decoys: must not be reported.
  const fake = badChecksum(mintSecret('api-token'));
  decoySecrets.push(fake);
  sb.write('app/test/fixtures/tokens.txt', `token=${fake}\n`);
  sb.write('app/src/__fixtures__/t.json', `{"t": "${badChecksum(mintSecret('access-token'))}"}\n`);
  sb.write('app/random.txt', `k=${'Zq9x'.repeat(48)}\nid=123e4567-e89b-12d3-a456-426614174000\n`);
  sb.write('app/node_modules/dep/.env', `BITBUCKET_TOKEN=${mintSecret('api-token')}\n`);
  sb.write('app/excluded/.env', `BITBUCKET_TOKEN=${mintSecret('api-token')}\n`);

  // Hostile files.
  symlinkSync('..', join(h, 'app/loop'));
  execFileSync('mkfifo', [join(h, 'app/fifo')]);
  writeFileSync(join(h, 'app/blob.bin'), Buffer.concat([Buffer.from('bitbucket\0'), Buffer.alloc(100)]));
  writeFileSync(join(h, 'app/big.log'), `bitbucket ${'x'.repeat(3000)}`);
  writeFileSync(Buffer.from(join(h, 'app/odd-\xff-name.txt'), 'latin1'), 'bitbucket');
  mkdirSync(join(h, 'app/locked'));
  writeFileSync(join(h, 'app/locked/secret.env'), 'x');
  chmodSync(join(h, 'app/locked'), 0o000);

  report = await runScan({
    paths: [],
    env: sb.env,
    endpoints: resolveEndpoints({}, {}),
    excludes: ['excluded'],
    maxFileSize: 2048,
  });
});

afterAll(() => {
  chmodSync(join(sb.home, 'app/locked'), 0o755);
  sb.cleanup();
});

describe('scan over a generated tree', () => {
  it('finds every planted secret at its place, with the expected findings (100% recall)', () => {
    const missing: string[] = [];
    for (const p of planted) {
      const cred = report.credentials.find((c) => c.locations.some((l) => l.file?.endsWith(p.where)));
      const here = report.findings.filter((f) => f.location.file?.endsWith(p.where)).map((f): string => f.id);
      if (!cred || !p.ids.every((id) => here.includes(id))) missing.push(`${p.where}: got ${here.join(',')}`);
    }
    expect(missing).toEqual([]);
  });

  it('reports nothing else: no decoys, nothing from node_modules or --exclude (0 false positives)', () => {
    const plantedFiles = planted.map((p) => p.where);
    const extra = report.credentials
      .flatMap((c) => c.locations)
      .filter((l) => !plantedFiles.some((w) => l.file?.endsWith(w)));
    expect(extra).toEqual([]);
    expect(report.credentials.length).toBe(new Set(planted.map((p) => p.secret)).size);
    expect(report.summary.fixtureDecoys).toBe(2);
  });

  it('the Jenkins job using an email username for git is flagged', () => {
    expect(
      report.findings.some(
        // Reported once per credential, at the credential, naming the job.
        (f) =>
          f.id === 'email-as-git-username' &&
          f.location.file?.endsWith('credentials.xml') === true &&
          f.message.includes('"build"'),
      ),
    ).toBe(true);
  });

  it('counts repositories: normal, bare, worktree, submodule, includeIf one', () => {
    expect(report.summary.repositories).toBe(6);
  });

  it('lists hostile files as skipped, never fails', () => {
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.path.replace(sb.home, '~'), s.reason]));
    expect(reasons['~/app/fifo']).toBeUndefined(); // fdir lists no FIFOs; reaching here means no hang
    expect(reasons['~/app/odd-\uFFFD-name.txt']).toMatch(/not valid UTF-8/);
    expect(reasons['~/app/loop']).toMatch(/directory/);
    expect(reasons['~/app/blob.bin']).toBe('binary');
    expect(reasons['~/app/big.log']).toMatch(/size cap/);
    if (process.getuid?.() !== 0) expect(reasons['~/app/locked']).toMatch(/EACCES/);
  });

  it('no secret in the report', () => {
    const json = JSON.stringify(report);
    for (const p of [...planted.map((x) => x.secret), ...decoySecrets])
      expect(json).not.toContain(p.slice(0, 40));
  });
});
