import { readFileSync, statSync } from 'node:fs';
import { defineCommand } from 'citty';
import { AbortError, ExitCode, UsageError } from '../../core/errors.js';
import { explainLog, type ExplainedFinding } from '../../core/explain.js';
import { globalArgs } from '../args.js';
import { colorEnabled, colors, printResult, type Colors } from '../output.js';
import { docsPage } from '../render/findings.js';

/** A log bigger than this is refused, not read: explain reads the whole log into memory. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;

async function readStdinAll(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_LOG_BYTES)
      throw new UsageError('standard input is larger than 64 MiB; nothing was explained.', [
        'Cut the log to the failing step, e.g. with tail -n 2000.',
      ]);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readLog(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile())
      throw new AbortError(`${file} is not a file; nothing was explained.`, [
        'Give a log file, or pipe the log on standard input.',
      ]);
    size = st.size;
  } catch (e) {
    if (e instanceof AbortError) throw e;
    throw new AbortError(
      `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing was explained.`,
      ['Give a log file, or pipe the log on standard input.'],
    );
  }
  if (size > MAX_LOG_BYTES)
    throw new UsageError(`${file} is larger than 64 MiB; nothing was explained.`, [
      'Cut the log to the failing step, e.g. with tail -n 2000.',
    ]);
  return readFileSync(file, 'utf8');
}

function render(f: ExplainedFinding, c: Colors): string {
  const badge = f.ambiguous
    ? c.yellow('? ambiguous')
    : f.severity === 'error'
      ? c.red('✖ error    ')
      : c.yellow('▲ warning  ');
  const lines = [`${badge} ${c.bold(f.id)}  ${c.dim(`line ${f.location.line}`)}`];
  for (const l of (f.evidence ?? '').split('\n')) lines.push(`    ${c.dim('│')} ${l}`);
  lines.push(`    ${f.message}`, `    ${c.dim('→')} ${f.fix.summary}`);
  for (const cmd of f.fix.commands) lines.push(`      ${c.cyan(cmd)}`);
  lines.push(`    ${c.dim(`docs: ${docsPage(f.id)}`)}`);
  return lines.join('\n');
}

/** `bbauth explain [FILE]`: the Bitbucket authentication lines of a log, each with its cause and fix. */
export const explainCommand = defineCommand({
  meta: {
    name: 'explain',
    description:
      'Explain the Bitbucket authentication errors in a log or an error message (stdin or FILE; offline)',
  },
  args: {
    json: globalArgs.json,
    color: globalArgs.color,
    file: {
      type: 'positional',
      required: false,
      valueHint: 'FILE',
      description: 'The log (default: standard input)',
    },
  },
  async run({ args }) {
    const file = args.file as string | undefined;
    if (!file && process.stdin.isTTY)
      throw new UsageError('explain reads a log: give a FILE or pipe it in.', [
        'bbauth explain build.log',
        'pbpaste | bbauth explain',
      ]);
    const text = file ? readLog(file) : await readStdinAll();
    const r = explainLog(text, file ?? 'stdin');
    if (args.json)
      printResult(
        JSON.stringify({ schemaVersion: 1, type: 'bbauth.explain', source: file ?? 'stdin', ...r }, null, 2),
      );
    else {
      const c = colors(colorEnabled({ json: false, color: args.color !== false }));
      printResult(
        r.findings.length === 0
          ? `No line of ${r.lines} names a Bitbucket authentication problem bbauth knows. bbauth doctor checks the machine itself.`
          : `${r.findings.map((f) => render(f, c)).join('\n\n')}\n\n${r.findings.length} explained line(s) of ${r.lines}.`,
      );
    }
    return r.findings.some((f) => f.severity === 'error') ? ExitCode.findings : ExitCode.ok;
  },
});
