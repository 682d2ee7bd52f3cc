/**
 * Doctor's online rules: which credentials to ask about (once per distinct secret, username and repository),
 * and what the answers mean as findings. The requests themselves follow the one probe planner (probe/plan.ts)
 * in its `diagnose` mode.
 */
import type { Finding } from '../model.js';
import type { Evidence } from '../probe/evidence.js';
import type { ProbeSubject } from '../probe/plan.js';
import { judgeSecret } from '../credential/verdict.js';
import { fixContext } from './context.js';
import { pushMatters, type DoctorFacts, type RemoteFacts, type SecretUse } from './facts.js';
import * as fixes from '../findings/advice.js';
import { serverFindings, type ServerSubject } from '../findings/server.js';

export interface ProbeTarget {
  key: string;
  /** The repository URL without credentials: `https://bitbucket.org/ws/repo.git`. */
  repoUrl: string;
  use: SecretUse;
  /** The username git would send. */
  username: string;
  /** Whether push permission matters (a push URL or a remote used for both). */
  push: boolean;
  remotes: RemoteFacts[];
}

/** One target per distinct (secret, username, repository) across all remotes. */
export function planProbes(facts: DoctorFacts): ProbeTarget[] {
  const targets = new Map<string, ProbeTarget>();
  for (const remote of facts.remotes) {
    if (!remote.bitbucket || remote.url.scheme === 'ssh' || !remote.url.workspace || !remote.url.repo)
      continue;
    const origin = facts.endpoints.bitbucketUrl;
    const repoUrl = `${origin}/${remote.url.workspace}/${remote.url.repo}.git`;
    for (const use of remote.candidates) {
      if (!judgeSecret(use.class, use).worthProbing) continue;
      const username = use.username ?? remote.url.username ?? fixes.gitUsernameFor(use.class.kind);
      const key = `${use.secret}\u0000${username}\u0000${repoUrl}`;
      const existing = targets.get(key);
      const push = remote.direction !== 'fetch';
      if (existing) {
        existing.push ||= push;
        existing.remotes.push(remote);
      } else targets.set(key, { key, repoUrl, use, username, push, remotes: [remote] });
    }
  }
  return [...targets.values()];
}

/** The planner's view of a target. */
export function probeSubject(target: ProbeTarget, facts: DoctorFacts): ProbeSubject {
  const s: ProbeSubject = {
    kind: target.use.class.kind,
    username: target.username,
    repoUrl: target.repoUrl,
    push: target.push,
  };
  if (facts.email) s.email = facts.email.value;
  return s;
}

/** Findings from what the server answered for one target; attached to every remote that uses it. */
export function onlineFindings(facts: DoctorFacts, target: ProbeTarget, ev: Evidence): Finding[] {
  const out: Finding[] = [];
  for (const remote of target.remotes) {
    const ctx = { ...fixContext(facts, remote), username: target.username, kind: target.use.class.kind };
    const subject: ServerSubject = {
      use: target.use,
      at: { ...target.use.location, remote: remote.name },
      username: target.username,
      // A fetch-only remote that shares the credential is not hurt by a refused push, nor is a machine that
      // only fetches (its push is still asked, to say the token is read-only).
      push: target.push && pushMatters(facts, remote),
      ...(target.push && remote.direction !== 'fetch' && facts.need.value === 'fetch'
        ? { pushNotNeeded: true }
        : {}),
      ctx,
      rerun: 'bbauth doctor',
    };
    if (remote.url.workspace && remote.url.repo) subject.repo = `${remote.url.workspace}/${remote.url.repo}`;
    out.push(...serverFindings(subject, ev));
  }
  return out;
}

/**
 * The probe that answered for `use` on `remote`, if any. Targets are per distinct credential, and gathering
 * builds one SecretUse per remote, so the match is by remote and secret, never by object identity.
 */
export function probeFor<P extends { target: ProbeTarget }>(
  probes: readonly P[],
  remote: RemoteFacts,
  use: SecretUse,
): P | undefined {
  return probes.find(
    (p) =>
      p.target.remotes.includes(remote) &&
      p.target.use.secret === use.secret &&
      p.target.use.source === use.source,
  );
}
