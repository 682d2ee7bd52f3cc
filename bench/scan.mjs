// `npm run bench:scan`: generates synthetic trees (two sizes), plants secrets of every kind in every place type
// plus decoys, then measures bbauth scan against `grep -rIlE` (and secretlint on a subset, when installed in
// /tmp/secretlint-bench) in the same run: wall time, peak RSS (via /usr/bin/time), recall and false positives.
// Uses dist/ (built by the npm script). Trees live under the OS temp folder and are removed at the end.
// Env: BENCH_SIZES="50000,200000" (files), BENCH_KEEP=1 keeps the trees.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintSecret } from '../dist/core/token/format.js';

const BIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '50000,200000').split(',').map(Number);
const FILES_PER_REPO = 100;

let seed = 42;
const rnd = (n) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const word = (n) => Array.from({ length: n }, () => ALNUM[rnd(62)]).join('');
const WORDS =
  'const let function return import export from data state value index module user config path file'.split(
    ' ',
  );
const filler = (lines) =>
  Array.from({ length: lines }, () =>
    Array.from({ length: 8 }, () => WORDS[rnd(WORDS.length)]).join(' '),
  ).join('\n') + '\n';
const bad = (t) => t.slice(0, -1) + (t.endsWith('0') ? '1' : '0');

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A minimal on-disk git dir (what git init leaves, minus hooks) with an optional remote URL. */
function gitDir(dir, url) {
  write(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  write(join(dir, 'description'), 'Unnamed repository\n');
  mkdirSync(join(dir, 'objects', 'pack'), { recursive: true });
  mkdirSync(join(dir, 'refs', 'heads'), { recursive: true });
  write(join(dir, 'objects', 'ab', 'cdef0123'), Buffer.from([0x78, 0x01, 0x00, 0x42, 0x69, 0x74]));
  const remote = url
    ? `[remote "origin"]\n\turl = ${url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`
    : '';
  write(join(dir, 'config'), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n${remote}`);
}

/** Every place type, each with its planted secret; returns [{file, secret}] and decoy files. */
function plantAll(root, r, planted, decoys) {
  const p = (rel, make, kind) => {
    const secret = mintSecret(kind);
    write(join(root, rel), make(secret));
    planted.push({ file: join(root, rel), secret });
  };
  const k = r % 3 === 0 ? 'api-token' : r % 3 === 1 ? 'access-token' : 'app-password';
  p(
    `home${r}/.git-credentials`,
    (s) => `https://x-bitbucket-api-token-auth:${s}@bitbucket.org\n`,
    'api-token',
  );
  p(`home${r}/.netrc`, (s) => `machine bitbucket.org login x-token-auth password ${s}\n`, 'access-token');
  p(
    `php${r}/a/auth.json`,
    (s) =>
      JSON.stringify(
        { 'http-basic': { 'bitbucket.org': { username: 'alice@example.com', password: s } } },
        null,
        2,
      ),
    'api-token',
  );
  p(
    `php${r}/b/auth.json`,
    (s) => JSON.stringify({ 'http-basic': { 'bitbucket.org': { username: 'alice', password: s } } }, null, 2),
    'api-token',
  );
  p(
    `ci${r}/Jenkinsfile`,
    (s) =>
      `pipeline { steps { sh 'git clone https://x-bitbucket-api-token-auth:${s}@bitbucket.org/a/b.git' } }\n`,
    'api-token',
  );
  p(
    `ci${r}/bitbucket-pipelines.yml`,
    (s) => `script:\n  - git push https://x-token-auth:${s}@bitbucket.org/a/b.git\n`,
    'access-token',
  );
  p(`ci${r}/.github/workflows/ci.yml`, (s) => `env:\n  BITBUCKET_TOKEN: ${s}\n`, k);
  p(`ci${r}/.gitlab-ci.yml`, (s) => `script:\n  - curl -u me:${s} https://api.bitbucket.org/2.0/user\n`, k);
  p(
    `jenkins${r}/jobs/build/config.xml`,
    (s) =>
      `<project><scm><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig>\n<url>https://u:${s}@bitbucket.org/a/b.git</url>\n<credentialsId>bb</credentialsId>\n</hudson.plugins.git.UserRemoteConfig></userRemoteConfigs></scm></project>\n`,
    k,
  );
  p(
    `jenkins${r}/credentials.xml`,
    (s) =>
      `<list><com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n<id>bb</id>\n<username>alice@example.com</username>\n<password>${s}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl></list>\n`,
    'api-token',
  );
  p(`app${r}/.env`, (s) => `BITBUCKET_APP_PASSWORD=${s}\n`, 'app-password');
  p(`app${r}/Dockerfile`, (s) => `FROM node:20\nRUN git clone https://bob:${s}@bitbucket.org/a/b.git\n`, k);
  p(`app${r}/scripts/deploy.sh`, (s) => `#!/bin/sh\nexport BB='${s}'\n`, k);
  p(
    `app${r}/package.json`,
    (s) => `{"dependencies":{"lib":"git+https://x-token-auth:${s}@bitbucket.org/a/lib.git"}}\n`,
    'access-token',
  );
  p(
    `app${r}/package-lock.json`,
    (s) =>
      `{"packages":{"node_modules/lib":{"resolved":"git+https://x-token-auth:${s}@bitbucket.org/a/lib.git#abc"}}}\n`,
    'access-token',
  );
  p(
    `app${r}/requirements.txt`,
    (s) => `requests==2.0\ngit+https://bob:${s}@bitbucket.org/a/lib.git#egg=lib\n`,
    'app-password',
  );
  // Decoys: random 192-char strings, bad-checksum tokens in fixtures, UUIDs.
  const d = (rel, text) => {
    write(join(root, rel), text);
    decoys.push(join(root, rel));
  };
  d(
    `app${r}/test/fixtures/tokens.txt`,
    `fake=${bad(mintSecret('api-token'))}\nalso=${bad(mintSecret('app-password'))}\n`,
  );
  d(`app${r}/src/__fixtures__/auth.json`, JSON.stringify({ token: bad(mintSecret('access-token')) }));
  d(`app${r}/random.txt`, `${word(192)}\n${word(192)}\n`);
  d(`app${r}/ids.txt`, `123e4567-e89b-12d3-a456-${word(12).toLowerCase()}\n`);
}

/** Builds a tree of about `files` files: repositories of filler files, a few with credentialed remotes. */
function generate(files) {
  const root = mkdtempSync(join(tmpdir(), `bbauth-bench-${files}-`));
  const planted = [];
  const decoys = [];
  const repos = Math.ceil(files / FILES_PER_REPO);
  for (let r = 0; r < repos; r++) {
    const repo = join(root, `org${r % 20}`, `repo${r}`);
    let url = `https://bitbucket.org/acme/repo${r}.git`;
    if (r % 50 === 0) {
      const s = mintSecret('api-token');
      url = `https://alice%40example.com:${s}@bitbucket.org/acme/repo${r}.git`;
      planted.push({ file: join(repo, '.git', 'config'), secret: s });
    }
    gitDir(join(repo, '.git'), url);
    for (let f = 0; f < FILES_PER_REPO - 8; f++)
      write(join(repo, `src/m${f % 7}/f${f}.js`), filler(10 + rnd(60)));
    if (r % 10 === 0)
      for (let f = 0; f < 20; f++) write(join(repo, `node_modules/dep${f}/index.js`), filler(20));
    write(join(repo, 'README.md'), `# repo${r}\nClone: git clone https://bitbucket.org/acme/repo${r}.git\n`);
    write(
      join(repo, 'logo.png'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(word(500))]),
    );
  }
  for (let r = 0; r < Math.max(1, Math.round(files / 25000)); r++)
    plantAll(join(root, 'places'), r, planted, decoys);
  return { root, planted, decoys, repos };
}

