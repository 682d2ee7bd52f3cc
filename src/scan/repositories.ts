/**
 * Repository discovery from what the crawl saw, without running git: normal repositories (`.git/` with HEAD
 * and config), bare ones (HEAD, config and `objects/` side by side), submodules (`.git/modules/**`), and linked
 * worktrees or submodule checkouts (a `.git` file saying `gitdir: …`, with `commondir` for worktrees).
 */
import { dirname, resolve } from 'node:path';
import type { GitLayout } from './crawl.js';

export interface DiscoveredRepo {
  /** The git dir. */
  gitDir: string;
  /** Work tree for non-bare repositories, else the git dir. */
  repository: string;
  /** Config files in git's order (`local` scope): common config first, then config.worktree. */
  configFiles: string[];
}

/** True for a folder that git would treat as a git dir, given what the crawl saw. */
function isGitDir(dir: string, layout: GitLayout): boolean {
  if (!layout.headDirs.has(dir)) return false;
  return dir.endsWith('/.git') || layout.objectsDirs.has(dir) || dir.includes('/.git/modules/');
}

/** Every repository, each once; `config` files that belong to none are returned for the text detectors. */
export function discoverRepositories(
  layout: GitLayout,
  readText: (path: string) => string | undefined,
): { repos: DiscoveredRepo[]; otherConfigs: string[] } {
  const repos = new Map<string, DiscoveredRepo>();
  const otherConfigs: string[] = [];
  for (const file of layout.configFiles) {
    const dir = dirname(file);
    if (!isGitDir(dir, layout)) {
      if (!dir.includes('/.git/worktrees/')) otherConfigs.push(file);
      continue;
    }
    if (file.endsWith('.worktree')) continue; // read with its repository below
    repos.set(dir, {
      gitDir: dir,
      repository: dir.endsWith('/.git') ? dirname(dir) : dir,
      configFiles: [file, `${dir}/config.worktree`],
    });
  }
  for (const pointer of layout.gitFiles) {
    const text = readText(pointer);
    const m = text ? /^gitdir:\s*(.+?)\s*$/m.exec(text) : null;
    if (!m) continue;
    const gitDir = resolve(dirname(pointer), m[1]!);
    const common = readText(`${gitDir}/commondir`)?.trim();
    const workTree = dirname(pointer);
    if (common) {
      // A linked worktree: the main repository's config plus this worktree's own config.worktree.
      const commonDir = resolve(gitDir, common);
      repos.set(`${gitDir}#${workTree}`, {
        gitDir,
        repository: workTree,
        configFiles: [`${commonDir}/config`, `${gitDir}/config.worktree`],
      });
    } else if (repos.has(gitDir)) {
      repos.get(gitDir)!.repository = workTree; // a submodule checkout whose git dir the crawl already found
    } else {
      repos.set(gitDir, {
        gitDir,
        repository: workTree,
        configFiles: [`${gitDir}/config`, `${gitDir}/config.worktree`],
      });
    }
  }
  return { repos: [...repos.values()], otherConfigs };
}
