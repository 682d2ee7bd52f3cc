import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { isTokenLike } from '../../core/credential/secret-class.js';
import { registerSecret } from '../../core/secret-registry.js';
import { runRotate, type RotateResult } from '../../services/rotate.js';
import { emailArgs, globalArgs, networkArgs, readEmail, readGlobalOptions } from '../args.js';
import { colorEnabled, colors, printResult, type Colors } from '../output.js';
import { obtainToken } from '../prompts.js';

function render(r: RotateResult, c: Colors): string {
  const out = [
    `${r.applied ? c.bold('Rotated') : c.bold('Would rotate')} ${r.old} → ${r.new}`,
    ...r.checks.map((l) => `  ${c.dim('check')}   ${l}`),
  ];
  for (const p of r.places)
    out.push(
      `  ${r.applied ? c.green('✔') : '•'} ${p.kind === 'file' ? `${p.where}${p.line ? `:${p.line}` : ''}` : `credential helper, username ${p.username}`}`,
    );
  for (const v of r.verified)
    out.push(
      `  ${c.dim('git')}     ${v.repository} (${v.remote}): fetch ${v.fetch === 'ok' ? c.green('ok') : c.red(v.fetch)}`,
    );
  for (const n of r.notes) out.push(`  ${c.dim('note')}    ${n}`);
  if (r.backup) out.push('', `Backup: ${r.backup} — \`bbauth fix --undo\` restores the files.`);
  if (r.applied) out.push(`bbauth's records retire ${r.old}: check-expiry no longer warns about it.`);
  return out.join('\n');
}

/** `bbauth rotate`: replace an old token with a new one everywhere on this machine. */
export const rotateCommand = defineCommand({
  meta: {
    name: 'rotate',
    description: 'Replace an old token with a new one in every place on this machine that holds it',
  },
  args: {
    ...globalArgs,
    ...networkArgs,
    'with-token': { type: 'boolean', description: 'Read the new token from standard input' },
    old: {
      type: 'string',
      valueHint: 'FINGERPRINT',
      description:
        'The token to replace, by the fingerprint bbauth prints (default: the only one of its kind found)',
    },
    ...emailArgs('Atlassian account email, to check the new token against the REST API (env BBAUTH_EMAIL)'),
    'dry-run': { type: 'boolean', description: 'Check the new token and list the places; change nothing' },
    paths: {
      type: 'positional',
      required: false,
      description: 'Where to look (default: HOME and the global git config)',
    },
  },
  async run({ args }) {
    if (args._.some((a) => isTokenLike(a)))
      throw new UsageError(
        'a token on the command line would be visible in `ps` and shell history; bbauth rotate takes only paths.',
        ['Pipe the new token with --with-token, paste it at the hidden prompt, or set BBAUTH_TOKEN.'],
      );
    const opts = readGlobalOptions(args);
    const raw = await obtainToken(Boolean(args['with-token']), 'rotate');
    registerSecret(raw.trim());
    const result = await runRotate({
      cwd: process.cwd(),
      env: process.env,
      endpoints: opts.endpoints,
      rawToken: raw,
      paths: args._,
      dryRun: Boolean(args['dry-run']),
      now: new Date(),
      ...(args.old ? { old: args.old } : {}),
      ...readEmail(args),
    });
    printResult(
      opts.json
        ? JSON.stringify({ schemaVersion: 1, ...result }, null, 2)
        : render(result, colors(colorEnabled(opts))),
    );
    return result.verified.some((v) => v.fetch !== 'ok') ? 1 : 0;
  },
});
