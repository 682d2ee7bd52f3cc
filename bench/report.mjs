// `npm run bench:report`: `bbauth report` merging 1,000 and 10,000 machines' scan files, against the glue people
// write by hand (jq -s grouping every credential by id across the files; a Node script doing the same if jq is
// not installed), measured in the same run, interleaved, median of BENCH_N pairs (default 5). Each run is timed by
// GNU time: wall, CPU (user + sys) and peak RSS. Cache: warm (the files were just written, and one untimed run
// of each side reads them first). Then the 10,000-host HTML page is opened in headless Chromium and the time
// until it is interactive (first table page rendered, and a filter keystroke applied) is printed beside its budget.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const print = (line) => process.stdout.write(`${line}\n`);
const N = Number(process.env.BENCH_N ?? 5);
const SIZES = [1000, 10_000];
const INTERACTIVE_BUDGET_MS = 3000;
const TIME = '/usr/bin/time';
const CHROMIUM = '/usr/bin/chromium';
const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bbauth-bench-report-'));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // adds ~40 ms to every Node start; unset for both sides

if (!existsSync(TIME)) throw new Error(`${TIME} is missing (Debian package "time")`);
const hasJq = spawnSync('jq', ['--version']).status === 0;

const hex = (n, width) => n.toString(16).padStart(width, '0');
const id = (n) => `sha256:${hex(n, 24)}`;
const KINDS = ['api-token', 'app-password', 'access-token', 'api-token'];
const FINDINGS = [
  ['plaintext-credential-store', 'warning', 'The credential store holds a Bitbucket secret in plain text.'],
  ['app-password', 'error', 'This is a Bitbucket app password; app passwords were removed on 2026-07-28.'],
  ['secret-in-file', 'warning', 'A file holds a Bitbucket secret.'],
  ['token-expires-soon', 'warning', 'The API token expires in 12 days.'],
];

/** One machine's scan: a fleet-wide shared token, a team token on 1 in 40 hosts, and two of its own. */
function scanOf(h) {
  const creds = [
    { n: 1, kind: 'api-token' },
    { n: 2 + (h % 25), kind: 'app-password' },
    { n: 1000 + h * 2, kind: KINDS[h % 4] },
    { n: 1001 + h * 2, kind: 'api-token' },
  ];
  const credentials = creds.map((c) => ({
    id: id(c.n),
    kind: c.kind,
    fingerprint: `${c.kind === 'app-password' ? 'ATBB' : 'ATATT3'}…${hex(c.n % 65536, 4).toUpperCase()} (192 chars)`,
    locations: [{ file: `/home/deploy/app-${c.n % 7}/.env`, line: 3 }],
    findingIds: [FINDINGS[c.n % 4][0]],
    ...(c.n % 3 === 0
      ? { expires: new Date(Date.now() + (c.n % 300) * 86_400_000).toISOString().slice(0, 10) }
      : {}),
  }));
  const findings = creds.map((c, i) => {
    const [fid, severity, message] = FINDINGS[(c.n + i) % 4];
    return {
      id: fid,
      severity,
      message,
      location: { file: `/home/deploy/app-${c.n % 7}/.env`, line: 3 },
      credential: { kind: c.kind, fingerprint: credentials[i].fingerprint, source: 'file', id: id(c.n) },
      fix: { summary: 'Replace it with an API token.', commands: ['bbauth fix --all'] },
    };
  });
  return {
    schemaVersion: 1,
    type: 'bbauth.scan',
    host: `host-${hex(h, 5)}.example.internal`,
    user: 'deploy',
    scannedAt: new Date(Date.now() - h * 1000).toISOString(),
    bbauthVersion: '0.1.0',
    roots: ['/home/deploy'],
    findings,
    credentials,
    skipped: [],
    summary: {
      files: 2000,
      repositories: 7,
      credentials: 4,
      byKind: {},
      bySeverity: { error: 1, warning: 3, info: 0 },
      fixtureDecoys: 0,
    },
  };
}

