/**
 * The fleet report's renderers: the streamed JSON is byte for byte the pretty JSON; the HTML page escapes every
 * outside string, keeps its data inside its script element, and its CSP hashes are those of its own style and
 * script, which the CLI's masking leaves as they are.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialId } from '../../src/core/fleet/credential-id.js';
import { FleetMerger } from '../../src/core/fleet/merge.js';
import type { FleetReport } from '../../src/core/fleet/model.js';
import { redactText } from '../../src/core/redact.js';
import { renderReportHtml } from '../../src/cli/render/report-html.js';
import { renderReportJson, reportJsonChunks } from '../../src/cli/render/report.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>&amp;\u2028"\'';

function fleet(hosts: string[], message = 'plain'): FleetReport {
  const m = new FleetMerger();
  for (const [i, host] of hosts.entries())
    m.add(
      {
        schemaVersion: 1,
        type: 'bbauth.scan',
        host,
        user: HOSTILE,
        scannedAt: `2026-12-0${(i % 9) + 1}T00:00:00.000Z`,
        roots: [],
        findings: [
          {
            id: 'app-password',
            severity: 'error',
            message,
            location: { file: `/h/${HOSTILE}` },
            credential: { kind: 'app-password', fingerprint: 'ATBB…', source: 'file', id: credentialId('s') },
            fix: { summary: '', commands: [] },
          },
        ],
        credentials: [
          {
            id: credentialId('s'),
            kind: 'app-password',
            fingerprint: `ATBBab…${i}`,
            locations: [{ file: `/h/${HOSTILE}`, line: 2 }],
            findingIds: ['app-password'],
            expires: '2027-01-01',
          },
        ],
      },
      `${i}.json`,
      host,
    );
  return m.result('2026-12-03T00:00:00.000Z', '0.1.0');
}

const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('base64');

describe('reportJsonChunks', () => {
  it.each([[[]], [['a']], [['a', 'b', HOSTILE]]])('joins to exactly the pretty JSON (%j hosts)', (hosts) => {
    const r = fleet(hosts);
    expect([...reportJsonChunks(r)].join('')).toBe(renderReportJson(r));
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(fleet(['web-1', HOSTILE], HOSTILE), {
    docsUrl: (id) => `https://docs.example/d/${id}.md`,
    generatedBy: 'bbauth test',
  });

  it('escapes outside strings in the markup and keeps the data inside its script element', () => {
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data's and the script's own
    const data = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>&\u2028]/);
    const parsed = JSON.parse(data);
    expect(parsed.hosts.map((h: { host: string }) => h.host)).toContain(HOSTILE);
    expect(parsed.docs['app-password']).toBe('https://docs.example/d/app-password.md');
  });

  it("the CSP allows exactly the page's own style and script, and masking leaves both as they are", () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${sha(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${sha(script)}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
    expect(redactText(html)).toBe(html);
  });

  it('is one file: no external resource of any kind', () => {
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|audio|video|source)\b|<script[^>]+src=/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).not.toMatch(/@import|url\(/i);
  });
});
