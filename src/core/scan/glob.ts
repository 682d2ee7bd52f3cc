/**
 * `--exclude GLOB`, gitignore-like: `*` and `?` stay inside a path segment, `**` crosses them. A pattern
 * without '/' matches any single segment (`node_modules`, `*.min.js`); one with '/' matches the path relative to
 * the scan root, or its tail.
 */
import { wildmatchToRegExp } from './config-includes.js';

export type PathMatcher = (relativePath: string) => boolean;

/** Compiles exclude globs into one predicate over root-relative paths (forward slashes). */
export function compileExcludes(globs: readonly string[]): PathMatcher {
  const segment: RegExp[] = [];
  const whole: RegExp[] = [];
  for (const g of globs) {
    const pattern = g.replace(/\/+$/, '').replace(/^\.\//, '');
    if (pattern === '') continue;
    if (pattern.includes('/'))
      whole.push(
        wildmatchToRegExp(
          pattern.startsWith('/') || pattern.startsWith('**/') ? pattern.replace(/^\//, '') : `**/${pattern}`,
        ),
      );
    else segment.push(wildmatchToRegExp(pattern));
  }
  if (segment.length === 0 && whole.length === 0) return () => false;
  return (rel) => {
    if (whole.some((re) => re.test(rel))) return true;
    if (segment.length === 0) return false;
    return rel.split('/').some((s) => segment.some((re) => re.test(s)));
  };
}
