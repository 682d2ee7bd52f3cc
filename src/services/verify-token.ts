/** Checks a new token online before anything is stored: the requests git would make, plus REST identity. */
import { probeGit, probeUser } from '../bitbucket/probe.js';
import { gitUsernameFor } from '../core/fixes.js';
import type { CredentialKind } from '../core/model.js';
import type { Endpoints } from '../core/endpoints.js';
import { judgeToken, type TokenProbes, type TokenVerdict } from '../core/verify-token.js';

export interface VerifyTarget {
  /** `https://bitbucket.org/ws/repo.git`, no credentials. */
  repoUrl?: string;
  /** Whether push matters. */
  push: boolean;
  email?: string;
  /** Git username to check with (default: the static one for the kind). */
  username?: string;
}

/** Probes the token and judges it; at most three requests. */
export async function verifyToken(
  secret: string,
  kind: CredentialKind,
  endpoints: Endpoints,
  target: VerifyTarget,
): Promise<TokenVerdict & { probes: TokenProbes }> {
  const probes: TokenProbes = {};
  const username = target.username ?? gitUsernameFor(kind);
  if (target.repoUrl) {
    probes.repo = target.repoUrl.replace(/^[a-z]+:\/\/[^/]+\//, '').replace(/\.git$/, '');
    probes.fetch = await probeGit(target.repoUrl, 'git-upload-pack', username, secret);
    if (target.push && probes.fetch.outcome.kind === 'ok') {
      probes.push = await probeGit(target.repoUrl, 'git-receive-pack', username, secret);
    }
  }
  if (target.email && kind === 'api-token')
    probes.identity = await probeUser(endpoints.apiUrl, target.email, secret);
  return { ...judgeToken(kind, probes), probes };
}
