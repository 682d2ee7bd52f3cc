/**
 * git's own credential machinery, driven through `git credential` so every helper (store, cache, osxkeychain,
 * GCM, libsecret, ours) behaves exactly as it does for git itself. Secrets go over stdin, never argv.
 */
import {
  formatCredentialMessage,
  parseCredentialMessage,
  type CredentialMessage,
} from '../core/parse/credential-protocol.js';
import { registerSecret } from '../core/secret-registry.js';
import { runGit } from './run-git.js';

export interface FillResult {
  username?: string;
  password?: string;
  /** Raw extra keys the helper returned (password_expiry_utc…). */
  message: CredentialMessage;
}

/**
 * What the configured helpers would hand git for `url` (which may carry a username, never a password).
 * Returns undefined when no helper has anything: prompts are disabled, so git gives up instead of asking.
 */
export async function fillCredential(
  url: string,
  cwd: string,
  env?: NodeJS.ProcessEnv,
  onlyHelpers?: readonly string[],
): Promise<FillResult | undefined> {
  // `onlyHelpers`: ask just these, in this order (`-c credential.helper=` empties git's list, scoped entries too,
  // and the ones after it are the whole list), to leave out a helper that would sign in interactively.
  const only = onlyHelpers
    ? ['-c', 'credential.helper=', ...onlyHelpers.flatMap((h) => ['-c', `credential.helper=${h}`])]
    : [];
  const res = await runGit([...only, 'credential', 'fill'], {
    cwd,
    env,
    input: formatCredentialMessage({ url }) + '\n',
    timeoutMs: 20_000,
  });
  if (res.code !== 0) return undefined;
  const message = parseCredentialMessage(res.stdout);
  registerSecret(message.password);
  if (!message.password) return undefined;
  return { username: message.username, password: message.password, message };
}

/** What the askpass program answered when git asked it, or why it gave git nothing. */
export type AskResult = { answered: true; fill: FillResult } | { answered: false; why: string };

/**
 * Lets git ask the user's askpass program (GIT_ASKPASS, core.askPass, SSH_ASKPASS) for `url`'s credential, as it
 * would after the helpers had nothing: the helpers are switched off for this one call (`-c credential.helper=`
 * clears git's list, scoped entries too), so only the askpass program answers. Read-only: `fill` never stores,
 * and the terminal stays off. The program may show a dialog, so this runs only when asked to.
 */
export async function askCredential(
  url: string,
  cwd: string,
  env?: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<AskResult> {
  const res = await runGit(['-c', 'credential.helper=', 'credential', 'fill'], {
    cwd,
    env,
    input: formatCredentialMessage({ url }) + '\n',
    timeoutMs,
    allowAskPass: true,
  });
  const message = parseCredentialMessage(res.stdout);
  registerSecret(message.password);
  if (res.code === 0 && message.password)
    return { answered: true, fill: { username: message.username, password: message.password, message } };
  // Only git's own lines: the program's stderr is passed through and could hold anything.
  const gits = res.stderr.split('\n').filter((l) => /^(fatal|error): /.test(l));
  const why = gits.length > 0 ? gits.map((l) => l.replace(/^(fatal|error): /, '')).join('; ') : '';
  return { answered: false, why: why || `git exited with ${res.code}` };
}

/** Tells every helper to forget this credential (`git credential reject`). */
export async function rejectCredential(
  msg: CredentialMessage,
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  await runGit(['credential', 'reject'], { cwd, env, input: formatCredentialMessage(msg) + '\n' });
}

/** Tells every helper to store this credential (`git credential approve`). */
export async function approveCredential(
  msg: CredentialMessage,
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  registerSecret(msg.password);
  await runGit(['credential', 'approve'], { cwd, env, input: formatCredentialMessage(msg) + '\n' });
}
