/**
 * The fleet report as one self-contained HTML page: no network, no external file, opens from file://. The
 * summary cards, charts and expiry timeline are rendered here; the two tables are rendered in the page from the
 * embedded JSON, a page of rows at a time, so a 10,000-host report is usable at once. Every string from the
 * report (host names, messages, paths: other machines' text) reaches the page as text, never as markup: escaped
 * here, set with textContent there. A Content-Security-Policy allows only this page's own style and script.
 */
import { createHash } from 'node:crypto';
import type { FleetReport, FleetVerdict } from '../../core/fleet/model.js';
import type { Severity } from '../../core/model.js';
import { KIND_LABEL } from './labels.js';

export interface HtmlOptions {
  /** The docs page of a finding id. */
  docsUrl: (findingId: string) => string;
  /** `bbauth 0.1.0`, shown in the footer. */
  generatedBy: string;
}

const VERDICT_TEXT: Record<FleetVerdict, string> = {
  retired: 'Retired',
  expired: 'Expired',
  failing: 'Failing',
  expiring: 'Expiring soon',
  works: 'Works',
  unchecked: 'Not checked',
};

const CHART_ROWS = 15;
const DAY_MS = 86_400_000;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a script element: nothing in it can close the element or start markup. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function card(label: string, value: number, tone = ''): string {
  return `<li class="card ${tone}"><span class="value">${value.toLocaleString('en')}</span><span class="label">${esc(label)}</span></li>`;
}

/** Horizontal bars as SVG (presentation attributes only: nothing the CSP would block). */
function barChart(
  id: string,
  title: string,
  rows: { label: string; parts: { n: number; tone: Severity }[] }[],
): string {
  if (rows.length === 0)
    return `<figure><figcaption id="${id}">${esc(title)}</figcaption><p>None.</p></figure>`;
  const max = Math.max(...rows.map((r) => r.parts.reduce((a, p) => a + p.n, 0)), 1);
  const rowH = 22;
  const labelW = 260;
  const barW = 380;
  const bars = rows
    .map((r, i) => {
      const y = i * rowH;
      let x = labelW;
      const total = r.parts.reduce((a, p) => a + p.n, 0);
      const rects = r.parts
        .filter((p) => p.n > 0)
        .map((p) => {
          const w = Math.max(2, Math.round((p.n / max) * barW));
          const rect = `<rect class="${p.tone}" x="${x}" y="${y + 3}" width="${w}" height="${rowH - 6}"><title>${p.n} ${p.tone}</title></rect>`;
          x += w;
          return rect;
        })
        .join('');
      const label = r.label.length > 36 ? `${r.label.slice(0, 35)}…` : r.label;
      return `<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(label)}</text>${rects}<text x="${x + 6}" y="${y + rowH / 2 + 4}">${total}</text>`;
    })
    .join('');
  const h = rows.length * rowH;
  const desc = rows.map((r) => `${r.label}: ${r.parts.map((p) => `${p.n} ${p.tone}`).join(', ')}`).join('; ');
  return `<figure><figcaption id="${id}">${esc(title)}</figcaption><svg role="img" aria-labelledby="${id}" aria-describedby="${id}-d" viewBox="0 0 ${labelW + barW + 60} ${h}" width="${labelW + barW + 60}" height="${h}"><desc id="${id}-d">${esc(desc)}</desc>${bars}</svg></figure>`;
}

function findingsByKind(r: FleetReport): string {
  const bySev = new Map<string, Record<Severity, number>>();
  for (const h of r.hosts)
    for (const f of h.findings) {
      const c = bySev.get(f.id) ?? { error: 0, warning: 0, info: 0 };
      c[f.severity]++;
      bySev.set(f.id, c);
    }
  const rows = [...bySev]
    .map(([id, c]) => ({
      label: id,
      parts: (['error', 'warning', 'info'] as const).map((t) => ({ n: c[t], tone: t })),
    }))
    .sort((a, b) => b.parts.reduce((s, p) => s + p.n, 0) - a.parts.reduce((s, p) => s + p.n, 0))
    .slice(0, CHART_ROWS);
  return barChart('chart-kind', `Findings by kind (top ${CHART_ROWS})`, rows);
}

function findingsByHost(r: FleetReport): string {
  const rows = r.hosts
    .filter((h) => h.bySeverity.error + h.bySeverity.warning > 0)
    .slice(0, CHART_ROWS)
    .map((h) => ({
      label: h.host,
      parts: [
        { n: h.bySeverity.error, tone: 'error' as const },
        { n: h.bySeverity.warning, tone: 'warning' as const },
      ],
    }));
  return barChart('chart-host', `Hosts with the most errors and warnings (top ${CHART_ROWS})`, rows);
}

