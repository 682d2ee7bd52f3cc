/**
 * The exact commands that fix each finding, with the user's real remote, workspace and repository filled in.
 * Placeholders (`<…>`) only for what bbauth cannot know. Every git command that `bbauth fix` would also run is
 * rendered from the very step it executes (steps/commands.ts). No secret ever goes in.
 */
import type { CredentialKind, Fix } from '../model.js';
import { ACCESS_TOKEN_ADVICE, NEW_TOKEN_ADVICE, TOKEN_PAGE } from '../token/new-token.js';
import { gitUsernameFor } from '../token/usernames.js';
import { gcmWorkaroundSteps, setRemoteUrlStep, stepCommand } from '../steps/commands.js';
import type { FixStep } from '../steps/types.js';

export interface FixContext {
  remote?: string;
  /** `https://bitbucket.org` */
  origin: string;
  workspace?: string;
  repo?: string;
  kind?: CredentialKind;
  username?: string;
  /** Where a store/netrc entry lives. */
  file?: string;
  configKey?: string;
  /** The config file a key lives in, for commands that edit it there. */
  configFile?: string;
}

export { NEW_TOKEN_ADVICE, TOKEN_PAGE };

export { gitUsernameFor };

/** `https://x-bitbucket-api-token-auth@bitbucket.org/ws/repo.git` for the context. */
export function cleanRemoteUrl(ctx: FixContext, kind: CredentialKind | undefined = ctx.kind): string {
  const [scheme, rest] = ctx.origin.split('://');
  const path = ctx.workspace && ctx.repo ? `${ctx.workspace}/${ctx.repo}.git` : '<workspace>/<repo>.git';
  return `${scheme}://${gitUsernameFor(kind)}@${rest}/${path}`;
}

function hostOf(origin: string): { protocol: string; host: string } {
  const [protocol, host] = origin.split('://');
  return { protocol: protocol ?? 'https', host: host ?? origin };
}

/** Shell line that makes every helper forget a credential for the host (and username, when known). */
export function rejectCommand(origin: string, username?: string): string {
  const { protocol, host } = hostOf(origin);
  const user = username ? `username=${username}\\n` : '';
  return `printf 'protocol=${protocol}\\nhost=${host}\\n${user}\\n' | git credential reject`;
}

function setUrl(ctx: FixContext, kind?: CredentialKind): string {
  return stepCommand(setRemoteUrlStep(ctx.remote ?? 'origin', cleanRemoteUrl(ctx, kind)))!;
}

const commandsOf = (steps: FixStep[]) => steps.flatMap((s) => stepCommand(s) ?? []);

/** Replace a dead credential: new token into the helper, remote URL cleaned. */
export function replaceCredentialFix(ctx: FixContext, summary: string): Fix {
  // An access token is replaced by another access token (same username), anything else by an API token.
  const access = ctx.kind === 'access-token';
  const commands = [];
  if (ctx.remote) commands.push(setUrl(ctx, access ? 'access-token' : 'api-token'));
  commands.push(rejectCommand(ctx.origin, ctx.username), 'bbauth login');
  return {
    summary: `${summary} ${access ? ACCESS_TOKEN_ADVICE : NEW_TOKEN_ADVICE}; then store it with \`bbauth login\` (or \`bbauth fix\`).`,
    commands,
  };
}

/** Move a secret out of the remote URL into the credential helper. */
export function secretOutOfUrlFix(ctx: FixContext): Fix {
  return {
    summary:
      'Take the secret out of the URL and let a credential helper hand it to git (`bbauth fix` does both).',
    commands: [setUrl(ctx), 'bbauth login'],
  };
}

/** Use the username git accepts for this kind. */
export function usernameFix(ctx: FixContext, kind: CredentialKind | undefined): Fix {
  const user = gitUsernameFor(kind);
  const commands = ctx.remote ? [setUrl(ctx, kind)] : [];
  commands.push(rejectCommand(ctx.origin, ctx.username), 'bbauth login');
  return {
    summary: `Use the username ${user} for git with this credential (\`bbauth fix\` rewrites it).`,
    commands,
  };
}

/** Add the scopes a token lacks: a new token is needed (scopes cannot be edited). */
export function scopeFix(ctx: FixContext, scopes: string[]): Fix {
  return {
    summary: `Scopes of an existing token cannot be changed: ${ctx.kind === 'access-token' ? `create a new access token (repository, project or workspace settings → Access tokens) with ${scopes.join(' and ')}` : `create a new API token with ${scopes.join(' and ')} at ${TOKEN_PAGE}`}, then store it with \`bbauth login\`.`,
    commands: [rejectCommand(ctx.origin, ctx.username), 'bbauth login'],
  };
}

