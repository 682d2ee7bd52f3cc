// `npm run bench:doctor`: how long `bbauth doctor --offline` takes in a repository with several remotes, as a
// ratio to `node -e ''` (the floor for any Node program) measured in the same run, interleaved so a noisy
// moment hurts every contender alike. Target: doctor ≤ 4 × node -e ''. Also prints how many git subprocesses
// doctor started (from its own --json stats) and two reference points that show where the time goes:
// `bbauth --version` (Node + bbauth's entry point and citty, no command loaded) and one `git config --list`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintSecret } from '../dist/core/token/format.js';

const N = Math.max(15, Number(process.env.BENCH_N ?? 21));
const TARGET = 4;
const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'bbauth-bench-doctor-'));
const home = join(root, 'home');
const repo = join(root, 'repo');
mkdirSync(join(home, '.config'), { recursive: true });
mkdirSync(repo);

// Nothing from the real machine: no global or system git config, no BBAUTH_*/GIT_* variables, no proxy.
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
  NO_COLOR: '1',
};

function git(args, cwd = repo) {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// Secrets are minted at run time (checksum-valid, synthetic); none is ever written into the repository.
const helperToken = mintSecret('api-token');
const aliceToken = mintSecret('api-token');
const urlToken = mintSecret('api-token');
const appPassword = mintSecret('app-password');
writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
git(['config', '--global', 'credential.helper', 'store']);
git(['config', '--global', 'user.email', 'alice@example.com']);
writeFileSync(
  join(home, '.git-credentials'),
  [
    `https://x-bitbucket-api-token-auth:${helperToken}@bitbucket.org`,
    `https://alice:${aliceToken}@bitbucket.org`,
    `https://bob:${appPassword}@bitbucket.org`,
  ].join('\n') + '\n',
  { mode: 0o600 },
);
git(['init', '-q', repo], root);
const remotes = [
  ['origin', 'https://bitbucket.org/acme/web.git'],
  ['static', 'https://x-bitbucket-api-token-auth@bitbucket.org/acme/web.git'],
  ['leaked', `https://alice:${urlToken}@bitbucket.org/acme/api.git`],
  ['bob', 'https://bob@bitbucket.org/acme/tools.git'],
  ['ssh', 'git@bitbucket.org:acme/web.git'],
  ['github', 'https://github.com/acme/web.git'],
];
for (const [name, url] of remotes) git(['remote', 'add', name, url]);

const cases = {
  doctor: [process.execPath, [bin, 'doctor', '--offline', '--json']],
  "node -e ''": [process.execPath, ['-e', '']],
  'bbauth --version': [process.execPath, [bin, '--version']],
  'git config --list': ['git', ['config', '--list', '-z', '--show-origin', '--show-scope']],
};

let gitCalls;
function once(name, cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: repo, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (name === 'doctor') {
    // doctor exits 1 here on purpose (the setup holds error findings); anything else is a failure.
    if (r.status !== 1 && r.status !== 0) throw new Error(`doctor exited ${r.status}: ${r.stderr}`);
    for (const s of [helperToken, aliceToken, urlToken, appPassword]) {
      if ((r.stdout + r.stderr).includes(s)) throw new Error('doctor printed a planted secret');
    }
    gitCalls = JSON.parse(r.stdout).stats.gitCalls;
  } else if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
  return ms;
}

const say = (line) => process.stdout.write(`${line}\n`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
try {
  for (const [name, [cmd, args]] of Object.entries(cases)) once(name, cmd, args); // warm the file cache
  for (let i = 0; i < N; i++) {
    for (const [name, [cmd, args]] of Object.entries(cases)) times[name].push(once(name, cmd, args));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
say(`bbauth doctor --offline --json, ${remotes.length} remotes: median of ${N} interleaved runs`);
for (const [name, ms] of Object.entries(m)) say(`  ${name.padEnd(20)} ${ms.toFixed(1)} ms`);
const ratio = m.doctor / m["node -e ''"];
say(`  doctor / node -e ''  ${ratio.toFixed(2)}×  (target ≤ ${TARGET}×)`);
say(`  git subprocesses     ${gitCalls} started by doctor (stats.gitCalls)`);
process.exitCode = ratio <= TARGET ? 0 : 1;
