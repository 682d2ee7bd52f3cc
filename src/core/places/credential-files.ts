/**
 * The rules for git's plain-text credential store (`~/.git-credentials`, the XDG file, a `store --file`) and for
 * `.netrc`, shared by doctor and scan. The caller builds the use (its location says file and line); these say
 * why the place itself is a problem. What the secret is comes from the credential rules beside them.
 */
import type { SecretUse } from '../credential/use.js';
import * as advice from '../findings/advice.js';
import { finding } from '../findings/build.js';
import type { Finding } from '../model.js';

const RULES = {
  store: {
    id: 'plaintext-credential-store',
    says: 'holds a Bitbucket secret in plain text.',
    fix: advice.storeFileFix,
  },
  netrc: {
    id: 'secret-in-netrc',
    says: 'holds a Bitbucket secret; curl and git both read it.',
    fix: advice.netrcFix,
  },
} as const;

function entryFinding(
  place: keyof typeof RULES,
  use: SecretUse,
  path: string,
  line: number,
  ctx: advice.FixContext,
): Finding {
  const rule = RULES[place];
  return finding(rule.id, `${path} line ${line} ${rule.says}`, use.location, rule.fix(ctx), { use });
}

/** plaintext-credential-store for one store entry. */
export const storeEntryFinding = (use: SecretUse, path: string, line: number, ctx: advice.FixContext) =>
  entryFinding('store', use, path, line, ctx);

/** secret-in-netrc for one `.netrc` entry. */
export const netrcEntryFinding = (use: SecretUse, path: string, line: number, ctx: advice.FixContext) =>
  entryFinding('netrc', use, path, line, ctx);