/** Remove a plain-text store entry and keep the secret in a safer helper. */
export function storeFileFix(ctx: FixContext): Fix {
  return {
    summary: `To keep the token out of plain text, replace \`store\` in your credential.helper setting with your platform's keychain helper (osxkeychain, manager, libsecret), erase the Bitbucket entry from ${ctx.file ?? 'the file'} and store the token again with \`bbauth login\`. On a server that must keep \`store\`, \`bbauth fix\` narrows the file to mode 0600 so only you can read it.`,
    commands: [rejectCommand(ctx.origin, ctx.username), 'bbauth login'],
  };
}

/** GCM re-validates stored credentials via /2.0/user with the git username; turn that off. */
export function gcmFix(ctx: FixContext): Fix {
  return {
    summary:
      'Tell Git Credential Manager not to re-validate Bitbucket credentials, and store the token under the static username.',
    commands: [...commandsOf(gcmWorkaroundSteps()), rejectCommand(ctx.origin), 'bbauth login'],
  };
}

/** Give git a credential to send: a token stored through the helpers, or answered from the environment on servers. */
export function storeTokenFix(): Fix {
  return {
    summary:
      "Store a token where git will find it: `bbauth login` checks it and stores it through git's credential helper (configuring one if none applies). On servers and in CI, `bbauth setup-git` answers from BITBUCKET_API_TOKEN or a token file instead.",
    commands: ['bbauth login'],
  };
}

/** Configure a helper scoped to the Bitbucket host. */
export function helperFix(ctx: FixContext): Fix {
  return {
    summary:
      'Configure a credential helper for Bitbucket so git stops prompting (`bbauth login` picks the platform keychain).',
    commands: [
      'bbauth login',
      `git config --global credential.${ctx.origin}.helper <osxkeychain|manager|libsecret|store>`,
    ],
  };
}

/**
 * A keychain helper that cannot reach its keyring: `bbauth login` would store through it in vain (git ignores the
 * failure), so Bitbucket gets a helper of its own that needs no keyring, ahead of the broken one.
 */
export function keychainFix(ctx: FixContext, helper: string): Fix {
  const key = `credential.${ctx.origin}.helper`;
  return {
    summary: `git cannot keep a token in "${helper}" here: its keyring does not answer (on Linux, no Secret Service, as on a server or container without a desktop session), and \`bbauth login\` would store through it in vain. Give Bitbucket a helper that needs no keyring: \`store\` (a plain-text file only your user can read) as below, or \`bbauth setup-git\` on servers and in CI (answers from BITBUCKET_API_TOKEN or a token file); or start a keyring (gnome-keyring-daemon in a D-Bus session) before git runs.`,
    commands: [
      `git config --global --replace-all ${key} ''`,
      `git config --global --add ${key} store`,
      'bbauth login',
    ],
  };
}

/** Drop an Authorization extra header. */
export function extraHeaderFix(ctx: FixContext): Fix {
  const key = ctx.configKey ?? 'http.extraHeader';
  // Without a file (a -c or GIT_CONFIG_PARAMETERS entry), the user's global file is the likeliest home.
  const unset = ctx.configFile
    ? stepCommand({ action: 'unset-config', key, file: ctx.configFile, why: '' })!
    : `git config --global --unset-all ${key}`;
  return {
    summary: `Remove the fixed Authorization header (${key}); let the credential helper supply Basic credentials.`,
    commands: [unset, 'bbauth login'],
  };
}

/** Remove a .netrc entry. */
export function netrcFix(ctx: FixContext): Fix {
  return {
    summary: `Delete the "machine ${hostOf(ctx.origin).host}" entry from ${ctx.file ?? '~/.netrc'} and keep the token in a credential helper.`,
    commands: ['bbauth fix', 'bbauth login'],
  };
}

/** git-credential-oauth needs a storage helper before it (its own README's setup): cache, or a keychain. */
export function oauthOrderFix(oauth: string): Fix {
  return {
    summary: `Put a storage helper before git-credential-oauth so the token it gets is kept (OAuth tokens last 2 hours; the helper renews them), or use an API token on machines without a browser (\`bbauth login\`).`,
    commands: [
      'git config --global --unset-all credential.helper',
      'git config --global --add credential.helper "cache --timeout 21600"',
      `git config --global --add credential.helper ${oauth}`,
    ],
  };
}