/** Credentials by month of expiry over the next 12 months, and the next ten by date. */
function expiryTimeline(r: FleetReport, now: Date): string {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const months = Array.from(
    { length: 12 },
    (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1)),
  );
  const counts = months.map(() => 0);
  const dated = r.credentials
    .filter((c) => c.expires !== undefined && c.verdict !== 'retired' && !Number.isNaN(Date.parse(c.expires)))
    .sort((a, b) => Date.parse(a.expires!) - Date.parse(b.expires!));
  let overdue = 0;
  for (const c of dated) {
    const t = new Date(Date.parse(c.expires!));
    if (t.getTime() < start) {
      overdue++;
      continue;
    }
    const i = (t.getUTCFullYear() - now.getUTCFullYear()) * 12 + t.getUTCMonth() - now.getUTCMonth();
    if (i >= 0 && i < 12) counts[i]!++;
  }
  const max = Math.max(...counts, 1);
  const colW = 56;
  const h = 120;
  const cols = months
    .map((m, i) => {
      const bh = Math.round((counts[i]! / max) * (h - 40));
      const label = m.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
      return `<rect class="expiry" x="${i * colW + 8}" y="${h - 24 - bh}" width="${colW - 16}" height="${bh}"><title>${counts[i]} in ${label}</title></rect><text x="${i * colW + colW / 2}" y="${h - 8}" text-anchor="middle">${label}</text><text x="${i * colW + colW / 2}" y="${h - 28 - bh}" text-anchor="middle">${counts[i] || ''}</text>`;
    })
    .join('');
  const desc = months.map((m, i) => `${m.toISOString().slice(0, 7)}: ${counts[i]}`).join(', ');
  const soon = dated.slice(0, 10).map((c) => {
    const days = Math.ceil((Date.parse(c.expires!) - now.getTime()) / DAY_MS);
    const when = days < 0 ? `${-days} days ago` : days === 0 ? 'today' : `in ${days} days`;
    return `<li><time datetime="${esc(c.expires!)}">${esc(c.expires!.slice(0, 10))}</time>${c.expiryBound ? ' (at the latest)' : ''}: ${esc(KIND_LABEL[c.kind] ?? c.kind)} <code>${esc(c.fingerprint)}</code> on ${c.hosts.length} host(s), ${when}</li>`;
  });
  return `<figure><figcaption id="chart-expiry">Credentials expiring, by month (next 12 months)${overdue ? `; ${overdue} already past` : ''}</figcaption><svg role="img" aria-labelledby="chart-expiry" aria-describedby="chart-expiry-d" viewBox="0 0 ${12 * colW} ${h}" width="${12 * colW}" height="${h}"><desc id="chart-expiry-d">${esc(desc)}</desc>${cols}</svg>${soon.length ? `<ol class="soon">${soon.join('')}</ol>` : '<p>No credential has a known expiry.</p>'}</figure>`;
}

/**
 * What the page's script reads, as script-safe JSON chunks: the docs links, the labels, then each table row as
 * its own chunk (cut to what the tables show), so the page of a 10,000-host report is never one value in memory.
 */
function* pageData(r: FleetReport, docsUrl: (id: string) => string): Generator<string> {
  const ids = new Set<string>();
  for (const h of r.hosts) for (const f of h.findings) ids.add(f.id);
  for (const c of r.credentials) for (const f of c.findingIds) ids.add(f);
  const head = {
    docs: Object.fromEntries([...ids].map((id) => [id, docsUrl(id)])),
    kinds: KIND_LABEL,
    verdicts: VERDICT_TEXT,
  };
  yield `${scriptJson(head).slice(0, -1)},"credentials":[`;
  for (const [i, c] of r.credentials.entries()) {
    const row = {
      id: c.id,
      kind: c.kind,
      fingerprint: c.fingerprint,
      verdict: c.verdict,
      expires: c.expires ?? '',
      bound: c.expiryBound === true,
      hosts: c.hosts,
      places: c.places.map(
        (p) =>
          `${p.host}: ${p.location.file ?? p.location.url ?? p.location.helper ?? p.location.configKey ?? p.location.env ?? p.location.host ?? ''}${p.location.line ? `:${p.location.line}` : ''}`,
      ),
      findings: c.findingIds,
    };
    yield `${i ? ',' : ''}${scriptJson(row)}`;
  }
  yield '],"hosts":[';
  for (const [i, h] of r.hosts.entries()) {
    const row = {
      host: h.host,
      user: h.user ?? '',
      scannedAt: h.scannedAt ?? '',
      error: h.bySeverity.error,
      warning: h.bySeverity.warning,
      info: h.bySeverity.info,
      findings: h.findings.map((f) => [f.id, f.severity, f.message]),
    };
    yield `${i ? ',' : ''}${scriptJson(row)}`;
  }
  yield ']}';
}

