/**
 * What access this machine needs: `push` (a developer's checkout) or `fetch` only (a deploy server, a CI job that
 * only pulls). It decides whether a read-only token is enough, so doctor, status, fix, login and the helper all
 * read it from here. Order: `--need`, then `git config bbauth.need` (what an earlier `fix`/`login --need`
 * remembered), then the repository's own word: when no Bitbucket HTTP(S) remote is pushed to (every push URL
 * points elsewhere, e.g. `git remote set-url --push origin no_push`), fetch is all it needs. Otherwise push.
 */
import { UsageError } from '../errors.js';
import type { ConfigEntry } from '../parse/git-config.js';

export type Need = 'fetch' | 'push';

/** Where the need came from, for the report: `repository` = the rule above; `default` = nothing said. */
export type NeedSource = 'flag' | 'config' | 'repository' | 'default';

export interface NeedChoice {
  value: Need;
  source: NeedSource;
}

export const NEED_CONFIG_KEY = 'bbauth.need';

/** Parses a `--need` value or a `bbauth.need` config value; UsageError naming where it came from. */
export function parseNeed(raw: string, where: string): Need {
  const v = raw.trim().toLowerCase();
  if (v === 'fetch' || v === 'push') return v;
  throw new UsageError(`${where} must be "fetch" or "push", got "${raw}".`, [
    'Use fetch on a machine that only pulls (a read-only token is then enough), push where it also pushes.',
    `To forget a remembered value: git config --unset ${NEED_CONFIG_KEY}`,
  ]);
}

/**
 * The need for one run. `pushes`: whether some Bitbucket HTTP(S) remote of the repository is pushed to
 * (undefined outside a repository or with no such remote).
 */
export function resolveNeed(
  flag: string | undefined,
  config: readonly ConfigEntry[],
  pushes: boolean | undefined,
): NeedChoice {
  if (flag !== undefined) return { value: parseNeed(flag, '--need'), source: 'flag' };
  // git's rule for single-valued keys: the last one wins.
  const entry = config.filter((e) => e.key === NEED_CONFIG_KEY).at(-1);
  if (entry?.value !== undefined)
    return { value: parseNeed(entry.value, `git config ${NEED_CONFIG_KEY}`), source: 'config' };
  if (pushes === false) return { value: 'fetch', source: 'repository' };
  return { value: 'push', source: 'default' };
}

/** Whether a Bitbucket HTTP(S) remote entry is pushed to; undefined when there is none. */
export function pushesToBitbucket(
  remotes: readonly { bitbucket: boolean; url: { scheme: string }; direction: 'fetch' | 'push' | 'both' }[],
): boolean | undefined {
  const https = remotes.filter((r) => r.bitbucket && (r.url.scheme === 'https' || r.url.scheme === 'http'));
  return https.length === 0 ? undefined : https.some((r) => r.direction !== 'fetch');
}

/** The sentence that says why, for human output: "fetch only (git config bbauth.need)". */
export function describeNeed(need: NeedChoice): string {
  const what = need.value === 'fetch' ? 'fetch only' : 'fetch and push';
  switch (need.source) {
    case 'flag':
      return `${what} (--need ${need.value})`;
    case 'config':
      return `${what} (git config ${NEED_CONFIG_KEY})`;
    case 'repository':
      return `${what} (no Bitbucket remote is pushed to)`;
    case 'default':
      return what;
  }
}
