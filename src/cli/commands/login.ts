import { defineCommand } from 'citty';
import { registerSecret } from '../../core/secret-registry.js';
import { ensureNoTokenInArgv, runLogin } from '../../services/login.js';
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
import { canPrompt, obtainToken, promptHelper, promptLine } from '../prompts.js';
import { renderLogin } from '../render/login.js';

/** `bbauth login`: check a token, store it in git's credential helper, record its metadata. */
export const loginCommand = defineCommand({
  meta: { name: 'login', description: 'Check a Bitbucket API token and store it where git will find it' },
  args: {
    ...globalArgs,
    'with-token': { type: 'boolean', description: 'Read the token from standard input' },
    username: {
      type: 'string',
      valueHint: 'USER',
      description: 'Your Bitbucket username, to store the token under instead of x-bitbucket-api-token-auth',
    },
    ...emailArgs('Atlassian account email (REST identity check; env BBAUTH_EMAIL)'),
    expires: {
      type: 'string',
      valueHint: 'YYYY-MM-DD',
      description: "The token's expiry date, for expiry warnings",
    },
    helper: {
      type: 'string',
      valueHint: 'NAME',
      description:
        'Credential helper to configure if none applies (store, cache, osxkeychain, manager, libsecret)',
    },
    ...needArgs(
      'Access this machine needs: push, or fetch if it only pulls (a read-only token is then accepted); remembered as git config bbauth.need',
    ),
    ...offlineArgs('Store without checking the token online (the same as --no-verify)'),
    verify: {
      type: 'boolean',
      default: true,
      description: 'Check the token online before storing it (--no-verify: store it unchecked)',
    },
    url: {
      type: 'string',
      valueHint: 'URL',
      description: 'A clone URL to check the token against when not in a repository',
    },
  },
  async run({ args }) {
    ensureNoTokenInArgv(args._);
    const opts = readGlobalOptions(args);
    const raw = await obtainToken(Boolean(args['with-token']), 'login');
    registerSecret(raw.trim());
    let expires = args.expires;
    if (!expires && canPrompt() && !args['with-token']) {
      expires = await promptLine('Expiry date shown on the token page (YYYY-MM-DD, Enter to skip): ');
    }
    const now = new Date();
    const result = await runLogin({
      cwd: process.cwd(),
      env: process.env,
      endpoints: opts.endpoints,
      rawToken: raw,
      ...(args.username !== undefined ? { username: args.username } : {}),
      offline: Boolean(args.offline) || args.verify === false,
      ...(args.url ? { url: args.url } : {}),
      ...(canPrompt()
        ? {
            askUrl: () =>
              promptLine(
                'Nothing here to check the token against. Clone URL of a repository it should reach (Enter to skip): ',
              ),
          }
        : {}),
      now,
      ...readEmail(args),
      ...readNeed(args),
      ...(expires ? { expires } : {}),
      ...(args.helper ? { helper: args.helper } : {}),
      ...(canPrompt() ? { chooseHelper: promptHelper } : {}),
    });
    if (opts.json) printResult(JSON.stringify({ schemaVersion: 1, ...result }, null, 2));
    else {
      const text = renderLogin(result, colors(colorEnabled(opts, process.stderr)));
      if (result.stored) printResult(text);
      else printInfo(text);
    }
    if (!result.stored) return 1;
    return 0;
  },
});