const CSS = `
:root{--fg:#1b1f24;--muted:#4b5563;--bg:#fff;--line:#d0d7de;--error:#b42318;--warning:#8a5300;--info:#0b57d0;--ok:#1a7f37;--focus:#0b57d0}
*{box-sizing:border-box}body{margin:0 auto;max-width:1200px;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem}p.meta{color:var(--muted);margin:0}
ul.cards{list-style:none;padding:0;margin:1rem 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.75rem}
.card{border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;display:flex;flex-direction:column}.card .value{font-size:1.7rem;font-weight:700}.card .label{color:var(--muted)}
.card.error .value{color:var(--error)}.card.warning .value{color:var(--warning)}.card.info .value{color:var(--info)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.5rem}
svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:var(--fg)}rect.error{fill:var(--error)}rect.warning{fill:#d08b00}rect.info{fill:var(--info)}rect.expiry{fill:#5b6cc4}
ol.soon{margin:.5rem 0 0;padding-left:1.25rem}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
.controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:.5rem 0}.controls label{display:flex;flex-direction:column;font-weight:600;font-size:.9rem}
input,select,button{font:inherit;color:inherit}input,select{border:1px solid #8c959f;border-radius:6px;padding:.3rem .5rem;min-width:16rem}
button{border:1px solid #8c959f;border-radius:6px;background:#f6f8fa;padding:.3rem .75rem;cursor:pointer}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
table{border-collapse:collapse;width:100%;margin-top:.5rem}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
th button{border:0;background:none;padding:0;font-weight:700}th button::after{content:" ↕";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" ↑"}th[aria-sort=descending] button::after{content:" ↓"}
td.num{text-align:right}.v-retired,.v-expired,.v-failing,.s-error{color:var(--error);font-weight:600}.v-expiring,.s-warning{color:var(--warning);font-weight:600}.v-works{color:var(--ok);font-weight:600}.s-info{color:var(--info)}
td ul{margin:0;padding-left:1rem}.status{color:var(--muted);margin:.25rem 0}a{color:#0a53be}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media print{.controls,.more,noscript{display:none}body{max-width:none;padding:0}th button::after{content:""}a{color:inherit;text-decoration:none}tr{break-inside:avoid}}
`;