const NODE_PEER = `
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
const docs = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const by = {};
for (const d of docs) for (const c of d.credentials) (by[c.id] ??= { id: c.id, fingerprint: c.fingerprint, hosts: [] }).hosts.push(d.host);
fs.writeFileSync(process.argv[2], JSON.stringify(Object.values(by)));`;
const JQ =
  '[.[] | .host as $h | .credentials[] | {id, fingerprint, host: $h}] | group_by(.id) | map({id: .[0].id, fingerprint: .[0].fingerprint, hosts: map(.host)})';

function timed(cmd, args, stdoutFile) {
  const r = spawnSync(TIME, ['-f', '%e %U %S %M', cmd, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  if (stdoutFile) writeFileSync(stdoutFile, r.stdout);
  const [wall, user, sys, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall: wall * 1000, cpu: (user + sys) * 1000, rss: kb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (m) =>
  `${m.wall.toFixed(0).padStart(6)} ms wall ${m.cpu.toFixed(0).padStart(6)} ms CPU ${m.rss.toFixed(0).padStart(5)} MiB peak`;

print(
  `bbauth report: median of ${N} interleaved pairs per size; warm cache; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
);
print(
  `peer: ${hasJq ? 'jq -s grouping every credential by id' : 'a Node script grouping every credential by id (jq not installed)'}`,
);
let bigHtml;
for (const size of SIZES) {
  const scans = join(dir, `scans-${size}`);
  mkdirSync(scans);
  for (let h = 0; h < size; h++)
    writeFileSync(join(scans, `host-${hex(h, 5)}.json`), JSON.stringify(scanOf(h), null, 2));
  const html = join(dir, `fleet-${size}.html`);
  const ours = () =>
    timed(process.execPath, [
      bin,
      'report',
      scans,
      '--json',
      join(dir, `fleet-${size}.json`),
      '--html',
      html,
    ]);
  const peer = hasJq
    ? () =>
        timed('bash', [
          '-c',
          `jq -s '${JQ}' "$1"/*.json > "$2"`,
          'peer',
          scans,
          join(dir, `peer-${size}.json`),
        ])
    : () => timed(process.execPath, ['-e', NODE_PEER, scans, join(dir, `peer-${size}.json`)]);
  ours();
  peer();
  const runs = { ours: [], peer: [] };
  for (let i = 0; i < N; i++) {
    runs.ours.push(ours());
    runs.peer.push(peer());
  }
  const m = (xs) => ({
    wall: median(xs.map((x) => x.wall)),
    cpu: median(xs.map((x) => x.cpu)),
    rss: median(xs.map((x) => x.rss)),
  });
  const a = m(runs.ours);
  const b = m(runs.peer);
  print(`${size.toLocaleString('en')} host files:`);
  print(`  bbauth report (JSON + HTML) ${fmt(a)}`);
  print(`  peer (grouping only)        ${fmt(b)}`);
  print(
    `  ratio                       ${(a.wall / b.wall).toFixed(2)}× wall, ${(a.cpu / b.cpu).toFixed(2)}× CPU, ${(a.rss / b.rss).toFixed(2)}× peak RSS`,
  );
  bigHtml = html;
}

if (existsSync(CHROMIUM)) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const times = [];
  for (let i = 0; i < N; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const t0 = Date.now();
    await page.goto(pathToFileURL(bigHtml).href);
    await page.waitForSelector('#host-body tr');
    await page.fill('#host-filter', 'host-0270');
    await page.waitForFunction(() => document.querySelectorAll('#host-body tr').length === 16);
    times.push(Date.now() - t0);
    await page.close();
  }
  await browser.close();
  const t = median(times);
  print(
    `10,000-host page in headless Chromium: interactive (first rows shown, a filter keystroke applied) in ${t} ms median of ${N}; budget ${INTERACTIVE_BUDGET_MS} ms: ${t <= INTERACTIVE_BUDGET_MS ? 'met' : 'MISSED'}`,
  );
  if (t > INTERACTIVE_BUDGET_MS) process.exitCode = 1;
} else print(`(${CHROMIUM} not installed: the page's time to interactive was not measured)`);
rmSync(dir, { recursive: true, force: true });
