/**
 * The helper's command line. git runs `git credential-bbauth [options] <action>`: whatever follows `bbauth` in
 * `credential.helper = bbauth --token-file /run/secrets/x`, then the action (gitcredentials(7)), so options
 * always come before the action and the action is the last word.
 */

export type HelperAction = 'get' | 'store' | 'erase';

export interface HelperArgs {
  /** `get`, `store`, `erase`; `other` for actions git may add later (answered with silence); `none` when absent. */
  action: HelperAction | 'other' | 'none';
  tokenFile?: string;
  bitbucketUrl?: string;
  help: boolean;
  /** Options this version does not know; reported on stderr, never fatal (an older binary may meet a newer config). */
  unknown: string[];
}

const ACTIONS = new Set<string>(['get', 'store', 'erase']);
const VALUED = new Set(['--token-file', '--bitbucket-url']);

/** Parses the helper's argv (without node and the script). Never throws. */
export function parseHelperArgs(argv: readonly string[]): HelperArgs {
  const out: HelperArgs = { action: 'none', help: false, unknown: [] };
  const words = [...argv];
  const last = words.at(-1);
  // The action is the last word unless that word is the value of a valued option.
  if (last !== undefined && !last.startsWith('-') && !VALUED.has(words.at(-2) ?? '')) {
    words.pop();
    out.action = ACTIONS.has(last) ? (last as HelperAction) : 'other';
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    const name = word.startsWith('--') && eq > 0 ? word.slice(0, eq) : word;
    const inline = name === word ? undefined : word.slice(eq + 1);
    if (name === '--help' || name === '-h') {
      out.help = true;
    } else if (VALUED.has(name)) {
      const value = inline ?? words[++i];
      if (value === undefined) out.unknown.push(`${name} (missing value)`);
      else if (name === '--token-file') out.tokenFile = value;
      else out.bitbucketUrl = value;
    } else {
      // Only the option name: a value glued to an unknown option might be a secret.
      out.unknown.push(name.startsWith('-') ? name : '(argument)');
    }
  }
  return out;
}
