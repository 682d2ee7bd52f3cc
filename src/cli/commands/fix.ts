import { defineCommand } from 'citty';
import { ExitCode, UsageError } from '../../core/errors.js';
import { purgeBackups, runFix, runUndo, type FixOutcome } from '../../services/fix.js';
import {
  emailArgs,
  globalArgs,
  needArgs,
  offlineArgs,
  readEmail,
  readGlobalOptions,
  readNeed,
} from '../args.js';
import { colorEnabled, colors, printInfo, printResult } from '../output.js';
import { canPrompt, promptHelper, promptLine, promptToken, readStdin } from '../prompts.js';
import { allFailures, renderApplied, renderAppliedAll, renderPlan, renderPlanAll } from '../render/fix.js';
import { runFixAll, type FixAllOutcome } from '../../services/fix-all.js';
import type { FixPlan } from '../../core/fix/plan-types.js';
import { homedir } from 'node:os';

/** Exit status of fix and fix --all: 0 when git works everywhere it was checked (or only a plan was asked for). */
function exitCodeOf(o: FixOutcome | FixAllOutcome, dryRun = false): number {
  switch (o.status) {
    case 'applied': {
      const failed =
        'after' in o
          ? o.after.some((a) => a.fetch !== 'ok' || a.push === 'failed')
          : allFailures(o).length > 0;
      return failed ? ExitCode.findings : ExitCode.ok;
    }
    case 'nothing-to-do':
      return o.plan.manual.length > 0 ? ExitCode.findings : ExitCode.ok;
    case 'planned':
      return ExitCode.ok;
    case 'token-refused':
      return ExitCode.findings;
    case 'needs-token':
      // --dry-run printed the plan it was asked for; applying it will need the token, which it says.
      return dryRun ? ExitCode.ok : ExitCode.usage;
    default:
      return ExitCode.usage;
  }
}

