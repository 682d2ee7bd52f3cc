/**
 * `include.path` and `includeIf "<cond>".path`, resolved as git does (git-config(1) "Includes"): relative paths
 * from the including file's folder, `~/` from HOME, `gitdir:`/`gitdir/i:` matched against the repository's git
 * dir with git's wildmatch rules. `onbranch:` and `hasconfig:remote.*.url:` need state we do not read (HEAD,
 * the final remote list), so they are included conservatively: scan's job is to find secrets, and a secret in a
 * file that only sometimes applies is still a secret on disk. Cycles stop at git's depth limit of 10.
 */
import { parseGitConfigFile, type FileConfigEntry } from './git-config-file.js';

export interface IncludeContext {
  home: string;
  /** The repository's git dir (absolute, trailing slash optional); absent for global-only evaluation. */
  gitDir?: string;
  /** Loads a file's text; undefined when missing or unreadable. */
  load: (path: string) => string | undefined;
}

const MAX_DEPTH = 10;

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Expands `~/` and makes a relative path absolute against `base`. */
export function resolveIncludePath(path: string, base: string, home: string): string {
  if (path.startsWith('~/')) return `${home.replace(/\/$/, '')}/${path.slice(2)}`;
  if (path.startsWith('/')) return path;
  return `${base.replace(/\/$/, '')}/${path}`;
}

/** POSIX classes wildmatch knows inside brackets, as JS class contents. */
const POSIX: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

const classChar = (c: string) => c.replace(/[\\\]^[-]/g, '\\$&');

/**
 * A bracket expression starting at `pattern[open]` ('['), as wildmatch reads it: `!` or `^` negates, a `]` first
 * is literal, `\` escapes, `[:name:]` is a POSIX class, and a range whose end is below its start matches nothing
 * (git does not fail on `[b-a]`). Never matches '/'. Undefined when there is no closing bracket.
 */
function bracketToRegExp(pattern: string, open: number): { re: string; end: number } | undefined {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const parts: string[] = [];
  let first = true;
  const charAt = (j: number): [string, number] =>
    pattern[j] === '\\' && j + 1 < pattern.length ? [pattern[j + 1]!, j + 2] : [pattern[j]!, j + 1];
  while (i < pattern.length) {
    if (pattern[i] === ']' && !first) {
      if (parts.length === 0) return { re: negate ? '[^/]' : '(?!)', end: i };
      return { re: negate ? `[^/${parts.join('')}]` : `(?!/)[${parts.join('')}]`, end: i };
    }
    first = false;
    const posix = /^\[:([a-z]+):\]/.exec(pattern.slice(i, i + 12));
    if (posix) {
      // An unknown class name makes git's wildmatch fail the match: nothing is added.
      const cls = POSIX[posix[1]!];
      if (cls) parts.push(cls);
      i += posix[0].length;
      continue;
    }
    const [lo, afterLo] = charAt(i);
    if (pattern[afterLo] === '-' && afterLo + 1 < pattern.length && pattern[afterLo + 1] !== ']') {
      const [hi, afterHi] = charAt(afterLo + 1);
      if (lo <= hi) parts.push(`${classChar(lo)}-${classChar(hi)}`);
      i = afterHi;
      continue;
    }
    parts.push(classChar(lo));
    i = afterLo;
  }
  return undefined;
}

/** A git wildmatch pattern (with `**`, `*`, `?`, `[…]`) as a RegExp over a whole path. Never throws. */
export function wildmatchToRegExp(pattern: string, ignoreCase = false): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const bracket = bracketToRegExp(pattern, i);
      if (!bracket) re += '\\[';
      else {
        re += bracket.re;
        i = bracket.end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '');
}

/** Whether an `includeIf` condition holds; unknown conditions count as true (see the file comment). */
export function includeConditionHolds(cond: string, configFile: string, ctx: IncludeContext): boolean {
  const m = /^(gitdir|gitdir\/i):(.*)$/s.exec(cond);
  if (!m) return true; // onbranch:, hasconfig:…, and anything newer: conservative
  if (ctx.gitDir === undefined) return false;
  let pattern = m[2]!;
  if (pattern.startsWith('~/')) pattern = resolveIncludePath(pattern, '', ctx.home);
  else if (pattern.startsWith('./')) pattern = `${dirOf(configFile)}/${pattern.slice(2)}`;
  else if (!pattern.startsWith('/')) pattern = `**/${pattern}`;
  if (pattern.endsWith('/')) pattern += '**';
  const gitDir = ctx.gitDir.replace(/\/$/, '');
  return wildmatchToRegExp(pattern, m[1] === 'gitdir/i').test(gitDir);
}

/**
 * Loads a config file and, in place, every file it includes whose condition holds. Like git, a chain of includes
 * deeper than 10 stops the whole load (git dies with "exceeded maximum include depth"): what was read up to
 * there is kept, and a file that includes itself several times costs depth × lines, never fan-out^10.
 */
export function loadConfigWithIncludes(path: string, scope: string, ctx: IncludeContext): FileConfigEntry[] {
  const state = { exceeded: false };
  return loadInto(path, scope, ctx, 0, state);
}

function loadInto(
  path: string,
  scope: string,
  ctx: IncludeContext,
  depth: number,
  state: { exceeded: boolean },
): FileConfigEntry[] {
  if (depth > MAX_DEPTH) {
    state.exceeded = true;
    return [];
  }
  const text = ctx.load(path);
  if (text === undefined) return [];
  const out: FileConfigEntry[] = [];
  for (const e of parseGitConfigFile(text, path, scope)) {
    if (state.exceeded) break;
    out.push(e);
    const inc = /^include\.path$/.exec(e.key) ?? /^includeif\.(.*)\.path$/s.exec(e.key);
    if (!inc || !e.value) continue;
    if (inc[1] !== undefined && !includeConditionHolds(inc[1], path, ctx)) continue;
    const target = resolveIncludePath(e.value, dirOf(path), ctx.home);
    out.push(...loadInto(target, scope, ctx, depth + 1, state));
  }
  return out;
}
