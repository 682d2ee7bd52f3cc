/**
 * The docs pages are part of the public contract of the finding ids: every id links to `docs/diagnoses/<id>.md`
 * from JSON and SARIF output, so a missing or stale page is a broken link in every report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, FINDING_IDS, docsPathFor, type FindingId } from '../../src/core/findings/catalogue.js';
import { mintSecret } from '../../src/core/token/format.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docsDir = join(root, 'docs', 'diagnoses');
// The links the fact sheet gives, copied into the repository so a clone checks its citations too. The fact
// sheet itself lives next to the project (../shared), not inside it; where it is, the copy is checked against it.
const sourcesPath = join(root, 'docs', 'sources.md');
const factsPath = join(root, '..', 'shared', 'bitbucket-auth-facts.md');

const HEADINGS = [
  '## What it means',
  '## Why it happens / what you see',
  '## Fix it with bbauth',
  '## Fix it by hand',
  '## Sources',
];
// Same shapes the brief forbids: a full-length API/access token or app password must never sit in the docs.
const SECRET_PATTERNS = [/AT(ATT|CTT)[A-Za-z0-9_=-]{40,}/, /ATBB[A-Za-z0-9]{28,}/];

const readPage = (id: FindingId): string => readFileSync(join(root, docsPathFor(id)), 'utf8');
const markdownFiles = (): string[] => readdirSync(docsDir).filter((f) => f.endsWith('.md'));

/** The URLs docs/sources.md lists, one `- <url>` item each. */
const listedSources = (): string[] =>
  [...readFileSync(sourcesPath, 'utf8').matchAll(/^- <(https?:\/\/[^>]+)>$/gm)].map((m) => m[1]!);

/**
 * Every link in the fact sheet, as docs/sources.md was made from it: trailing punctuation dropped, and not
 * placeholders (`{workspace}`, `<ws>`, `…`), loopback examples or URLs with credentials in them.
 */
const sourcesInFacts = (facts: string): string[] => [
  ...new Set(
    [...facts.matchAll(/https?:\/\/[^\s)<>\]"'`|]+/g)]
      .map((m) => m[0].replace(/[.,;:]+$/, ''))
      .filter((u) => !/[{}<…]|\.\.\.|\(\?|\/\/(localhost|127\.)|^https?:\/\/[^/]+@/.test(u)),
  ),
];

/** Text of one `## ` section, up to the next `## ` heading. */
function section(page: string, heading: string): string {
  const start = page.indexOf(`${heading}\n`);
  if (start < 0) return '';
  const rest = page.slice(start + heading.length + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('docs/diagnoses pages', () => {
  it.each(FINDING_IDS)('%s has a page with title, severity and every section in order', (id) => {
    const path = join(root, docsPathFor(id));
    expect(existsSync(path), `missing ${docsPathFor(id)}`).toBe(true);
    const page = readPage(id);
    const lines = page.split('\n');
    expect(lines[0]).toBe(`# ${id}`);
    const severity = /^Severity: \*\*(error|warning|info)\*\*/m.exec(page)?.[1];
    expect(severity, 'Severity line').toBe(CATALOGUE[id].severity);
    let last = -1;
    for (const heading of HEADINGS) {
      const at = lines.indexOf(heading);
      expect(at, `${heading} missing or out of order`).toBeGreaterThan(last);
      last = at;
      expect(section(page, heading).trim().length, `${heading} is empty`).toBeGreaterThan(0);
    }
    expect(lines.length).toBeGreaterThanOrEqual(25);
    expect(lines.length).toBeLessThanOrEqual(61); // 60 lines plus the final newline
  });

  it('has no page for an id the catalogue does not know', () => {
    const orphans = markdownFiles()
      .filter((f) => f !== 'README.md')
      .map((f) => f.slice(0, -3))
      .filter((id) => !(id in CATALOGUE));
    expect(orphans).toEqual([]);
  });

  it('links only to pages that exist', () => {
    for (const file of markdownFiles()) {
      const text = readFileSync(join(docsDir, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([a-z0-9-]+\.md)\)/g)) {
        expect(existsSync(join(docsDir, target!)), `${file} links to ${target}`).toBe(true);
      }
    }
  });

  it('contains no full-length token anywhere', () => {
    for (const file of markdownFiles()) {
      const text = readFileSync(join(docsDir, file), 'utf8');
      for (const pattern of SECRET_PATTERNS)
        expect(pattern.test(text), `${file} matches ${pattern}`).toBe(false);
    }
  });

  it('would catch a real token if one were pasted in (canary for the check above)', () => {
    for (const kind of ['api-token', 'access-token', 'app-password'] as const) {
      const pasted = `git clone https://x:${mintSecret(kind)}@bitbucket.org/ws/r.git`;
      expect(
        SECRET_PATTERNS.some((p) => p.test(pasted)),
        kind,
      ).toBe(true);
    }
    expect(SECRET_PATTERNS.some((p) => p.test('ATATT3xFfGF0… and ATBB…'))).toBe(false);
  });

  it('cites in Sources only links that docs/sources.md lists', () => {
    const listed = new Set(listedSources());
    expect(listed.size).toBeGreaterThan(40);
    for (const id of FINDING_IDS) {
      const sources = section(readPage(id), '## Sources');
      for (const [url] of sources.matchAll(/https?:\/\/[^\s),]+/g)) {
        expect(listed.has(url), `${id} cites ${url}`).toBe(true);
      }
    }
  });

  it('lists in docs/sources.md no link twice', () => {
    expect(listedSources().length).toBe(new Set(listedSources()).size);
  });

  // Only where ../shared is checked out next to the project (CI and developers); a bare clone has the copy alone.
  it.skipIf(!existsSync(factsPath))('docs/sources.md lists exactly the links the fact sheet gives', () => {
    const expected = sourcesInFacts(readFileSync(factsPath, 'utf8')).sort();
    expect(listedSources().sort()).toEqual(expected);
  });
});

describe('docs/diagnoses/README.md index', () => {
  const index = readFileSync(join(docsDir, 'README.md'), 'utf8');
  it.each(FINDING_IDS)('lists %s with its severity and a link to its page', (id) => {
    const row = index.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
    expect(row, `no index row for ${id}`).toBeDefined();
    const [, , severity] = row!.split('|').map((c) => c.trim());
    expect(severity?.split(' ')[0]).toBe(CATALOGUE[id].severity);
    expect(row).toContain(`](${id}.md)`);
  });
});
