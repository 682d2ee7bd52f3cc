/**
 * Which token the helper may offer, from the places CI systems and servers put one: environment variables
 * first, then a token file named in the helper config (a mounted secret). Only clean API and access tokens are
 * offered; anything else is left for the next helper, with one stderr line saying why (fingerprint only).
 */
import { classifySecret } from '../credential/secret-class.js';
import { ACCESS_TOKEN_USERNAME, API_TOKEN_GIT_USERNAME } from '../credential/pairing.js';
import { fingerprint } from '../redact.js';
import { judgeSecret } from '../credential/verdict.js';

/** Environment variables read, in this order; the first one set decides. */
export const TOKEN_ENV_VARS = ['BITBUCKET_API_TOKEN', 'BITBUCKET_ACCESS_TOKEN', 'BBAUTH_TOKEN'] as const;

/** What reading the `--token-file` gave: its content, or the error code. */
export interface TokenFileRead {
  path: string;
  content?: string;
  error?: string;
}

export interface OfferedToken {
  secret: string;
  kind: 'api-token' | 'access-token';
  /** The git username that fits the kind (facts §1.1, §5). */
  username: string;
  /** `env:BITBUCKET_API_TOKEN` or `file:/run/secrets/x`. */
  source: string;
  /** How the source is named on stderr: `BITBUCKET_API_TOKEN`, `token file /run/secrets/x`. */
  label: string;
}

export interface TokenChoice {
  token?: OfferedToken;
  /** One line for stderr (no `bbauth:` prefix): why nothing is offered, or a repair that was made. */
  note?: string;
}

const REPAIRABLE = new Set(['whitespace', 'newline']);

/** Judges one value from one source. */
export function judgeToken(raw: string, label: string, source: string): TokenChoice {
  const c = classifySecret(raw);
  const v = judgeSecret(c);
  const fp = fingerprint(c.repaired ?? raw.trim());
  const refuse = (what: string) => ({ note: `${label} ${what} — not offering it` });
  const offer = (secret: string) => ({
    secret,
    kind: c.kind as OfferedToken['kind'],
    username: c.kind === 'access-token' ? ACCESS_TOKEN_USERNAME : API_TOKEN_GIT_USERNAME,
    source,
    label,
  });
  if (v.usable) return { token: offer(raw) };
  switch (v.unusable) {
    case 'damaged':
      // Spaces or line breaks around a checksum-valid token are paste slips with one possible reading.
      if (v.repair && v.repair.damage.every((p) => REPAIRABLE.has(p))) {
        return {
          token: offer(v.repair.value),
          note: `${label} has whitespace around the token (${fp}); offering the token without it`,
        };
      }
      return refuse(`holds a token with stray characters (${c.problems.join(', ')}) (${fp})`);
    case 'checksum':
      return refuse(`holds a token whose checksum does not match (${fp}): it was truncated or altered`);
    case 'app-password':
      return refuse(`holds an app password (${fp}); app passwords were removed 2026-07-28`);
    case 'datacenter-token':
      return refuse(`holds a Bitbucket Data Center token (${fp}); Bitbucket Cloud does not accept it`);
    case 'legacy-secret':
      return refuse(`holds a bare ${c.length}-character secret (${fp}), an old app password or token`);
    default:
      return refuse(`does not hold a Bitbucket Cloud API or access token (${fp})`);
  }
}

/** Picks the token to offer from the environment, then the token file. Pure. */
export function chooseToken(env: Record<string, string | undefined>, file?: TokenFileRead): TokenChoice {
  for (const name of TOKEN_ENV_VARS) {
    const value = env[name];
    if (value) return judgeToken(value, name, `env:${name}`);
  }
  if (!file) {
    return {
      note: `no token in ${TOKEN_ENV_VARS.join(', ')} and no --token-file configured — not answering`,
    };
  }
  const label = `token file ${file.path}`;
  if (file.content === undefined) {
    return { note: `cannot read ${label} (${file.error ?? 'unreadable'}) — not answering` };
  }
  // `echo "$TOKEN" > file` and most secret mounts end in a newline: that is the file format, not damage.
  const content = file.content.replace(/(\r?\n)+$/, '');
  if (content === '') return { note: `${label} is empty — not answering` };
  return judgeToken(content, label, `file:${file.path}`);
}
