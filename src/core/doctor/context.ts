/** Small shared helpers for doctor's rules: the fix context for a remote. */
import type { DoctorFacts, RemoteFacts } from './facts.js';
import type { FixContext } from '../findings/advice.js';

/** The names a fix command needs for a remote. */
export function fixContext(facts: DoctorFacts, remote: RemoteFacts): FixContext {
  const ctx: FixContext = { remote: remote.name, origin: facts.endpoints.bitbucketUrl };
  if (remote.url.workspace) ctx.workspace = remote.url.workspace;
  if (remote.url.repo) ctx.repo = remote.url.repo;
  return ctx;
}
