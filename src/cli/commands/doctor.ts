import { defineCommand } from 'citty';
import { ExitCode, UsageError } from '../../core/errors.js';
import { registerSecret } from '../../core/secret-registry.js';
import { readStdin } from '../prompts.js';
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
    url: {
      type: 'positional',
      required: false,
      valueHint: 'URL',
      description: 'A clone URL to check instead of this repository (before there is a clone)',
    },
    'with-token': {
      type: 'boolean',
      description: 'With URL: read a token from standard input and check it for that URL (nothing is stored)',
    },
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
    const url = args._[0];
    if (args._.length > 1)
      throw new UsageError(`doctor takes one clone URL at most, got ${args._.length} arguments.`);
    if (url !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(url))
      throw new UsageError(
        'the URL must not carry a password or token: it would be visible in `ps` and shell history.',
        ['Pass the URL without it and the token with --with-token on stdin.'],
      );
    if (args['with-token'] && url === undefined)
      throw new UsageError('--with-token needs a clone URL to check the token against.', [
        'bbauth doctor https://bitbucket.org/<workspace>/<repo>.git --with-token < token.txt',
      ]);
    const token = args['with-token'] ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
    if (token !== undefined) registerSecret(token);
    const report = await runDoctor({
      warnDays,
      cwd: readCwd(args),
      endpoints: opts.endpoints,
      offline: Boolean(args.offline),
      ...(args['ask-askpass'] ? { askAskPass: true } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(token !== undefined ? { token } : {}),
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
