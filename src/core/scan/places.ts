/**
 * What kind of place a file is, by its path alone: the parsers for git's stores, .netrc, Composer and Jenkins
 * know the file's structure; everything else gets the generic text detectors.
 */

export type PlaceKind =
  | 'credential-store'
  | 'netrc'
  | 'composer-auth'
  | 'jenkins-credentials'
  | 'jenkins-job'
  | 'git-config'
  | 'ci-config'
  | 'text';

function base(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The place kind for a path (forward slashes). Git config files are decided by repository discovery. */
export function placeOf(path: string): PlaceKind {
  const name = base(path);
  if (name === '.git-credentials' || /\/git\/credentials$/.test(path)) return 'credential-store';
  if (name === '.netrc' || name === '_netrc') return 'netrc';
  if (name === 'auth.json') return 'composer-auth';
  if (name === 'credentials.xml') return 'jenkins-credentials';
  if (name === 'config.xml' && /\/jobs\/[^/]+\/config\.xml$/.test(path)) return 'jenkins-job';
  if (name === '.gitconfig' || /\/git\/config$/.test(path)) return 'git-config';
  if (
    name === 'Jenkinsfile' ||
    name === 'bitbucket-pipelines.yml' ||
    name === '.gitlab-ci.yml' ||
    /\/\.github\/workflows\/[^/]+$/.test(path)
  )
    return 'ci-config';
  return 'text';
}

/** Files a prefilter miss must not skip: their secrets need not mention Bitbucket (Jenkins encrypts them). */
export function needsFullParse(kind: PlaceKind): boolean {
  return kind === 'jenkins-credentials' || kind === 'jenkins-job';
}

/**
 * Test-fixture folders. A token there whose checksum fails is a decoy (a fake written for a test), not a
 * damaged real one, so it is not reported; a checksum-valid token there is reported like anywhere else, because
 * a real token committed as a fixture is still a leak.
 */
export function isFixturePath(path: string): boolean {
  return /\/(?:__fixtures__|fixtures|testdata|test-data|__snapshots__)\//.test(path);
}

/** Where the Jenkins home of a job or credentials file is (the folder above the first `jobs/`). */
export function jenkinsHomeOf(path: string): string {
  const i = path.indexOf('/jobs/');
  return i >= 0 ? path.slice(0, i) : path.slice(0, path.lastIndexOf('/'));
}
