/**
 * Walking a tree for scan with fdir, synchronously, handing each file to a callback as it is found (fdir's
 * filter), so nothing accumulates. Symlinks are reported as files and never followed, so loops cannot happen.
 * Skipped on purpose: node_modules, other VCS metadata, git's object/LFS/log/ref stores.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { fdir } from 'fdir';
import type { PathMatcher } from '../core/scan/glob.js';

export interface GitLayout {
  /** Folders holding a HEAD file. */
  headDirs: Set<string>;
  /** Folders holding an `objects/` folder. */
  objectsDirs: Set<string>;
  /** Files named `config` or `config.worktree`, decided after the crawl (git dir or not). */
  configFiles: string[];
  /** `.git` files (worktrees, submodules): `gitdir: <path>`. */
  gitFiles: string[];
}

const SKIP_DIRS = new Set(['node_modules', '.hg', '.svn', '.bzr', '_darcs', 'CVS', '.jj']);
const GIT_STORES = new Set(['objects', 'lfs', 'logs', 'refs', 'rr-cache']);

function relTo(base: string, p: string): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  return p.startsWith(b) ? p.slice(b.length) : p;
}

/**
 * Whether the crawl leaves a folder out: skip-listed names, git's stores inside a git dir (noting `objects/`
 * for bare-repository discovery), --exclude matches. Unreadable folders are reported through `onSkip`.
 */
export function isSkippedDir(
  name: string,
  dirPath: string,
  base: string,
  excluded: PathMatcher,
  layout?: GitLayout,
  onSkip?: (path: string, reason: string) => void,
): boolean {
  if (SKIP_DIRS.has(name)) return true;
  const dir = dirPath.replace(/\/$/, '');
  if (GIT_STORES.has(name)) {
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    if (dir.includes('/.git/') || parent.endsWith('.git') || existsSync(`${parent}/HEAD`)) {
      if (name === 'objects') layout?.objectsDirs.add(parent);
      return true;
    }
  }
  if (excluded(relTo(base, dir))) return true;
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch {
    onSkip?.(dir, 'EACCES: folder not readable');
    return true;
  }
  return false;
}

/** Notes what repository discovery needs; true when the file is git metadata handled after the crawl. */
export function noteGitFile(path: string, layout: GitLayout): boolean {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  if (name === 'HEAD') layout.headDirs.add(path.slice(0, slash));
  if (name === 'config' || name === 'config.worktree') {
    layout.configFiles.push(path);
    return true;
  }
  if (name === '.git') {
    layout.gitFiles.push(path);
    return true;
  }
  return false;
}

/** Crawls `root` (exclude globs relative to `base`), calling onFile for every file not excluded. */
export function crawlTree(
  root: string,
  base: string,
  excluded: PathMatcher,
  onFile: (path: string) => void,
  onSkip: (path: string, reason: string) => void,
  layout: GitLayout,
): void {
  new fdir()
    .withFullPaths()
    .exclude((name, dirPath) => isSkippedDir(name, dirPath, base, excluded, layout, onSkip))
    .filter((path) => {
      if (!excluded(relTo(base, path))) onFile(path);
      return false;
    })
    .crawl(root)
    .sync();
}