/** The page's script: tables from the embedded data, a page of rows at a time; filter, sort, print all rows. */
const SCRIPT = `(() => {
const data = JSON.parse(document.getElementById('data').textContent);
const PAGE = 100;
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const link = (id) => { const a = el('a', id); const href = data.docs[id]; if (href) a.href = href; return a; };
const verdictRank = ['retired','expired','failing','expiring','works','unchecked'];
function table(spec) {
  const state = { rows: spec.rows, shown: PAGE, sort: null, dir: 1, all: false };
  const tbody = document.querySelector(spec.body);
  const status = document.querySelector(spec.status);
  const more = document.querySelector(spec.more);
  const heads = [...document.querySelectorAll(spec.head + ' th[data-key]')];
  const filters = spec.filters.map((f) => document.querySelector(f));
  function view() {
    const q = filters[0].value.trim().toLowerCase();
    const extra = filters[1] ? filters[1].value : '';
    let rows = spec.rows.filter((r) => (!q || spec.text(r).includes(q)) && (!extra || spec.extra(r) === extra));
    if (state.sort) { const k = state.sort; rows = rows.slice().sort((a, b) => { const x = spec.key(a, k), y = spec.key(b, k); return (x < y ? -1 : x > y ? 1 : 0) * state.dir; }); }
    return rows;
  }
  function render() {
    const rows = view();
    const n = state.all ? rows.length : Math.min(state.shown, rows.length);
    const frag = document.createDocumentFragment();
    for (let i = 0; i < n; i++) frag.append(spec.row(rows[i]));
    tbody.replaceChildren(frag);
    status.textContent = 'Showing ' + n.toLocaleString('en') + ' of ' + rows.length.toLocaleString('en') + ' ' + spec.noun + (rows.length === spec.rows.length ? '' : ' (filtered from ' + spec.rows.length.toLocaleString('en') + ')') + '.';
    more.hidden = n >= rows.length;
  }
  for (const th of heads) th.querySelector('button').addEventListener('click', () => {
    const k = th.dataset.key;
    state.dir = state.sort === k ? -state.dir : 1; state.sort = k;
    for (const h of heads) h.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
    render();
  });
  for (const f of filters) if (f) f.addEventListener('input', () => { state.shown = PAGE; render(); });
  more.addEventListener('click', () => { state.shown += PAGE * 10; render(); });
  window.addEventListener('beforeprint', () => { state.all = true; render(); });
  window.addEventListener('afterprint', () => { state.all = false; render(); });
  render();
}
const list = (items, make) => { const ul = el('ul'); for (const x of items) { const li = el('li'); li.append(make(x)); ul.append(li); } return ul; };
const hostsText = (hs) => hs.length > 5 ? hs.slice(0, 5).join(', ') + ' and ' + (hs.length - 5) + ' more' : hs.join(', ');
table({
  rows: data.credentials, body: '#cred-body', status: '#cred-status', more: '#cred-more', head: '#cred-head', noun: 'credentials',
  filters: ['#cred-filter', '#cred-verdict'],
  text: (c) => (c.fingerprint + ' ' + c.kind + ' ' + data.kinds[c.kind] + ' ' + c.verdict + ' ' + c.hosts.join(' ') + ' ' + c.places.join(' ') + ' ' + c.findings.join(' ') + ' ' + c.id).toLowerCase(),
  extra: (c) => c.verdict,
  key: (c, k) => k === 'verdict' ? verdictRank.indexOf(c.verdict) : k === 'hosts' ? c.hosts.length : k === 'expires' ? (c.expires || '9999') : String(c[k]),
  row: (c) => {
    const tr = el('tr');
    tr.append(el('td', data.verdicts[c.verdict], 'v-' + c.verdict), el('td', data.kinds[c.kind] || c.kind));
    const fp = el('td'); fp.append(el('code', c.fingerprint)); tr.append(fp);
    tr.append(el('td', c.expires ? c.expires.slice(0, 10) + (c.bound ? ' (at the latest)' : '') : '—'), el('td', c.hosts.length, 'num'));
    const where = el('td'); where.append(el('div', hostsText(c.hosts))); const places = el('details'); places.append(el('summary', c.places.length + ' place(s)'), list(c.places, (p) => el('span', p))); where.append(places); tr.append(where);
    const fs = el('td'); fs.append(list(c.findings, link)); tr.append(fs);
    return tr;
  },
});
table({
  rows: data.hosts, body: '#host-body', status: '#host-status', more: '#host-more', head: '#host-head', noun: 'hosts',
  filters: ['#host-filter'],
  text: (h) => (h.host + ' ' + h.user + ' ' + h.findings.map((f) => f[0] + ' ' + f[2]).join(' ')).toLowerCase(),
  key: (h, k) => typeof h[k] === 'number' ? h[k] : String(h[k]),
  row: (h) => {
    const tr = el('tr');
    const name = el('th', h.host); name.scope = 'row'; tr.append(name);
    tr.append(el('td', h.user), el('td', h.scannedAt.replace('T', ' ').slice(0, 16)), el('td', h.error, 'num'), el('td', h.warning, 'num'), el('td', h.info, 'num'));
    const fs = el('td'); fs.append(list(h.findings, (f) => { const s = el('span'); s.append(el('span', f[1], 's-' + f[1]), ' ', link(f[0]), ' ', el('span', f[2])); return s; })); tr.append(fs);
    return tr;
  },
});
})();`;

function verdictOptions(r: FleetReport): string {
  return Object.entries(r.totals.credentialsByVerdict)
    .map(([v, n]) => `<option value="${v}">${esc(VERDICT_TEXT[v as FleetVerdict])} (${n})</option>`)
    .join('');
}

function sortHead(key: string, label: string): string {
  return `<th scope="col" data-key="${key}"><button type="button">${esc(label)}</button></th>`;
}

/** The page as one string (tests, small reports); renderReportHtmlChunks for writing a big one. */
export function renderReportHtml(r: FleetReport, opts: HtmlOptions): string {
  return [...renderReportHtmlChunks(r, opts)].join('');
}

