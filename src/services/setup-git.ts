/**
 * `bbauth setup-git`: makes git ask bbauth for Bitbucket credentials, host-scoped like `gh auth setup-git`.
 *
 * It writes `credential.<bitbucket-url>.helper` as an empty value followed by `bbauth …`. git collects helpers
 * from every matching key in config order and an empty value clears the list so far (gitcredentials(7)), so
 * the reset keeps a generic `credential.helper` (Git Credential Manager, osxkeychain, store) from answering
 * first for Bitbucket (GCM would prompt, or re-validate the token against the REST API and drop it; facts §8.5).
 * Other hosts never match this key, so their helpers are untouched. Running it twice changes nothing.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { DEFAULT_BITBUCKET_URL, type Endpoints } from '../core/endpoints.js';
import { AbortError } from '../core/errors.js';
import { shellWord } from '../core/shell.js';
import { judgeToken } from '../core/helper/tokens.js';
import { helperKind } from '../core/parse/credential-helpers.js';
import { addConfig, setConfig } from '../git/config.js';
import { runGit } from '../git/run-git.js';

export interface SetupGitOptions {
  scope: 'global' | 'local';
  tokenFile?: string;
  endpoints: Endpoints;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface SetupGitResult {
  key: string;
  scope: 'global' | 'local';
  before: string[];
  after: string[];
  changed: boolean;
  /** Things that will stop the helper from working, said before git hits them. */
  warnings: string[];
}

/** The helper value: `bbauth`, plus the options the helper cannot guess. */
export function helperValue(endpoints: Endpoints, tokenFile?: string): string {
  const words = ['bbauth'];
  // The helper answers only for its --bitbucket-url; git does not pass the config key's URL along.
  // git runs the value through the shell: every word that is not bbauth's own is quoted.
  if (endpoints.bitbucketUrl !== DEFAULT_BITBUCKET_URL)
    words.push('--bitbucket-url', shellWord(endpoints.bitbucketUrl));
  if (tokenFile) words.push('--token-file', shellWord(tokenFile));
  return words.join(' ');
}

/** The key's values in `scope`, in order (empty values included). */
async function readValues(key: string, opts: SetupGitOptions): Promise<string[]> {
  const res = await runGit(['config', `--${opts.scope}`, '-z', '--get-all', key], {
    cwd: opts.cwd,
    env: opts.env,
  });
  if (res.code === 1) return [];
  if (res.code !== 0) {
    throw new AbortError(`git could not read its ${opts.scope} configuration: ${res.stderr.trim()}`, [
      opts.scope === 'local'
        ? 'Run it inside the repository, or use --global.'
        : 'Fix the file git names above.',
    ]);
  }
  return res.stdout.split('\0').slice(0, -1);
}

async function writeValues(key: string, values: string[], opts: SetupGitOptions): Promise<void> {
  const target = { scope: opts.scope };
  const io = { cwd: opts.cwd, env: opts.env };
  for (const [i, value] of values.entries()) {
    if (i === 0) await setConfig(target, key, value, { ...io, replaceAll: true });
    else await addConfig(target, key, value, io);
  }
}

function isOnPath(name: string, env: NodeJS.ProcessEnv): boolean {
  const exts = process.platform === 'win32' ? ['.cmd', '.exe', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const ext of exts) {
      try {
        accessSync(join(dir || '.', name + ext), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** What would stop the helper from answering: a missing program or an unusable token file. */
function checkSetup(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  if (!isOnPath('git-credential-bbauth', env)) {
    warnings.push(
      'git-credential-bbauth is not on PATH, so git cannot run the helper: install bbauth globally (npm install -g bbauth).',
    );
  }
  if (tokenFile === undefined) return warnings;
  let content: string;
  try {
    content = readFileSync(tokenFile, 'utf8');
  } catch (e) {
    warnings.push(
      `cannot read ${tokenFile} (${(e as NodeJS.ErrnoException).code}); the helper will answer nothing until it can.`,
    );
    return warnings;
  }
  if (process.platform !== 'win32' && (statSync(tokenFile).mode & 0o077) !== 0) {
    warnings.push(`${tokenFile} is readable by other users; restrict it: chmod 600 ${shellWord(tokenFile)}`);
  }
  const judged = judgeToken(content.replace(/(\r?\n)+$/, ''), `token file ${tokenFile}`, 'file');
  if (!judged.token && judged.note) warnings.push(`${judged.note}.`);
  return warnings;
}

/** Configures the helper for the Bitbucket origin in `scope`; idempotent. */
export async function setupGit(opts: SetupGitOptions): Promise<SetupGitResult> {
  const env = opts.env ?? process.env;
  const tokenFile = opts.tokenFile === undefined ? undefined : resolve(opts.cwd, opts.tokenFile);
  const key = `credential.${opts.endpoints.bitbucketUrl}.helper`;
  const before = await readValues(key, opts);
  // Helpers the user had for this host stay, after bbauth, as fallbacks; old bbauth lines are replaced.
  const others = before.filter((v) => v !== '' && helperKind(v) !== 'bbauth');
  const after = ['', helperValue(opts.endpoints, tokenFile), ...others];
  const changed = JSON.stringify(before) !== JSON.stringify(after);
  if (changed) await writeValues(key, after, opts);
  return { key, scope: opts.scope, before, after, changed, warnings: checkSetup(tokenFile, env) };
}
