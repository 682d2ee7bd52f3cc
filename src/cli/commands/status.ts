import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { statusExitCode } from '../../core/status.js';
import { runStatus } from '../../services/status.js';
import {
  cwdArgs,
  globalArgs,
  needArgs,
  offlineArgs,
  readCwd,
  readDays,
  readGlobalOptions,
  readNeed,
  warnDaysArg,
} from '../args.js';
import { colorEnabled, colors, printInfo, printResult } from '../output.js';
import { renderStatusHuman, renderStatusJson } from '../render/status.js';

/** `bbauth status`: which credential git uses for Bitbucket, where from, and whether it works now. */
export const statusCommand = defineCommand({
  meta: {
    name: 'status',
    description: 'Show which Bitbucket credential git will use, where it comes from, and whether it works',
  },
  args: {
    ...globalArgs,
    ...warnDaysArg,
    ...offlineArgs('Do not contact Bitbucket; show what is known locally'),
    ...needArgs(
      'Access this machine needs: push, or fetch if it only pulls (default: git config bbauth.need, then the remotes)',
    ),
    ...cwdArgs,
  },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    if (args._.length > 0) throw new UsageError('bbauth status takes no arguments (use --cwd DIR).');
    const warnDays = readDays(args['warn-days']);
    const { view, stats } = await runStatus({
      cwd: readCwd(args),
      endpoints: opts.endpoints,
      offline: Boolean(args.offline),
      env: process.env,
      now: new Date(),
      warnDays,
      ...readNeed(args),
      ...(opts.verbose ? { onRequest: (label: string) => printInfo(`→ ${label}`) } : {}),
    });
    printResult(
      opts.json
        ? renderStatusJson(view)
        : renderStatusHuman(view, colors(colorEnabled(opts)), opts.verbose, stats),
    );
    return statusExitCode(view);
  },
});
