/**
 * What `git credential fill` would return when every helper for the URL is `store`: answered from the
 * credential-store files doctor has already parsed, by git-credential-store's own rule (files in order, first
 * line whose protocol, host, and — when asked — username and path match exactly). Saves a git + sh + helper
 * spawn per remote on servers, where `store` is the usual helper. Any other helper: undefined (ask git).
 */
import type { StoredCredential } from '../parse/credential-store.js';

export interface StoreQuestion {
  protocol: string;
  /** `host[:port]`, as git formats it. */
  host: string;
  username?: string;
  /** Only when credential.useHttpPath is set. */
  path?: string;
}

/** The files a `store` helper reads, or undefined when `helper` is not git-credential-store. */
export function storeFilesOf(
  helper: string,
  defaults: readonly string[],
  home: string | undefined,
): string[] | undefined {
  const m = /^store(?:\s+(.*))?$/.exec(helper.trim());
  if (!m) return undefined;
  const args = m[1] ?? '';
  if (args.trim() === '') return [...defaults];
  const file = /^--file(=|\s+)(?:"([^"]+)"|'([^']+)'|(\S+))\s*$/.exec(args.trim());
  if (!file) return undefined; // arguments we do not understand: let git answer
  // git runs the helper through sh, which expands `~` only at the start of a word (`--file ~/x`), not in
  // `--file=~/x`; and a relative path is relative to wherever git runs. Anything but an absolute path: ask git.
  const unquoted = file[4];
  let path = file[2] ?? file[3] ?? unquoted!;
  if (unquoted && file[1] !== '=' && home) path = path.replace(/^~(?=\/)/, home);
  return path.startsWith('/') ? [path] : undefined;
}

/**
 * The answer, `null` for "no helper has one" (git would prompt), or undefined when the chain is not
 * store-only and git itself must be asked.
 */
export function answerFromStores(
  helpers: readonly string[],
  question: StoreQuestion,
  files: ReadonlyMap<string, readonly StoredCredential[]>,
  defaults: readonly string[],
  home: string | undefined,
): { username?: string; password: string } | null | undefined {
  if (helpers.length === 0) return undefined;
  const order: string[] = [];
  for (const h of helpers) {
    const f = storeFilesOf(h, defaults, home);
    if (!f) return undefined;
    order.push(...f);
  }
  for (const path of order) {
    for (const e of files.get(path) ?? []) {
      if (!e.password || e.username === undefined) continue;
      if (e.protocol !== question.protocol || e.host !== question.host) continue;
      if (question.username !== undefined && e.username !== question.username) continue;
      if (question.path !== undefined && e.path !== question.path) continue;
      return { username: e.username, password: e.password };
    }
  }
  return null;
}
