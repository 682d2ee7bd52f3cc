/**
 * `bbauth report` end to end: real scans of three planted HOMEs (one app password copied onto two of them),
 * merged by the built CLI into JSON, CSV and the terminal summary; both JSON documents validated against the
 * published schemas; bad input stops the run with nothing written; no planted secret in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { expectNoSecrets, runCli, secretFragmentsIn } from '../helpers/cli.js';
import { mintSecret } from '../../src/core/token/format.js';

const secrets: string[] = [];
function mint(kind: 'api-token' | 'access-token' | 'app-password'): string {
  const s = mintSecret(kind);
  secrets.push(s);
  return s;
}

const hosts: Sandbox[] = [];
let out: Sandbox;
let scans: string;
const shared = mint('app-password');
const own = { 'web-1': mint('api-token'), 'web-2': mint('access-token'), 'db-1': mint('api-token') };

const ajv = new Ajv({ allErrors: true, validateFormats: false });
const schema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../docs/schema/${name}`, import.meta.url), 'utf8'));
ajv.addSchema(schema('scan.schema.json'));
const validateReport = ajv.compile(schema('report.schema.json'));
const validateScan = ajv.getSchema('bbauth/scan.schema.json')!;

beforeAll(async () => {
  out = createSandbox('bbauth-report-e2e-');
  scans = join(out.root, 'scans');
  mkdirSync(scans);
  for (const [label, secret] of Object.entries(own)) {
    const sb = createSandbox(`bbauth-report-${label}-`);
    hosts.push(sb);
    sb.write('.git-credentials', `https://deploy:${secret}@bitbucket.org\n`);
    if (label !== 'db-1') sb.write('.netrc', `machine bitbucket.org login deploy password ${shared}\n`);
    const run = await runCli(
      ['scan', '--format', 'json', '--label', label, '--output', join(scans, `${label}.json`)],
      {
        cwd: sb.home,
        env: sb.env,
      },
    );
    // An app password is an error (exit 1); db-1 holds only an API token in a plain-text store (a warning).
    expect(run.code, run.stderr).toBe(label === 'db-1' ? 0 : 1);
    const doc = JSON.parse(readFileSync(join(scans, `${label}.json`), 'utf8'));
    expect(validateScan(doc), JSON.stringify(validateScan.errors?.slice(0, 3))).toBe(true);
  }
});
afterAll(() => {
  for (const sb of hosts) sb.cleanup();
  out?.cleanup();
});

const report = (args: string[]) => runCli(['report', ...args], { cwd: out.root, env: out.env });

describe('bbauth report', () => {
  it('--json and --csv: each credential names exactly the hosts that hold it; valid against the schema', async () => {
    const json = join(out.root, 'fleet.json');
    const csv = join(out.root, 'fleet.csv');
    const run = await report([scans, '--json', json, '--csv', csv]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(validateReport(doc), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    const byHosts = doc.credentials.map((c: { kind: string; hosts: string[]; verdict: string }) => [
      c.kind,
      c.verdict,
      c.hosts,
    ]);
    expect(byHosts).toEqual(
      expect.arrayContaining([
        ['app-password', 'retired', ['web-1', 'web-2']],
        ['api-token', expect.any(String), ['web-1']],
        ['access-token', expect.any(String), ['web-2']],
        ['api-token', expect.any(String), ['db-1']],
      ]),
    );
    expect(doc.credentials).toHaveLength(4);
    expect(doc.credentials[0].kind).toBe('app-password'); // worst verdict first
    expect(doc.hosts.map((h: { host: string }) => h.host).sort()).toEqual(['db-1', 'web-1', 'web-2']);
    expect(doc.totals).toMatchObject({ hosts: 3, credentials: 4 });
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    const places = doc.credentials.reduce((n: number, c: { places: unknown[] }) => n + c.places.length, 0);
    expect(rows).toHaveLength(1 + places);
    expect(
      rows
        .filter((r) => r.includes(doc.credentials[0].id))
        .map((r) => r.split(',')[0])
        .sort(),
    ).toEqual(['web-1', 'web-2']);
    for (const file of [json, csv]) {
      const text = readFileSync(file, 'utf8');
      expect(secretFragmentsIn(text, secrets)).toEqual([]);
    }
  });

  it('with no output file: a summary naming the retired app password and its two hosts', async () => {
    const run = await report([
      join(scans, 'web-1.json'),
      join(scans, 'web-2.json'),
      join(scans, 'db-1.json'),
    ]);
    expectNoSecrets(run, secrets);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^3 host\(s\), 4 distinct credential\(s\)/);
    expect(run.stdout).toMatch(/app password ATBB\S+ \(\d+ chars\)\s+retired\s+on 2 host\(s\): web-1, web-2/);
    const json = await report([scans, '--json']);
    expect(JSON.parse(json.stdout).type).toBe('bbauth.report');
  });

  it('an input that is not bbauth scan JSON: exit 2 naming it, nothing written; --skip-invalid merges the rest', async () => {
    const bad = join(out.root, 'mixed');
    mkdirSync(bad);
    writeFileSync(join(bad, 'a.json'), readFileSync(join(scans, 'web-1.json')));
    writeFileSync(join(bad, 'b.json'), '{"truncated": ');
    const json = join(out.root, 'mixed.json');
    const run = await report([bad, '--json', json]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(bad, 'b.json'));
    expect(run.stderr).toContain('--skip-invalid');
    expect(existsSync(json)).toBe(false);
    const skip = await report([bad, '--json', json, '--skip-invalid']);
    expect(skip.code).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc.inputs.rejected).toEqual([
      { file: join(bad, 'b.json'), reason: expect.stringMatching(/not JSON/) },
    ]);
    expect(doc.totals.hosts).toBe(1);
  });

  it('missing inputs and output folders: exit 2 with the path and the next step', async () => {
    const missing = await report([join(out.root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(out.root, 'nope'));
    const folder = await report([scans, '--html', join(out.root, 'no', 'such', 'x.html')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`--html: the folder ${join(out.root, 'no', 'such')} does not exist`);
    const empty = join(out.root, 'empty');
    mkdirSync(empty);
    const none = await report([empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('holds no .json files');
  });
});