function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  return { secs, rssMb: kb / 1024, stdout: r.stdout, code: r.status };
}

function best(cmd, args, runs = 2) {
  let b;
  for (let i = 0; i < runs; i++) {
    const t = timed(cmd, args);
    if (!b || t.secs < b.secs) b = t;
  }
  return b;
}

function accuracy(report, planted, decoys) {
  const reported = new Set(report.credentials.flatMap((c) => c.locations.map((l) => l.file)));
  const found = planted.filter((p) => reported.has(p.file)).length;
  const plantedFiles = new Set(planted.map((p) => p.file));
  const fps = [...reported].filter((f) => !plantedFiles.has(f));
  const decoyHits = decoys.filter((d) => reported.has(d)).length;
  return {
    recall: found / planted.length,
    found,
    total: planted.length,
    fps: fps.length,
    decoyHits,
    fpSample: fps.slice(0, 3),
  };
}

const results = [];
for (const size of SIZES) {
  const t0 = process.hrtime.bigint();
  const tree = generate(size);
  const genSecs = Number(process.hrtime.bigint() - t0) / 1e9;
  const fileCount = Number(
    execFileSync('sh', ['-c', `find '${tree.root}' -type f | wc -l`])
      .toString()
      .trim(),
  );
  execFileSync('sh', [
    '-c',
    `cat $(find '${tree.root}' -type f | head -0) /dev/null; find '${tree.root}' -type f -print0 | xargs -0 cat > /dev/null`,
  ]); // warm the cache
  const grep = best('grep', ['-rIlE', 'ATATT|ATCTT|ATBB|bitbucket', tree.root]);
  process.env.HOME = tree.root;
  const bb = best(process.execPath, [BIN, 'scan', '--json', tree.root]);
  const report = JSON.parse(bb.stdout);
  const acc = accuracy(report, tree.planted, tree.decoys);
  let sl;
  const secretlint = '/tmp/secretlint-bench/node_modules/.bin/secretlint';
  if (existsSync(secretlint) && size === SIZES[0]) {
    // secretlint is far slower (minutes per 10k files): measured once, on 8 repositories (~900 files) plus the
    // planted places, and bbauth is measured on the very same paths.
    const subset = [
      ...Array.from({ length: 8 }, (_, i) => join(tree.root, 'org0', `repo${i * 20}`)),
      join(tree.root, 'places'),
    ];
    const rc = join(tmpdir(), `bbauth-bench-secretlintrc-${process.pid}.json`);
    writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const s = timed(process.execPath, [
      secretlint,
      '--secretlintrc',
      rc,
      '--no-color',
      '--maskSecrets',
      ...subset.map((d) => `${d}/**/*`),
    ]);
    rmSync(rc, { force: true });
    const b = best(process.execPath, [BIN, 'scan', '--json', ...subset]);
    const subsetFiles = Number(
      execFileSync('sh', ['-c', `find ${subset.map((d) => `'${d}'`).join(' ')} -type f | wc -l`])
        .toString()
        .trim(),
    );
    sl = { subsetFiles, secretlint: s.secs, bbauth: b.secs, ratio: b.secs / s.secs };
  }
  results.push({
    size,
    fileCount,
    repos: tree.repos,
    genSecs,
    grep,
    bb,
    acc,
    sl,
    scanned: report.summary.files,
    repositories: report.summary.repositories,
  });
  if (process.env.BENCH_KEEP) console.log(`kept ${tree.root}`);
  else rmSync(tree.root, { recursive: true, force: true });
}

