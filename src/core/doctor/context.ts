/** Small shared helpers for doctor's rules: fix context for a remote, host names. */
import type { DoctorFacts, RemoteFacts } from './facts.js';
import type { FixContext } from '../findings/advice.js';

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
