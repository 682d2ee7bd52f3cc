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
): Promise<FillResult | undefined> {
  const res = await runGit(['credential', 'fill'], {
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