for (const r of results) {
  console.log(
    `\n== tree: ${r.fileCount} files, ${r.repos} repositories (generated in ${r.genSecs.toFixed(1)} s) ==`,
  );
  console.log(`grep -rIlE      ${r.grep.secs.toFixed(2)} s   peak RSS ${r.grep.rssMb.toFixed(0)} MB`);
  console.log(
    `bbauth scan     ${r.bb.secs.toFixed(2)} s   peak RSS ${r.bb.rssMb.toFixed(0)} MB   (${r.scanned} files read or listed, ${r.repositories} repositories)`,
  );
  console.log(`ratio to grep   ${(r.bb.secs / r.grep.secs).toFixed(2)}×   (target ≤ 1.0×)`);
  console.log(
    `recall          ${(r.acc.recall * 100).toFixed(1)}% (${r.acc.found}/${r.acc.total} planted secrets)`,
  );
  console.log(
    `false positives ${r.acc.fps} (decoy files reported: ${r.acc.decoyHits})${r.acc.fps ? ` e.g. ${r.acc.fpSample.join(', ')}` : ''}`,
  );
  if (r.sl)
    console.log(
      `secretlint      ${r.sl.secretlint.toFixed(2)} s on ${r.sl.subsetFiles} files; bbauth ${r.sl.bbauth.toFixed(2)} s there → ${r.sl.ratio.toFixed(3)}× (target ≤ 0.1×)`,
    );
  else if (r.size === SIZES[0])
    console.log('secretlint      not installed in /tmp/secretlint-bench: skipped');
}
if (results.length > 1) {
  const [a, b] = [results[0], results.at(-1)];
  console.log(
    `\npeak RSS ${a.bb.rssMb.toFixed(0)} MB at ${a.fileCount} files → ${b.bb.rssMb.toFixed(0)} MB at ${b.fileCount} files`,
  );
}
