/**
 * `fix --all`, repository by repository: what each one is like before the fix (doctor, the secrets checked as git
 * will send them, the credential it works with once the dead ones in front are gone), and whether the machine's
 * personal token serves each repository that would share it.
 */
import { pushMatters, type DoctorFacts } from '../core/doctor/facts.js';
import { httpish, type CheckedSecret, type NewToken } from '../core/fix/plan.js';
import type { CredentialKind } from '../core/model.js';
import { diagnose, doctorOptionsOf, type DoctorRun } from './doctor.js';
import type { FixAllOptions } from './fix-all.js';
import { beforeStates, checkSecrets, type FixOptions, type RemoteState } from './fix.js';
import { verifyToken } from './verify-token.js';

/** One repository as fix --all found it: doctor's run, its secrets checked, and what git does there now. */
export interface Diagnosed {
  repository: string;
  run: DoctorRun;
  checked: CheckedSecret[];
  before: RemoteState[];
  /** The first Bitbucket HTTPS remote's clone URL on the configured origin, and whether push matters there. */
  target?: { repoUrl: string; push: boolean };
  /** What it works with once the dead credentials in front of it are gone, when that one works. */
  works?: { source: 'helper' | 'url'; username?: string; secret: string; kind: CredentialKind };
}

/** The repository's Bitbucket remotes over HTTP(S). */
export const httpRemotes = (facts: DoctorFacts) => facts.remotes.filter(httpish);

/** Doctor and the secret checks for one repository; undefined when it has no Bitbucket HTTP(S) remote. */
export async function diagnoseRepo(repository: string, opts: FixAllOptions): Promise<Diagnosed | undefined> {
  const fixOpts: FixOptions = { ...opts, cwd: repository };
  const run = await diagnose(doctorOptionsOf(fixOpts));
  const remotes = httpRemotes(run.facts);
  if (remotes.length === 0) return undefined;
  const checked = await checkSecrets(run.facts, run.probes, fixOpts);
  const before = beforeStates(run.facts, run.probes);
  const d: Diagnosed = { repository, run, checked, before };
  const pushNeeded = remotes.some((r) => pushMatters(run.facts, r));
  const first = remotes.find((r) => r.url.workspace && r.url.repo);
  if (first)
    d.target = {
      repoUrl: `${opts.endpoints.bitbucketUrl}/${first.url.workspace}/${first.url.repo}.git`,
      push: pushNeeded,
    };
  if (opts.offline) return d;
  // What git will send once the fix has removed what it removes (URL secrets, dead .netrc entries): the first
  // candidate of each remote that is not dead. A dead helper entry is replaced by the machine token.
  const alive = (secret: string) => checked.find((c) => c.use.secret === secret);
  const after = remotes.map((r) =>
    r.candidates.find(
      (u) => alive(u.secret) !== undefined || u.source === 'helper' || u.source === 'extraheader',
    ),
  );
  const one = after[0];
  const works = one && alive(one.secret);
  if (
    one &&
    works?.fetchOk &&
    (works.pushOk || !pushNeeded) &&
    after.every((u) => u?.secret === one.secret) &&
    (one.source === 'helper' || one.source === 'url')
  )
    d.works = {
      source: one.source,
      secret: one.secret,
      kind: one.class.kind,
      ...(one.username ? { username: one.username } : {}),
    };
  return d;
}

/** What checking the personal token against the repositories that would use it showed. */
export interface SharedCheck {
  /** Repository → why the token does not work there. */
  failed: Map<Diagnosed, string>;
  /** Bitbucket refused the token itself: it works nowhere. */
  dead: boolean;
  /** Bitbucket did not answer the check (a fault): nothing is known, nothing may change. */
  unchecked?: string;
  checks: string[];
}

/** The personal token every 'shared' repository will use, checked against each of them. */
export async function checkShared(
  token: NewToken,
  shared: readonly Diagnosed[],
  opts: FixAllOptions,
): Promise<SharedCheck> {
  const out: SharedCheck = { failed: new Map(), dead: false, checks: [] };
  if (opts.offline) return out;
  const email = opts.email ?? opts.env.BBAUTH_EMAIL;
  let first = true;
  for (const d of shared) {
    if (!d.target) continue;
    const v = await verifyToken(token.secret, token.kind, opts.endpoints, {
      repoUrl: d.target.repoUrl,
      push: d.target.push,
      ...(email && first ? { email } : {}),
    });
    first = false;
    out.checks.push(...v.lines.map((l) => `${d.repository}: ${l}`));
    if (v.verdict === 'dead') {
      out.dead = true;
      return out;
    }
    if (v.verdict === 'unverified') {
      out.unchecked = v.lines.at(-1) ?? 'Bitbucket did not answer';
      return out;
    }
    const pushOk = !d.target.push || v.pushOk;
    if (v.probes.fetch && (!v.fetchOk || !pushOk))
      out.failed.set(
        d,
        `the token ${v.fetchOk ? 'cannot push to' : 'cannot fetch'} it${v.scopesMissing.length ? ` (missing ${v.scopesMissing.join(', ')})` : ''}`,
      );
  }
  return out;
}
