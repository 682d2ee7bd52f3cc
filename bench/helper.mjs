// `npm run bench:helper`: how long git waits for `git-credential-bbauth get` on every fetch and push.
// Median wall time over N interleaved runs of: the helper (token from the environment, with a records file
// that knows its expiry, the slowest path), `node -e ''` (the floor for any Node program) and
// `git credential-store get` (the C floor). Target: helper ≤ 1.5 × node -e ''.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintSecret } from '../dist/core/token/format.js';
import { digestOf } from '../dist/store/records.js';
import { fingerprint } from '../dist/core/redact.js';

const print = (line) => process.stdout.write(`${line}\n`);
const N = Number(process.env.BENCH_N ?? 30);
const helper = fileURLToPath(new URL('../dist/cli/git-credential-bbauth.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bbauth-bench-'));
const token = mintSecret('api-token');
const configDir = join(dir, 'config');
mkdirSync(configDir, { recursive: true });
const now = new Date().toISOString();
const record = {
  digest: digestOf(token),
  fingerprint: fingerprint(token),
  kind: 'api-token',
  host: 'bitbucket.org',
  usernames: ['x-bitbucket-api-token-auth'],
  expires: '2099-01-01',
  createdAt: now,
  updatedAt: now,
};
writeFileSync(join(configDir, 'records.json'), JSON.stringify({ schemaVersion: 1, credentials: [record] }), {
  mode: 0o600,
});
const storeFile = join(dir, 'git-credentials');
writeFileSync(storeFile, `https://x-bitbucket-api-token-auth:${token}@bitbucket.org\n`, { mode: 0o600 });

const request = 'protocol=https\nhost=bitbucket.org\n\n';
const env = { PATH: process.env.PATH, HOME: dir, BBAUTH_CONFIG_DIR: configDir, BITBUCKET_API_TOKEN: token };
const cases = {
  helper: [process.execPath, [helper, 'get']],
  'node -e': [process.execPath, ['-e', '']],
  'git credential-store get': ['git', ['credential-store', `--file=${storeFile}`, 'get']],
};

function once(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input: request, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || !r.stdout.includes('password=')) {
    if (cmd !== process.execPath || args[0] !== '-e')
      throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const [cmd, args] of Object.values(cases)) once(cmd, args); // warm the file cache
for (let i = 0; i < N; i++) {
  // Interleaved, so a noisy moment hurts every contender alike.
  for (const [name, [cmd, args]] of Object.entries(cases)) times[name].push(once(cmd, args));
}
rmSync(dir, { recursive: true, force: true });

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
print(`git-credential-bbauth get: median of ${N} interleaved runs`);
// Other processes inflate every number and the ratio with them; the load shows how much to trust this run.
print(`  (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
for (const [name, ms] of Object.entries(m)) print(`  ${name.padEnd(26)} ${ms.toFixed(1)} ms`);
const ratio = m.helper / m['node -e'];
print(`  helper / node -e ''          ${ratio.toFixed(2)}×  (target ≤ 1.5×)`);
print(`  helper / git credential-store ${(m.helper / m['git credential-store get']).toFixed(2)}×`);
process.exitCode = ratio <= 1.5 ? 0 : 1;
