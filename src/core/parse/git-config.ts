/**
 * The output of `git config --list -z [--show-origin] [--show-scope]`. With -z every field ends in NUL and a
 * key is separated from its value by a newline (absent for a bare boolean `[x] y`), so values with newlines,
 * '=' or unicode come through intact; this is why callers must use -z.
 */

export interface ConfigEntry {
  /** Section and variable lower-cased, subsection as written: `credential.https://Bitbucket.org.helper`. */
  key: string;
  /** `undefined` for a bare boolean key (`[core] bare` with no `=`); `''` for `key =`. */
  value: string | undefined;
  /** As git prints it: `file:/home/u/.gitconfig`, `command line:`, `blob:…`; `''` without --show-origin. */
  origin: string;
  /** `system` | `global` | `local` | `worktree` | `command` (git 2.26+ with --show-scope). */
  scope?: string;
}

// Scope words never contain '.', and an origin's type never does either, while every key does.
const SCOPES = new Set(['system', 'global', 'local', 'worktree', 'command', 'unknown']);
const ORIGIN = /^(?:file|blob|submodule-blob|command line|standard input):/;

/** Lower-cases section and variable of a config key, keeping the subsection (which may be a URL) as is. */
export function normalizeKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0) return key.toLowerCase();
  if (first === last) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}${key.slice(first, last)}${key.slice(last).toLowerCase()}`;
}

/** Splits a key into section, subsection (if any) and variable. */
export function splitKey(key: string): { section: string; subsection?: string; variable: string } {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0) return { section: key.toLowerCase(), variable: '' };
  const section = key.slice(0, first).toLowerCase();
  const variable = key.slice(last + 1).toLowerCase();
  return first === last
    ? { section, variable }
    : { section, subsection: key.slice(first + 1, last), variable };
}

/** Parses `git config --list -z` output, with or without --show-origin and --show-scope. */
export function parseConfigList(z: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  let scope: string | undefined;
  let origin: string | undefined;
  for (const field of z.split('\0')) {
    if (field === '') continue; // the trailing NUL
    if (scope === undefined && origin === undefined && SCOPES.has(field)) {
      scope = field;
      continue;
    }
    if (origin === undefined && ORIGIN.test(field)) {
      origin = field;
      continue;
    }
    const nl = field.indexOf('\n');
    const entry: ConfigEntry = {
      key: normalizeKey(nl < 0 ? field : field.slice(0, nl)),
      value: nl < 0 ? undefined : field.slice(nl + 1),
      origin: origin ?? '',
    };
    if (scope !== undefined) entry.scope = scope;
    entries.push(entry);
    scope = undefined;
    origin = undefined;
  }
  return entries;
}

/** The entry git uses for a single-valued key: the last one. */
export function configGet(entries: readonly ConfigEntry[], key: string): ConfigEntry | undefined {
  const k = normalizeKey(key);
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === k) return entries[i];
  return undefined;
}

/** Every entry of a multi-valued key, in the order git reads them. */
export function configGetAll(entries: readonly ConfigEntry[], key: string): ConfigEntry[] {
  const k = normalizeKey(key);
  return entries.filter((e) => e.key === k);
}

/** git's boolean: bare key, true/yes/on/1 (or any non-zero number) → true; false/no/off/0/'' → false. */
export function parseGitBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return true;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === 'no' || v === 'off' || v === '') return false;
  if (/^-?\d+$/.test(v)) return Number(v) !== 0;
  return undefined;
}

/**
 * Remotes in order of first appearance with their raw (not insteadOf-rewritten) URLs. An empty value resets
 * the list so far, as git 2.46+ does; older git would keep an empty URL, which is never useful.
 */
export function remotesFrom(
  entries: readonly ConfigEntry[],
): { name: string; urls: string[]; pushUrls: string[] }[] {
  const remotes = new Map<string, { name: string; urls: string[]; pushUrls: string[] }>();
  for (const e of entries) {
    const { section, subsection, variable } = splitKey(e.key);
    if (section !== 'remote' || subsection === undefined) continue;
    if (variable !== 'url' && variable !== 'pushurl') continue;
    if (e.value === undefined) continue; // git refuses a bare url key
    let r = remotes.get(subsection);
    if (!r) remotes.set(subsection, (r = { name: subsection, urls: [], pushUrls: [] }));
    const list = variable === 'url' ? r.urls : r.pushUrls;
    if (e.value === '') list.length = 0;
    else list.push(e.value);
  }
  return [...remotes.values()];
}
