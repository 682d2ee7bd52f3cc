/**
 * Sends the requests the probe planner asks for, one at a time, until it is satisfied: the one runner behind
 * doctor, status, fix, login and scan --verify. Bounded: each step runs at most once.
 */
import { probeGit, probeUser } from '../bitbucket/probe.js';
import { gitUsernameFor } from '../core/token/usernames.js';
import type { Evidence, ProbeStep } from '../core/probe/evidence.js';
import type { ProbeResult } from '../core/probe/outcome.js';
import { nextProbe, type ProbeMode, type ProbeSubject } from '../core/probe/plan.js';

export interface GatherOptions {
  apiUrl: string;
  /** Answers already had (doctor's, when fix re-checks the same secret). */
  seed?: Evidence;
  /** Called after each request, for --verbose progress (no secret in the label). */
  onRequest?: (label: string) => void;
}

function send(step: ProbeStep, s: ProbeSubject, secret: string, apiUrl: string): Promise<ProbeResult> {
  switch (step) {
    case 'fetch':
      return probeGit(s.repoUrl!, 'git-upload-pack', s.username, secret);
    case 'push':
      return probeGit(s.repoUrl!, 'git-receive-pack', s.username, secret);
    case 'staticUser':
      return probeGit(s.repoUrl!, 'git-upload-pack', gitUsernameFor(s.kind), secret);
    case 'identity':
      return probeUser(apiUrl, s.email!, secret);
  }
}

/** Probes one credential as the planner directs and returns the evidence. */
export async function gatherEvidence(
  s: ProbeSubject,
  secret: string,
  mode: ProbeMode,
  opts: GatherOptions,
): Promise<Evidence> {
  const ev: Evidence = { ...opts.seed };
  for (let step = nextProbe(s, ev, mode); step && !ev[step]; step = nextProbe(s, ev, mode)) {
    const result = await send(step, s, secret, opts.apiUrl);
    opts.onRequest?.(result.request);
    ev[step] = result;
  }
  return ev;
}