/** `bbauth fix`: repair what doctor finds, safely, then prove it with git. */
export const fixCommand = defineCommand({
  meta: {
    name: 'fix',
    description:
      'Repair Bitbucket authentication for this repository (backed up, reversible, verified with git)',
  },
  args: {
    ...globalArgs,
    path: {
      type: 'positional',
      required: false,
      valueHint: 'PATH',
      description:
        'Repository (default: current directory); with --all, the folders to search (default: HOME)',
    },
    all: {
      type: 'boolean',
      description:
        'Fix every repository, credential store, .netrc and Composer auth.json on this machine in one reversible step',
    },
    'dry-run': { type: 'boolean', description: 'Print the plan and change nothing' },
    yes: { type: 'boolean', alias: 'y', description: 'Apply without asking (required without a terminal)' },
    undo: { type: 'boolean', description: 'Restore the files changed by the last fix' },
    'purge-backups': {
      type: 'boolean',
      description: 'Delete the backups of earlier fixes (they may hold old secrets)',
    },
    'with-token': { type: 'boolean', description: 'Read a new token from standard input if one is needed' },
    helper: {
      type: 'string',
      valueHint: 'NAME',
      description: 'Credential helper to configure if none applies (store, cache, …)',
    },
    ...emailArgs('Atlassian account email for the REST identity check (env BBAUTH_EMAIL)'),
    ...offlineArgs('Do not contact Bitbucket (secrets are judged by shape only)'),
    ...needArgs(
      'Access this machine needs: push, or fetch if it only pulls (a read-only token is then accepted); remembered as git config bbauth.need',
    ),
    'to-ssh': { type: 'boolean', description: 'Convert Bitbucket remotes to SSH instead (needs an SSH key)' },
  },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    const c = colors(colorEnabled(opts));
    const cwd = args.path ?? process.cwd();
    if (args['purge-backups']) {
      const n = await purgeBackups(process.env);
      printResult(opts.json ? JSON.stringify({ schemaVersion: 1, purged: n }) : `Deleted ${n} backup(s).`);
      return ExitCode.ok;
    }
    if (args.undo) {
      const r = await runUndo(process.env);
      if (!r) throw new UsageError('there is no fix to undo (no backup found).');
      printResult(
        opts.json
          ? JSON.stringify({ schemaVersion: 1, ...r })
          : `Restored ${r.restored.join(', ') || 'nothing'}${r.removed.length ? `; removed ${r.removed.join(', ')}` : ''}.`,
      );
      return ExitCode.ok;
    }
    const obtainToken = async (reason: string): Promise<string | undefined> => {
      if (args['with-token']) return readStdin();
      if (process.env.BBAUTH_TOKEN) return process.env.BBAUTH_TOKEN;
      if (!canPrompt() || args['dry-run']) return undefined;
      printInfo(`bbauth: ${reason}.`);
      return promptToken();
    };
    // What fix and fix --all take alike.
    const common = {
      endpoints: opts.endpoints,
      offline: Boolean(args.offline),
      dryRun: Boolean(args['dry-run']),
      yes: Boolean(args.yes),
      now: new Date(),
      ...readEmail(args),
      ...readNeed(args),
      ...(args.helper ? { helper: args.helper } : {}),
      obtainToken,
      ...(canPrompt()
        ? {
            confirm: async (plan: FixPlan) => {
              printInfo(renderPlan(plan, colors(colorEnabled(opts, process.stderr))));
              return /^y(es)?$/i.test(
                (await promptLine(`Apply these ${plan.steps.length} change(s)? [y/N] `)) ?? '',
              );
            },
            chooseHelper: promptHelper,
          }
        : {}),
    };
    if (args.all) {
      if (args['to-ssh']) throw new UsageError('--to-ssh works on one repository; run it without --all.');
      const home = process.env.HOME || homedir();
      const outcome = await runFixAll({
        paths: args._.map(String),
        home,
        // Without HOME, the one os.homedir() names: never the current folder.
        env: process.env.HOME ? process.env : { ...process.env, HOME: home },
        ...common,
      });
      if (opts.json) {
        printResult(JSON.stringify({ schemaVersion: 1, ...outcome }, null, 2));
        return exitCodeOf(outcome, Boolean(args['dry-run']));
      }
      if (outcome.status === 'applied') printResult(renderAppliedAll(outcome, c));
      else if (outcome.status === 'declined') printInfo('Nothing was changed.');
      else printResult(renderPlanAll(outcome, c, args._.length > 0 ? args._.map(String) : [home]));
      if (outcome.status === 'token-refused') {
        for (const l of outcome.checks) printInfo(`  checked  ${l}`);
        printInfo(`bbauth: ${outcome.reason}`);
      }
      if (outcome.status === 'needs-token')
        printInfo(
          `bbauth: ${outcome.plan.needsTokenReason ?? 'a new token is needed'}.\n  → Pipe it with --with-token (e.g. \`bbauth fix --all --with-token < token.txt\`), set BBAUTH_TOKEN, or run in a terminal.`,
        );
      if (outcome.status === 'needs-confirmation')
        printInfo(
          'bbauth: no terminal to confirm on; nothing was changed.\n  → Run again with --yes to apply this plan, or --dry-run to only print it.',
        );
      return exitCodeOf(outcome, Boolean(args['dry-run']));
    }
    const outcome = await runFix({
      cwd,
      env: process.env,
      toSsh: Boolean(args['to-ssh']),
      ...common,
    });
    if (opts.json) {
      printResult(JSON.stringify({ schemaVersion: 1, ...outcome }, null, 2));
      return exitCodeOf(outcome, Boolean(args['dry-run']));
    }
    switch (outcome.status) {
      case 'applied':
        printResult(renderApplied(outcome, c));
        break;
      case 'token-refused':
        printResult(renderPlan(outcome.plan, c));
        for (const l of outcome.checks) printInfo(`  checked  ${l}`);
        printInfo(`bbauth: ${outcome.reason}`);
        break;
      case 'needs-token':
        printResult(renderPlan(outcome.plan, c));
        printInfo(`bbauth: ${outcome.plan.needsTokenReason ?? 'a new token is needed'}.`);
        printInfo(
          '  → Pipe it with --with-token (e.g. `bbauth fix --with-token < token.txt`), set BBAUTH_TOKEN, or run in a terminal.',
        );
        break;
      case 'needs-confirmation':
        printResult(renderPlan(outcome.plan, c));
        printInfo(
          'bbauth: no terminal to confirm on; nothing was changed.\n  → Run again with --yes to apply this plan, or --dry-run to only print it.',
        );
        break;
      case 'declined':
        printInfo('Nothing was changed.');
        break;
      default:
        printResult(renderPlan(outcome.plan, c));
    }
    return exitCodeOf(outcome, Boolean(args['dry-run']));
  },
});
