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

/** A git wildmatch pattern (with `**`, `*`, `?`, `[…]`) as a RegExp over a whole path. */
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
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
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

/** Loads a config file and, in place, every file it includes whose condition holds. */
export function loadConfigWithIncludes(
  path: string,
  scope: string,
  ctx: IncludeContext,
  depth = 0,
): FileConfigEntry[] {
  const text = ctx.load(path);
  if (text === undefined || depth > MAX_DEPTH) return [];
  const out: FileConfigEntry[] = [];
  for (const e of parseGitConfigFile(text, path, scope)) {
    out.push(e);
    const inc = /^include\.path$/.exec(e.key) ?? /^includeif\.(.*)\.path$/s.exec(e.key);
    if (!inc || !e.value) continue;
    if (inc[1] !== undefined && !includeConditionHolds(inc[1], path, ctx)) continue;
    const target = resolveIncludePath(e.value, dirOf(path), ctx.home);
    out.push(...loadConfigWithIncludes(target, scope, ctx, depth + 1));
  }
  return out;
}
