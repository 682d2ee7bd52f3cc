/**
 * Walking a tree for scan with fdir, synchronously, handing each file to a callback as it is found (fdir's
 * filter), so nothing accumulates. Symlinks are reported as files and never followed, so loops cannot happen.
 * Skipped on purpose: node_modules, other VCS metadata, git's object/LFS/log/ref stores. Along the way it notes
 * what repository discovery needs (HEAD files, `objects/` folders, `config` files, `.git` pointer files).
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

function parentOf(dirPath: string): string {
  const p = dirPath.replace(/\/$/, '');
  return p.slice(0, p.lastIndexOf('/'));
}

/** Crawls `root`, calling onFile for every ordinary file and onSkip for what it leaves out. */
export function crawlTree(
  root: string,
  excluded: PathMatcher,
  onFile: (path: string) => void,
  onSkip: (path: string, reason: string) => void,
  layout: GitLayout,
): void {
  const rootSlash = root.endsWith('/') ? root : `${root}/`;
  const rel = (p: string): string => (p.startsWith(rootSlash) ? p.slice(rootSlash.length) : p);
  new fdir()
    .withFullPaths()
    .exclude((name, dirPath) => {
      if (SKIP_DIRS.has(name)) return true;
      const dir = dirPath.replace(/\/$/, '');
      if (GIT_STORES.has(name)) {
        const parent = parentOf(dirPath);
        if (dir.includes('/.git/') || parent.endsWith('.git') || existsSync(`${parent}/HEAD`)) {
          if (name === 'objects') layout.objectsDirs.add(parent);
          return true;
        }
      }
      if (excluded(rel(dir))) return true;
      try {
        accessSync(dir, constants.R_OK | constants.X_OK);
      } catch {
        onSkip(dir, 'EACCES: folder not readable');
        return true;
      }
      return false;
    })
    .filter((path) => {
      if (excluded(rel(path))) return false;
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (name === 'HEAD') layout.headDirs.add(path.slice(0, path.lastIndexOf('/')));
      if (name === 'config' || name === 'config.worktree') layout.configFiles.push(path);
      else if (name === '.git') layout.gitFiles.push(path);
      else onFile(path);
      return false;
    })
    .crawl(root)
    .sync();
}