/** The page a piece at a time: the markup around the data, and the data a row at a time. */
export function* renderReportHtmlChunks(r: FleetReport, opts: HtmlOptions): Generator<string> {
  const t = r.totals;
  const v = t.credentialsByVerdict;
  const generated = new Date(r.generatedAt);
  const now = Number.isNaN(generated.getTime()) ? new Date() : generated;
  const soon = r.credentials.filter(
    (c) =>
      c.expires !== undefined &&
      c.verdict !== 'retired' &&
      Date.parse(c.expires) - now.getTime() <= 30 * DAY_MS,
  ).length;
  const csp = `default-src 'none'; style-src 'sha256-${sha256(CSS)}'; script-src 'sha256-${sha256(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const notes = [
    r.inputs.superseded.length
      ? `${r.inputs.superseded.length} older scan(s) replaced by a newer scan of the same host.`
      : '',
    r.inputs.rejected.length
      ? `${r.inputs.rejected.length} input(s) could not be merged: ${r.inputs.rejected.map((x) => x.file).join(', ')}.`
      : '',
  ].filter(Boolean);
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bitbucket credentials across ${t.hosts} host(s): bbauth fleet report</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Bitbucket credentials across the fleet</h1>
<p class="meta">${t.hosts.toLocaleString('en')} host(s), merged from ${r.inputs.files.toLocaleString('en')} file(s) on <time datetime="${esc(r.generatedAt)}">${esc(r.generatedAt.replace('T', ' ').slice(0, 16))} UTC</time>. Fingerprints only: no secret is in this page.</p>
${notes.map((n) => `<p class="meta">${esc(n)}</p>`).join('\n')}
</header>
<main>
<section aria-labelledby="h-summary">
<h2 id="h-summary">Summary</h2>
<ul class="cards">
${card('hosts', t.hosts)}${card('distinct credentials', t.credentials)}${card('errors', t.bySeverity.error, 'error')}${card('warnings', t.bySeverity.warning, 'warning')}${card('info', t.bySeverity.info, 'info')}${card('retired app passwords', v.retired ?? 0, 'error')}${card('failing or expired', (v.failing ?? 0) + (v.expired ?? 0), 'error')}${card('expiring within 30 days', soon, 'warning')}${card('on more than one host', r.credentials.filter((c) => c.hosts.length > 1).length)}
</ul>
</section>
<section aria-labelledby="h-charts">
<h2 id="h-charts">Findings</h2>
<div class="charts">${findingsByKind(r)}${findingsByHost(r)}</div>
</section>
<section aria-labelledby="h-expiry">
<h2 id="h-expiry">Expiry</h2>
${expiryTimeline(r, now)}
</section>
<section aria-labelledby="h-creds">
<h2 id="h-creds">Credentials</h2>
<noscript><p>The tables need JavaScript; the same data is in <code>bbauth report --json</code> and <code>--csv</code>.</p></noscript>
<div class="controls">
<label for="cred-filter">Filter credentials<input id="cred-filter" type="search" placeholder="host, fingerprint, finding…" autocomplete="off"></label>
<label for="cred-verdict">Verdict<select id="cred-verdict"><option value="">All</option>${verdictOptions(r)}</select></label>
</div>
<table>
<caption>Each distinct credential, worst first, with every host and place it lives</caption>
<thead id="cred-head"><tr>${sortHead('verdict', 'Verdict')}${sortHead('kind', 'Kind')}${sortHead('fingerprint', 'Fingerprint')}${sortHead('expires', 'Expires')}${sortHead('hosts', 'Hosts')}<th scope="col">Where</th><th scope="col">Findings</th></tr></thead>
<tbody id="cred-body"></tbody>
</table>
<p class="status" id="cred-status" role="status" aria-live="polite"></p>
<button type="button" class="more" id="cred-more" hidden>Show more credentials</button>
</section>
<section aria-labelledby="h-hosts">
<h2 id="h-hosts">Hosts</h2>
<div class="controls">
<label for="host-filter">Filter hosts<input id="host-filter" type="search" placeholder="host, user, finding…" autocomplete="off"></label>
</div>
<table>
<caption>Each host with its findings, most errors first</caption>
<thead id="host-head"><tr>${sortHead('host', 'Host')}${sortHead('user', 'User')}${sortHead('scannedAt', 'Scanned (UTC)')}${sortHead('error', 'Errors')}${sortHead('warning', 'Warnings')}${sortHead('info', 'Info')}<th scope="col">Findings</th></tr></thead>
<tbody id="host-body"></tbody>
</table>
<p class="status" id="host-status" role="status" aria-live="polite"></p>
<button type="button" class="more" id="host-more" hidden>Show more hosts</button>
</section>
</main>
<footer>Made by ${esc(opts.generatedBy)} (<code>bbauth report</code>). Each finding id links to its page.</footer>
<script type="application/json" id="data">`;
  yield* pageData(r, opts.docsUrl);
  yield `</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
