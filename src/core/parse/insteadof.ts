/**
 * `url.<base>.insteadOf` / `url.<base>.pushInsteadOf` rewriting, following git's remote.c (alias_url and
 * alias_all_urls): the longest matching prefix wins, the first one configured wins a tie, and pushInsteadOf
 * only applies to a remote's `url` when that remote has no `pushurl`.
 */
import { splitKey, type ConfigEntry } from './git-config.js';

interface Rule {
  base: string;
  prefix: string;
}

/** Rules in git's order: bases by first appearance, then their prefixes in config order. */
function rulesFor(entries: readonly ConfigEntry[], variable: 'insteadof' | 'pushinsteadof'): Rule[] {
  const byBase = new Map<string, string[]>();
  for (const e of entries) {
    const k = splitKey(e.key);
    if (k.section !== 'url' || k.subsection === undefined) continue;
    // git keeps one list per variable; a base's first appearance in it fixes its place in the tie-break.
    if (k.variable !== variable || e.value === undefined) continue;
    const prefixes = byBase.get(k.subsection);
    if (prefixes) prefixes.push(e.value);
    else byBase.set(k.subsection, [e.value]);
  }
  const rules: Rule[] = [];
  for (const [base, prefixes] of byBase) for (const prefix of prefixes) rules.push({ base, prefix });
  return rules;
}

function alias(url: string, rules: readonly Rule[]): string | undefined {
  let best: Rule | undefined;
  for (const r of rules) {
    if (url.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  }
  return best ? best.base + url.slice(best.prefix.length) : undefined;
}

/**
 * Rewrites one URL. `forPush` treats it as a remote's `url` used for pushing when the remote has no
 * `pushurl` (pushInsteadOf first, then insteadOf); a `pushurl` itself only takes insteadOf, so pass false.
 */
export function rewriteUrl(url: string, entries: readonly ConfigEntry[], forPush: boolean): string {
  if (forPush) {
    const pushed = alias(url, rulesFor(entries, 'pushinsteadof'));
    if (pushed !== undefined) return pushed;
  }
  return alias(url, rulesFor(entries, 'insteadof')) ?? url;
}

/**
 * The URLs git really fetches from and pushes to for a remote (what `git remote get-url [--push] --all`
 * prints): pushurls get insteadOf; without pushurls, urls matching a pushInsteadOf become the push URLs,
 * and if none match, push uses the insteadOf-rewritten urls.
 */
export function effectiveRemoteUrls(
  remote: { urls: readonly string[]; pushUrls: readonly string[] },
  entries: readonly ConfigEntry[],
): { fetch: string[]; push: string[] } {
  const insteadOf = rulesFor(entries, 'insteadof');
  const fetch = remote.urls.map((u) => alias(u, insteadOf) ?? u);
  if (remote.pushUrls.length > 0)
    return { fetch, push: remote.pushUrls.map((u) => alias(u, insteadOf) ?? u) };
  const pushInsteadOf = rulesFor(entries, 'pushinsteadof');
  const pushAliases = remote.urls.flatMap((u) => {
    const p = alias(u, pushInsteadOf);
    return p === undefined ? [] : [p];
  });
  return { fetch, push: pushAliases.length > 0 ? pushAliases : fetch };
}
