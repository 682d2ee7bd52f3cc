import { defineCommand } from 'citty';
import { formatExpiry } from '../../core/expiry.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { checkExpiry, DEFAULT_ADMIN_URL, type ExpiryReport } from '../../services/expiry.js';
import { globalArgs, readDays, readGlobalOptions } from '../args.js';
import { colorEnabled, colors, printInfo, printResult, type Colors } from '../output.js';
import { boundDay } from '../render/labels.js';

/** Every `--account-id X`, `--account-id=X` and comma list (citty keeps only the last occurrence). */
export function accountIdsFrom(rawArgs: readonly string[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    const value =
      a === '--account-id' ? rawArgs[++i] : a.startsWith('--account-id=') ? a.slice(13) : undefined;
    if (value !== undefined)
      ids.push(
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
  }
  return ids;
}

function renderHuman(r: ExpiryReport, c: Colors): string {
  const lines: string[] = [];
  if (r.rows.length === 0) lines.push(`No tokens recorded in ${r.recordsFile} (bbauth login records them).`);
  for (const row of r.rows) {
    const when = row.expires
      ? row.expiresBound
        ? `no later than ${boundDay(formatExpiry(row.expires))}`
        : formatExpiry(row.expires)
      : 'expiry unknown';
    const left =
      row.state === 'expired'
        ? c.red('expired')
        : row.state === 'soon'
          ? c.yellow(`${row.daysLeft} days left`)
          : row.state === 'ok'
            ? `${row.daysLeft} days left`
            : row.state === 'retired'
              ? c.dim(
                  `retired ${row.retired!.slice(0, 10)}${row.replacedBy ? `, replaced by ${row.replacedBy}` : ''}`,
                )
              : c.dim('run bbauth login --expires DATE');
    lines.push(`${row.fingerprint}${row.label ? `  "${row.label}"` : ''}  ${when}  ${left}`);
  }
  for (const a of r.admin ?? []) {
    lines.push('', `Admin API, account ${a.accountId}: ${a.error ?? `${a.tokens.length} token(s)`}`);
    for (const t of a.tokens) {
      const exp = t.expiry ? formatExpiry(t.expiry) : 'no expiry';
      lines.push(`  "${t.label}"  ${exp}  ${t.matched ? 'matched a record' : c.dim('not recorded here')}`);
    }
    for (const label of a.ambiguous) lines.push(`  "${label}" is listed more than once; not matched`);
  }
  if (r.admin) lines.push('', `Updated the expiry of ${r.updated} record(s).`);
  lines.push('');
  lines.push(
    r.findings.length === 0
      ? `No recorded token expires within ${r.warnDays} days.`
      : r.findings
          .map((f) => `${f.severity === 'error' ? c.red('✗') : c.yellow('!')} ${f.message}`)
          .join('\n'),
  );
  return lines.join('\n');
}

/** `bbauth check-expiry`: exit 1 when a recorded token expires within N days (for cron and CI). */
export const checkExpiryCommand = defineCommand({
  meta: {
    name: 'check-expiry',
    description: 'Exit 1 when a recorded token expires within N days (for cron and CI)',
  },
  args: {
    ...globalArgs,
    days: { type: 'string', default: '30', valueHint: 'N', description: 'Warning window in days' },
    'account-id': {
      type: 'string',
      valueHint: 'ID',
      description:
        'Managed account to read token expiries for via the admin API (repeatable, or a comma list)',
    },
    'admin-key-env': {
      type: 'string',
      valueHint: 'NAME',
      description: 'Environment variable holding the organisation admin API key (default BBAUTH_ADMIN_KEY)',
    },
    'admin-url': {
      type: 'string',
      valueHint: 'URL',
      description: `Atlassian admin API origin (env BBAUTH_ADMIN_URL; default ${DEFAULT_ADMIN_URL})`,
    },
    'admin-key': {
      type: 'string',
      description: 'Refused: pass the key in the environment (BBAUTH_ADMIN_KEY), never on the command line',
    },
    'unknown-fails': {
      type: 'boolean',
      description: 'Also exit 1 for a token whose expiry nothing bounds (an access token with none recorded)',
    },
  },
  async run({ args, rawArgs }) {
    const opts = readGlobalOptions(args);
    if (args['admin-key'] !== undefined) {
      throw new UsageError(
        '--admin-key is not accepted: a key on the command line shows in ps and shell history.',
        ['Put it in BBAUTH_ADMIN_KEY (or name another variable with --admin-key-env NAME).'],
      );
    }
    const accountIds = accountIdsFrom(rawArgs);
    const keyVar = args['admin-key-env'] ?? 'BBAUTH_ADMIN_KEY';
    const key = process.env[keyVar];
    if (accountIds.length > 0 && !key) {
      throw new UsageError(`--account-id needs the organisation admin API key in ${keyVar}.`, [
        `export ${keyVar}=… (from admin.atlassian.com → Settings → API keys), then run this again.`,
      ]);
    }
    const report = await checkExpiry({
      warnDays: readDays(args.days, '--days'),
      ...(accountIds.length > 0 && key
        ? {
            admin: {
              key,
              accountIds,
              url: args['admin-url'] || process.env.BBAUTH_ADMIN_URL || DEFAULT_ADMIN_URL,
            },
          }
        : {}),
      ...(opts.verbose ? { onRequest: (label: string) => printInfo(`→ ${label}`) } : {}),
    });
    printResult(
      opts.json
        ? JSON.stringify({ schemaVersion: 1, ...report }, null, 2)
        : renderHuman(report, colors(colorEnabled(opts))),
    );
    const unknown = args['unknown-fails'] && report.rows.some((r) => r.state === 'unknown');
    if (unknown && !opts.json)
      printInfo(
        'bbauth: a recorded token has no known or bounded expiry (--unknown-fails): record it with bbauth login --expires.',
      );
    return report.findings.length > 0 || unknown ? ExitCode.findings : ExitCode.ok;
  },
});
