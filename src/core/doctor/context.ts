/** Small shared helpers for doctor's rules: fix context for a remote, host names, "is this secret dead". */
import type { DoctorFacts, RemoteFacts, SecretUse } from './facts.js';
import type { FixContext } from '../fixes.js';

/** `bitbucket.org` (with `:port` when not default) from `https://bitbucket.org`. */
export function hostOfOrigin(origin: string): string {
  return origin.replace(/^[a-z]+:\/\//i, '');
}

/** The names a fix command needs for a remote. */
export function fixContext(facts: DoctorFacts, remote: RemoteFacts): FixContext {
  const ctx: FixContext = { remote: remote.name, origin: facts.endpoints.bitbucketUrl };
  if (remote.url.workspace) ctx.workspace = remote.url.workspace;
  if (remote.url.repo) ctx.repo = remote.url.repo;
  return ctx;
}

/** Known dead offline: the server would refuse it whatever else is right. */
export function isDead(use: SecretUse): boolean {
  const c = use.class;
  return (
    c.kind === 'app-password' ||
    c.kind === 'legacy-secret' ||
    c.kind === 'datacenter-token' ||
    c.checksum === 'invalid' ||
    (c.problems.length > 0 && !c.problems.every((p) => p === 'unexpected-length'))
  );
}
