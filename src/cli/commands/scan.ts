import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { ExitCode, UsageError } from '../../core/errors.js';
import { shellWord } from '../../core/shell.js';
import { DEFAULT_MAX_FILE_SIZE, runScan } from '../../services/scan.js';
import { globalArgs, networkArgs, readDays, readGlobalOptions, warnDaysArg } from '../args.js';
import { colorEnabled, colors, printInfo, printResult, writeOutputFile } from '../output.js';
import { renderScanHuman, renderScanJson } from '../render/scan.js';
import { loadRuleHelp, renderSarif } from '../render/sarif.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** `10M`, `512k`, `1048576` → bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m)
    throw new UsageError(`--max-file-size: "${text}" is not a size`, [
      'Use bytes or a K/M/G suffix, e.g. 1M.',
    ]);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

/** Every value of a repeatable flag (citty keeps only the last one): `--name V` and `--name=V`. */
export function repeatedFlag(rawArgs: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    if (a === '--') break;
    if (a === `--${name}` && i + 1 < rawArgs.length) out.push(rawArgs[++i]!);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out;
}

/** `--label NAME`: printable, one line, short enough for a host name column. */
function readLabel(text: string): string {
  const label = text.trim();
  if (label === '' || label.length > 253 || /[\u0000-\u001f\u007f-\u009f]/.test(label))
    throw new UsageError(`--label: "${text.slice(0, 40)}" is not a usable host label`, [
      'Give 1 to 253 printable characters, e.g. --label web-1 (Ansible: --label {{ inventory_hostname }}).',
    ]);
  return label;
}

/** Before a long scan: the report's folder must exist (the report is written there when the scan is done). */
export function ensureOutputFolder(
  output: string,
  flag = '--output',
  nothingDone = 'nothing was scanned',
): void {
  const folder = dirname(resolve(output));
  let ok = false;
  try {
    ok = statSync(folder).isDirectory();
  } catch {
    // missing
  }
  if (!ok)
    throw new UsageError(`${flag}: the folder ${folder} does not exist; ${nothingDone}.`, [
      `Create it (mkdir -p ${shellWord(folder)}) or choose another path, then run again.`,
    ]);
}

export const scanCommand = defineCommand({
  meta: {
    name: 'scan',
    description: 'Find every Bitbucket credential in files, git stores and repositories (offline, read-only)',
  },
  args: {
    ...globalArgs,
    ...networkArgs,
    ...warnDaysArg,
    paths: {
      type: 'positional',
      required: false,
      valueHint: 'PATH',
      description: 'Folders or files (default: HOME and the global git config)',
    },
    format: {
      type: 'string',
      valueHint: 'human|json|sarif',
      description: 'Output format (default human; --json = json)',
    },
    output: {
      type: 'string',
      valueHint: 'FILE',
      description: 'Write the report to FILE (atomically) instead of stdout',
    },
    exclude: { type: 'string', valueHint: 'GLOB', description: 'Leave out matching paths (repeatable)' },
    verify: {
      type: 'boolean',
      description: 'Ask Bitbucket about each distinct credential once (sends requests; default offline)',
    },
    'max-file-size': { type: 'string', valueHint: 'SIZE', description: 'Skip larger files (default 1M)' },
    label: {
      type: 'string',
      valueHint: 'NAME',
      description: "The host name the report carries, e.g. an inventory name (default: this machine's)",
    },
  },
  async run({ args, rawArgs }) {
    const opts = readGlobalOptions(args);
    const format = args.format ?? (opts.json ? 'json' : 'human');
    if (!['human', 'json', 'sarif'].includes(format)) {
      throw new UsageError(`--format: "${format}" is not one of human, json, sarif`);
    }
    if (args.output) ensureOutputFolder(args.output);
    const maxFileSize = args['max-file-size'] ? parseSize(args['max-file-size']) : DEFAULT_MAX_FILE_SIZE;
    const label = args.label === undefined ? undefined : readLabel(args.label);
    const tty = Boolean(process.stderr.isTTY);
    const warnDays = readDays(args['warn-days']);
    const report = await runScan({
      warnDays,
      paths: args._,
      env: process.env,
      endpoints: opts.endpoints,
      excludes: repeatedFlag(rawArgs, 'exclude'),
      maxFileSize,
      verify: Boolean(args.verify),
      threads: Math.min(4, availableParallelism()),
      bbauthVersion: pkg.version,
      ...(label ? { label } : {}),
      ...(tty ? { onProgress: (n: number) => process.stderr.write(`\rscanning… ${n} files`) } : {}),
    });
    if (tty) process.stderr.write('\r\x1b[K');
    const text =
      format === 'json'
        ? renderScanJson(report)
        : format === 'sarif'
          ? renderSarif(report, pkg.version, loadRuleHelp(new Set(report.findings.map((f) => f.id))))
          : renderScanHuman(
              report,
              colors(!args.output && colorEnabled({ ...opts, json: format !== 'human' })),
              opts.verbose,
            );
    if (args.output) {
      await writeOutputFile(args.output, text);
      printInfo(`Wrote the ${format} report to ${args.output}.`);
    } else printResult(text);
    return report.summary.bySeverity.error > 0 ? ExitCode.findings : ExitCode.ok;
  },
});
