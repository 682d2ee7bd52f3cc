/** Checks a token online before anything is stored: the requests git would make, plus REST identity. */
import { gitUsernameFor } from '../core/findings/advice.js';
import type { CredentialKind } from '../core/model.js';
import type { Endpoints } from '../core/endpoints.js';
import { evidenceLines, type Evidence } from '../core/probe/evidence.js';
import { readEvidence, type Reading } from '../core/probe/interpret.js';
import { gatherEvidence } from './probe.js';

export interface VerifyTarget {
  /** `https://bitbucket.org/ws/repo.git`, no credentials. */
  repoUrl?: string;
  /** Whether push matters. */
  push: boolean;
  email?: string;
  /** Git username to check with (default: the static one for the kind). */
  username?: string;
  /** Answers already had for this secret and username. */
  seed?: Evidence;
}

export interface TokenCheckResult extends Reading {
  probes: Evidence;
  /** Human lines: what each request showed. */
  lines: string[];
}

/** Probes the token as git will send it and reads the answers; at most three requests. */
export async function verifyToken(
  secret: string,
  kind: CredentialKind,
  endpoints: Endpoints,
  target: VerifyTarget,
): Promise<TokenCheckResult> {
  const subject = {
    kind,
    username: target.username ?? gitUsernameFor(kind),
    push: target.push,
    ...(target.repoUrl ? { repoUrl: target.repoUrl } : {}),
    ...(target.email ? { email: target.email } : {}),
  };
  const probes = await gatherEvidence(subject, secret, 'check', {
    apiUrl: endpoints.apiUrl,
    ...(target.seed ? { seed: target.seed } : {}),
  });
  const repo = target.repoUrl?.replace(/^[a-z]+:\/\/[^/]+\//, '').replace(/\.git$/, '');
  const lines = evidenceLines(probes, repo ? { repo } : {});
  if (probes.push?.outcome.kind === 'no-access')
    lines.push('push refused: the account has read-only permission on this repository.');
  return { ...readEvidence(kind, probes, target.push), probes, lines };
}
