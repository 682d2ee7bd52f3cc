import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { defineCommand } from 'citty';
import { ExitCode, UsageError } from '../../core/errors.js';
import type { FindingId } from '../../core/findings/catalogue.js';
import { buildReport } from '../../services/report.js';
import { globalArgs } from '../args.js';
import { colorEnabled, colors, prepareOutputFile, printInfo, printResult } from '../output.js';
import type { PendingWrite } from '../../store/atomic.js';
import { docsPage } from '../render/findings.js';
import {
  renderReportCsv,
  renderReportJson,
  renderReportSummary,
  reportJsonChunks,
} from '../render/report.js';
import { ensureOutputFolder } from './scan.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** `--json` with no file (citty gives true or ''), or `-`: the JSON goes to stdout. */
function toStdout(v: unknown): boolean {
  return v === true || v === '' || v === '-';
}

/** Each finding's docs page: under --docs-url when given (a published copy), else the installed page. */
function docsLinker(base: string | undefined): (id: string) => string {
  if (base === undefined) return (id) => pathToFileURL(docsPage(id as FindingId)).href;
  let url: URL;
  try {
    url = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new UsageError(`--docs-url: "${base}" is not a URL`, [
      'Give the address of the docs/diagnoses folder, e.g. https://docs.example.com/bbauth/diagnoses/.',
    ]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'file:')
    throw new UsageError(`--docs-url: "${base}" is not an http(s) or file URL`);
  return (id) => new URL(`${encodeURIComponent(id)}.md`, url).href;
}

/** `bbauth report FILE|DIR…`: many machines' scans merged into one fleet view. */
export const reportCommand = defineCommand({
  meta: {
    name: 'report',
    description:
      "Merge many machines' scan JSON into one fleet report: summary, JSON, CSV or a self-contained HTML page (offline)",
  },
  args: {
    verbose: globalArgs.verbose,
    color: globalArgs.color,
    inputs: {
      type: 'positional',
      required: true,
      valueHint: 'FILE|DIR',
      description:
        'Scan (or doctor) JSON files, or folders of them (bbauth scan --format json --label HOST --output HOST.json)',
    },
    json: {
      type: 'string',
      valueHint: 'FILE',
      description: 'Write the merged report as JSON to FILE (--json alone: to stdout)',
    },
    csv: { type: 'string', valueHint: 'FILE', description: 'Write one row per credential per place to FILE' },
    html: {
      type: 'string',
      valueHint: 'FILE',
      description: 'Write a self-contained HTML dashboard to FILE (opens from file://, no network)',
    },
    'docs-url': {
      type: 'string',
      valueHint: 'URL',
      description: "Where the findings' docs pages are published (default: this installation's docs folder)",
    },
    'skip-invalid': {
      type: 'boolean',
      description:
        'Merge the valid inputs and list the others in the report (default: stop at the first bad input)',
    },
  },
  async run({ args }) {
    const jsonOut = args.json as unknown;
    const jsonFile = jsonOut === undefined || toStdout(jsonOut) ? undefined : String(jsonOut);
    const files: [string, string | undefined][] = [
      ['--json', jsonFile],
      ['--csv', args.csv],
      ['--html', args.html],
    ];
    for (const [flag, f] of files) if (f) ensureOutputFolder(f, flag, 'nothing was merged');
    const docsUrl = docsLinker(args['docs-url']);
    const report = buildReport({
      inputs: args._,
      skipInvalid: Boolean(args['skip-invalid']),
      bbauthVersion: pkg.version,
    });
    // Every output is written in full beside its file first, then all replace theirs: a failure on the way leaves
    // the old files as they were and no mix of old and new.
    const pending: [string, PendingWrite][] = [];
    try {
      if (jsonFile) pending.push([jsonFile, await prepareOutputFile(jsonFile, reportJsonChunks(report))]);
      if (args.csv) pending.push([args.csv, await prepareOutputFile(args.csv, [renderReportCsv(report)])]);
      if (args.html) {
        // The page's renderer is loaded only when a page is asked for.
        const { renderReportHtmlChunks } = await import('../render/report-html.js');
        const page = renderReportHtmlChunks(report, { docsUrl, generatedBy: `bbauth ${pkg.version}` });
        pending.push([args.html, await prepareOutputFile(args.html, page)]);
      }
    } catch (e) {
      for (const [, p] of pending) await p.abort();
      throw e;
    }
    for (const [file, p] of pending) {
      await p.commit();
      printInfo(`Wrote ${file}.`);
    }
    if (toStdout(jsonOut)) printResult(renderReportJson(report));
    else if (pending.length === 0)
      printResult(
        renderReportSummary(report, colors(colorEnabled({ json: false, color: args.color !== false }))),
      );
    return ExitCode.ok;
  },
});
