/**
 * The rules for a Bitbucket remote URL, shared by doctor (remotes as git resolves them) and scan (remotes read
 * from config files on disk): a token where the username goes, a secret in the URL, and what that secret does to
 * the credential helpers. What the secret itself is and whether its username fits are credential rules
 * (findings/build.ts), applied beside these.
 */
import { isTokenLike } from '../credential/secret-class.js';
import { judgeSecret } from '../credential/verdict.js';
import type { SecretUse } from '../credential/use.js';
import * as advice from '../findings/advice.js';
import { finding } from '../findings/build.js';
import type { Finding, Location } from '../model.js';

/** What bbauth asks the helpers with in place of a token pasted into the URL's username field. */
export const TOKEN_USERNAME_STAND_IN = 'token-in-username-field';

/**
 * The username to ask the credential helpers with for a remote URL's username, as git asks them. git asks with
 * a token pasted into the username field as the username, and no helper that looks entries up by username has
 * one under it (a helper that ignores the username answers either way): a stand-in with that same property is
 * asked instead, so the token is never handed to a helper. Asking with no username would find the entry git
 * never reaches (measured with git 2.39 and the cache helper).
 */
export function helperUsername(username: string | undefined): string | undefined {
  return username && isTokenLike(username) ? TOKEN_USERNAME_STAND_IN : username;
}

/** token-in-username-field for remote `remote`; `use` is the token, when the caller holds it as one. */
export function tokenInUsernameFinding(
  remote: string,
  at: Location,
  ctx: advice.FixContext,
  use?: SecretUse,
): Finding {
  return finding(
    'token-in-username-field',
    `The URL of remote "${remote}" has a token where the username goes; git sends it in the clear in logs, and transfer.credentialsInUrl does not catch it.`,
    at,
    advice.secretOutOfUrlFix(ctx),
    use ? { use } : {},
  );
}

/**
 * secret-in-remote-url (an error when the secret is dead), and credential-in-url-overrides-helper when
 * `helpers` would otherwise be asked.
 */
export function secretInUrlFindings(
  use: SecretUse,
  remote: string,
  ctx: advice.FixContext,
  helpers: readonly string[] = [],
): Finding[] {
  const at = use.location;
  const out = [
    finding(
      'secret-in-remote-url',
      `The URL of remote "${remote}" carries a secret: it shows in \`git remote -v\`, .git/config, shell history and CI logs.`,
      at,
      advice.secretOutOfUrlFix(ctx),
      { use, severity: judgeSecret(use.class).dead ? 'error' : 'warning' },
    ),
  ];
  if (helpers.length > 0) {
    out.push(
      finding(
        'credential-in-url-overrides-helper',
        `Because the URL carries a password, git never asks ${helpers.join(', ')}; a new token stored there is ignored.`,
        at,
        advice.secretOutOfUrlFix(ctx),
        { use },
      ),
    );
  }
  return out;
}
