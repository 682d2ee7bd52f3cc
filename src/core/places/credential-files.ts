/**
 * The rules for git's plain-text credential store (`~/.git-credentials`, the XDG file, a `store --file`) and for
 * `.netrc`, shared by doctor and scan. The caller builds the use (its location says file and line); these say
 * why the place itself is a problem. What the secret is comes from the credential rules beside them.
 */
import type { SecretUse } from '../credential/use.js';
import * as advice from '../findings/advice.js';
import { finding } from '../findings/build.js';
import type { Finding } from '../model.js';

/** plaintext-credential-store for one store entry. */
export function storeEntryFinding(
  use: SecretUse,
  path: string,
  line: number,
  ctx: advice.FixContext,
): Finding {
  return finding(
    'plaintext-credential-store',
    `${path} line ${line} holds a Bitbucket secret in plain text.`,
    use.location,
    advice.storeFileFix(ctx),
    { use },
  );
}

/** secret-in-netrc for one `.netrc` entry. */
export function netrcEntryFinding(
  use: SecretUse,
  path: string,
  line: number,
  ctx: advice.FixContext,
): Finding {
  return finding(
    'secret-in-netrc',
    `${path} line ${line} holds a Bitbucket secret; curl and git both read it.`,
    use.location,
    advice.netrcFix(ctx),
    { use },
  );
}
