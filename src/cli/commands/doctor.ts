import { defineCommand } from 'citty';
import { ExitCode } from '../../core/errors.js';
import { reportHasErrors } from '../../core/doctor/report.js';
import { runDoctor } from '../../services/doctor.js';
import {
  cwdArgs,
  emailArgs,
  needArgs,
  globalArgs,
  offlineArgs,
  readCwd,
  readDays,
  readEmail,
  readNeed,
  readGlobalOptions,
  warnDaysArg,
} from '../args.js';
import { colorEnabled, colors, printInfo, printResult } from '../output.js';
import { renderDoctorHuman, renderDoctorJson } from '../render/doctor.js';

/** `bbauth doctor`: find every Bitbucket credential this repository uses and say why it fails. */
export const doctorCommand = defineCommand({
  meta: {
    name: 'doctor',
    description:
      'Diagnose Bitbucket authentication for this repository (read-only; never prompts unless --ask-askpass)',
  },
  args: {
    ...globalArgs,
    ...warnDaysArg,
    ...offlineArgs('Do not contact Bitbucket; offline checks only'),
    ...emailArgs('Atlassian account email for the REST identity check (env BBAUTH_EMAIL)'),
    ...needArgs(
      'Access this machine needs: push, or fetch if it only pulls (default: git config bbauth.need, then the remotes)',
    ),
    'ask-askpass': {
      type: 'boolean',
      description:
        'Let git ask the askpass program (GIT_ASKPASS, core.askPass) once where it would, and check its answer (it may show a dialog)',
    },
    ...cwdArgs,
  },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    const warnDays = readDays(args['warn-days']);
    const report = await runDoctor({
      warnDays,
      cwd: readCwd(args),
      endpoints: opts.endpoints,
      offline: Boolean(args.offline),
      ...(args['ask-askpass'] ? { askAskPass: true } : {}),
      ...readEmail(args),
      ...readNeed(args),
      ...(opts.verbose ? { onRequest: (label: string) => printInfo(`→ ${label}`) } : {}),
    });
    printResult(
      opts.json
        ? renderDoctorJson(report)
        : renderDoctorHuman(report, colors(colorEnabled(opts)), opts.verbose),
    );
    return reportHasErrors(report) ? ExitCode.findings : ExitCode.ok;
  },
});
