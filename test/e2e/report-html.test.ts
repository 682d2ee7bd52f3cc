/**
 * The fleet report's HTML page in real headless Chromium (Debian's, driven by playwright-core): built by the real
 * pipeline (bbauth scan on planted HOMEs, then bbauth report --html), opened from file:// with every other request
 * refused. The page must make no request, log no error, show the JSON's counts, filter and sort its tables,
 * render a hostile host name as text, link each finding to its docs page, and pass axe-core with no serious
 * violation. A screenshot is written; BBAUTH_UPDATE_DOCS_IMAGES=1 also writes docs/images/fleet-report.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { runCli, secretFragmentsIn } from '../helpers/cli.js';
import { dayFromNow, recordToken } from '../helpers/records.js';
import { mintSecret } from '../../src/core/token/format.js';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=alert(1)>';
const secrets: string[] = [];
const mint = (kind: 'api-token' | 'access-token' | 'app-password'): string => {
  const s = mintSecret(kind);
  secrets.push(s);
  return s;
};

const sandboxes: Sandbox[] = [];
let out: Sandbox;
let html: string;
let report: {
  totals: {
    hosts: number;
    credentials: number;
    bySeverity: Record<string, number>;
    credentialsByVerdict: Record<string, number>;
  };
  credentials: { fingerprint: string; hosts: string[]; verdict: string }[];
  hosts: { host: string; findings: { id: string }[] }[];
};
let browser: Browser;
const requests: string[] = [];
const problems: string[] = [];

async function plantAndScan(
  label: string,
  plant: (sb: Sandbox) => Promise<void> | void,
  scans: string,
): Promise<void> {
  const sb = createSandbox('bbauth-html-host-');
  sandboxes.push(sb);
  await plant(sb);
  const run = await runCli(
    ['scan', '--format', 'json', '--label', label, '--output', join(scans, `${sandboxes.length}.json`)],
    {
      cwd: sb.home,
      env: sb.env,
    },
  );
  expect([0, 1], run.stderr).toContain(run.code);
}

beforeAll(async () => {
  expect(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: install Debian's chromium (scripts/install-test-clients.sh)`,
  ).toBe(true);
  out = createSandbox('bbauth-html-e2e-');
  const scans = join(out.root, 'scans');
  mkdirSync(scans);
  const shared = mint('app-password');
  const expiring = mint('api-token');
  await plantAndScan(
    'web-1',
    (sb) => {
      sb.write('.git-credentials', `https://deploy:${shared}@bitbucket.org\n`);
    },
    scans,
  );
  await plantAndScan(
    'web-2',
    (sb) => {
      sb.write('.netrc', `machine bitbucket.org login deploy password ${shared}\n`);
      sb.write('app/.env', `BITBUCKET_TOKEN=${mint('access-token')}\n`);
    },
    scans,
  );
  await plantAndScan(
    'build-7',
    async (sb) => {
      sb.write('.git-credentials', `https://x-bitbucket-api-token-auth:${expiring}@bitbucket.org\n`);
      await recordToken(sb.env, expiring, { expires: dayFromNow(12) });
    },
    scans,
  );
  await plantAndScan(
    HOSTILE,
    (sb) => {
      sb.write(
        'composer/auth.json',
        JSON.stringify({
          'http-basic': { 'bitbucket.org': { username: 'deploy', password: mint('api-token') } },
        }),
      );
    },
    scans,
  );
  html = join(out.root, 'fleet.html');
  const json = join(out.root, 'fleet.json');
  const run = await runCli(['report', scans, '--html', html, '--json', json], {
    cwd: out.root,
    env: out.env,
  });
  expect(run.code, run.stderr).toBe(0);
  report = JSON.parse(readFileSync(json, 'utf8'));
  expect(secretFragmentsIn(readFileSync(html, 'utf8'), secrets)).toEqual([]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const sb of sandboxes) sb.cleanup();
  out?.cleanup();
});

async function open(width = 1280): Promise<Page> {
  problems.length = 0;
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') && url === pathToFileURL(html).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('#cred-body tr');
  return page;
}

const rowsText = (page: Page, body: string) =>
  page.$$eval(`${body} tr`, (trs) => trs.map((tr) => tr.textContent ?? ''));

describe('the fleet report page in headless Chromium', () => {
  it('loads from file:// with no request, no console error; cards show the JSON totals', async () => {
    const page = await open();
    const cards = await page.$$eval('.card', (cs) =>
      Object.fromEntries(
        cs.map((c) => [
          c.querySelector('.label')!.textContent,
          Number(c.querySelector('.value')!.textContent!.replace(/,/g, '')),
        ]),
      ),
    );
    const t = report.totals;
    expect(cards).toMatchObject({
      hosts: t.hosts,
      'distinct credentials': t.credentials,
      errors: t.bySeverity.error,
      warnings: t.bySeverity.warning,
      info: t.bySeverity.info,
      'retired app passwords': t.credentialsByVerdict.retired ?? 0,
      'expiring within 30 days': 1,
      'on more than one host': 1,
    });
    expect(t.hosts).toBe(4);
    expect(await rowsText(page, '#cred-body')).toHaveLength(t.credentials);
    expect(await rowsText(page, '#host-body')).toHaveLength(t.hosts);
    expect(await page.textContent('#chart-expiry-d')).toMatch(/: 1/);
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the filter narrows the credentials to the matching rows; the verdict select too', async () => {
    const page = await open();
    await page.fill('#cred-filter', 'web-2');
    const rows = await rowsText(page, '#cred-body');
    const expected = report.credentials.filter((c) => c.hosts.includes('web-2'));
    expect(rows).toHaveLength(expected.length);
    for (const c of expected) expect(rows.some((r) => r.includes(c.fingerprint))).toBe(true);
    expect(await page.textContent('#cred-status')).toMatch(
      new RegExp(
        `Showing ${expected.length} of ${expected.length} credentials \\(filtered from ${report.totals.credentials}\\)`,
      ),
    );
    await page.fill('#cred-filter', '');
    await page.selectOption('#cred-verdict', 'retired');
    const retired = await rowsText(page, '#cred-body');
    expect(retired).toHaveLength(report.credentials.filter((c) => c.verdict === 'retired').length);
    expect(retired.every((r) => r.startsWith('Retired'))).toBe(true);
    await page.fill('#host-filter', 'build');
    expect((await rowsText(page, '#host-body')).map((r) => r.slice(0, 7))).toEqual(['build-7']);
    await page.close();
  });

  it('a sortable header sorts (both ways) and says so with aria-sort; keyboard reaches it', async () => {
    const page = await open();
    const header = page.locator('#host-head th[data-key=host]');
    await header.locator('button').focus();
    await page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const names = await page.$$eval('#host-body th[scope=row]', (ths) => ths.map((t) => t.textContent ?? ''));
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    await page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const back = await page.$$eval('#host-body th[scope=row]', (ths) => ths.map((t) => t.textContent ?? ''));
    expect(back).toEqual([...names].reverse());
    await page.close();
  });

  it('a hostile host name is text, never markup; every finding links to its docs page', async () => {
    const page = await open();
    expect(await page.$$('#host-body img, #cred-body img, svg img')).toHaveLength(0);
    const names = await page.$$eval('#host-body th[scope=row]', (ths) => ths.map((t) => t.textContent));
    expect(names).toContain(HOSTILE);
    expect(await page.content()).not.toContain(HOSTILE); // escaped in the markup, not inserted raw
    const links = await page.$$eval('#host-body a, #cred-body a', (as) =>
      as.map((a) => [a.textContent, (a as unknown as { href: string }).href]),
    );
    expect(links.length).toBeGreaterThan(0);
    const docs = pathToFileURL(join(process.cwd(), 'docs', 'diagnoses')).href;
    for (const [id, href] of links) {
      expect(href).toBe(`${docs}/${id}.md`);
      expect(existsSync(new URL(href!))).toBe(true);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical accessibility violation; a screenshot for the docs', async () => {
    const page = await open();
    // A test's privilege, not the page's: the page's CSP refuses any injected script tag.
    await page.evaluate(axe.source);
    const result = (await page.evaluate(() =>
      (globalThis as unknown as { axe: { run: (o: object) => Promise<unknown> } }).axe.run({
        resultTypes: ['violations'],
      }),
    )) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id} (${v.nodes.length})`)).toEqual([]);
    // The CSP holds: a script tag added to the page is refused.
    await page.addScriptTag({ content: 'window.injected = true' }).catch(() => undefined);
    expect(
      await page.evaluate(() => (globalThis as unknown as { injected?: boolean }).injected),
    ).toBeUndefined();
    expect(problems.some((p) => p.includes('Content Security Policy'))).toBe(true);
    const shot = join(out.root, 'fleet-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.BBAUTH_UPDATE_DOCS_IMAGES === '1')
      copyFileSync(shot, join(process.cwd(), 'docs', 'images', 'fleet-report.png'));
    await page.close();
  });

  it('printing shows every row and no controls', async () => {
    const page = await open();
    await page.emulateMedia({ media: 'print' });
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await page.isVisible('#cred-filter')).toBe(false);
    expect(await rowsText(page, '#cred-body')).toHaveLength(report.totals.credentials);
    expect(problems).toEqual([]);
    await page.close();
  });
});
