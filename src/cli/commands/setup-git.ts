import { defineCommand } from 'citty';
import { ExitCode, UsageError } from '../../core/errors.js';
import { setupGit, type SetupGitResult } from '../../services/setup-git.js';
import { globalArgs, readGlobalOptions } from '../args.js';
import { printInfo, printResult } from '../output.js';

function show(value: string): string {
  return value === '' ? "''" : value;
}

/** Human report: what changed, and why the empty value is there. */
export function renderSetupGit(r: SetupGitResult): string {
  const lines: string[] = [];
  if (!r.changed) {
    lines.push(`Already configured (${r.scope} config); nothing changed:`);
  } else {
    lines.push(
      `Configured git to ask bbauth for ${r.key.slice('credential.'.length, -'.helper'.length)} (${r.scope} config):`,
    );
    if (r.before.length > 0) lines.push(`  was:  ${r.before.map(show).join(', ')}`);
  }
  for (const v of r.after) {
    lines.push(
      `  ${r.key} = ${show(v)}${v === '' ? '   # reset: generic helpers (GCM, osxkeychain, store) do not answer first for this host' : ''}`,
    );
  }
  lines.push("Other hosts' helpers are unchanged.");
  return lines.join('\n');
}

/** `bbauth setup-git`: make git use git-credential-bbauth for Bitbucket, host-scoped. */
export const setupGitCommand = defineCommand({
  meta: {
    name: 'setup-git',
    description:
      'Configure git to get Bitbucket credentials from bbauth (host-scoped, like gh auth setup-git)',
  },
  args: {
    ...globalArgs,
    'token-file': {
      type: 'string',
      valueHint: 'PATH',
      description:
        'A file holding the token (a mounted secret); otherwise the helper reads BITBUCKET_API_TOKEN & co.',
    },
    global: { type: 'boolean', description: 'Write the global config (~/.gitconfig; the default)' },
    local: { type: 'boolean', description: "Write this repository's config instead" },
  },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    if (args.global && args.local) throw new UsageError('--global and --local exclude each other.');
    const result = await setupGit({
      scope: args.local ? 'local' : 'global',
      endpoints: opts.endpoints,
      cwd: process.cwd(),
      ...(args['token-file'] ? { tokenFile: args['token-file'] } : {}),
    });
    for (const w of result.warnings) printInfo(`bbauth: warning: ${w}`);
    printResult(
      opts.json ? JSON.stringify({ schemaVersion: 1, ...result }, null, 2) : renderSetupGit(result),
    );
    return ExitCode.ok;
  },
});
