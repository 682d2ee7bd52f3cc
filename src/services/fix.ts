/**
 * `bbauth fix`: doctor's findings → a plan → (after a backup, under a lock) applied → proven with real git.
 * A new token, when one is needed, is checked offline and online before anything changes.
 */
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkNewToken } from '../core/credential/token-check.js';
import { UsageError } from '../core/errors.js';
import type { Endpoints } from '../core/endpoints.js';
import type { FixPlan } from '../core/fix/plan-types.js';
import {
  chooseCredential,
  planFixes,
  type CheckedSecret,
  type NewToken,
  type PlannedFix,
} from '../core/fix/plan.js';
import { pushMatters, type DoctorFacts } from '../core/doctor/facts.js';
import type { ProbeTarget } from '../core/doctor/online.js';
import type { Evidence } from '../core/probe/evidence.js';
import { judgeSecret } from '../core/credential/verdict.js';
import { registerSecret } from '../core/secret-registry.js';
import { provesDead } from '../core/findings/catalogue.js';
import { fingerprint } from '../core/redact.js';
import { updateRecords, upsertRecord } from '../store/records.js';
import { diagnose, doctorOptionsOf, type DoctorRun } from './doctor.js';
import { applyPlan } from './fix-apply.js';
import { latestBackup, purgeBackups, restoreBackup } from './fix-backup.js';
import { verifyWithGit, type GitCheck } from './fix-verify.js';
import type { HelperOption } from './store-token.js';
import { verifyToken } from './verify-token.js';

export interface FixOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  offline: boolean;
  dryRun: boolean;
  email?: string;
  /** `--need fetch|push`: remembered in the repository (git config bbauth.need) by the plan. */
  need?: string;
  helper?: string;
  now: Date;
  /** Supplies a new token when one is needed (stdin, BBAUTH_TOKEN or a prompt); undefined when none. */
  obtainToken: (reason: string) => Promise<string | undefined>;
  /** Asks to go ahead with the plan; absent without a TTY (then --yes is required). */
  confirm?: (plan: FixPlan) => Promise<boolean>;
  yes: boolean;
  /** Convert remotes to SSH instead (needs a usable SSH key). */
  toSsh?: boolean;
  chooseHelper?: (options: HelperOption[]) => Promise<string>;
}

export type FixOutcome =
  | { status: 'nothing-to-do'; plan: FixPlan }
  | { status: 'planned'; plan: FixPlan } // --dry-run
  | { status: 'needs-confirmation'; plan: FixPlan }
  | { status: 'declined'; plan: FixPlan }
  | { status: 'needs-token'; plan: FixPlan }
  | { status: 'token-refused'; plan: FixPlan; reason: string; checks: string[] }
  | { status: 'applied'; plan: FixPlan; backup: string; before: RemoteState[]; after: GitCheck[] };

export interface RemoteState {
  remote: string;
  fetch: string;
  push: string;
}

/** Each distinct secret on this machine, judged as git would send it after the fix (the right username). */
export async function checkSecrets(
  facts: DoctorFacts,
  probes: { target: ProbeTarget; evidence: Evidence }[],
  opts: FixOptions,
): Promise<CheckedSecret[]> {
  const out: CheckedSecret[] = [];
  const seen = new Set<string>();
  const remote = facts.remotes.find(
    (r) => r.bitbucket && r.url.workspace && r.url.repo && r.url.scheme !== 'ssh',
  );
  const push = facts.need.value === 'push';
  for (const r of facts.remotes) {
    for (const use of r.candidates) {
      if (seen.has(use.secret) || !judgeSecret(use.class).usable) continue;
      seen.add(use.secret);
      if (opts.offline) {
        out.push({ use, fetchOk: true, pushOk: true, assumed: true });
        continue;
      }
      const ev = probes.find((p) => p.target.use.secret === use.secret)?.evidence;
      if (ev?.fetch?.outcome.kind === 'retired' || ev?.staticUser?.outcome.kind === 'rejected') continue;
      if (ev?.fetch?.outcome.kind === 'ok' && (ev.push?.outcome.kind === 'ok' || !push)) {
        out.push({ use, fetchOk: true, pushOk: ev.push?.outcome.kind === 'ok' });
        continue;
      }
      if (!remote) continue;
      const repoUrl = `${opts.endpoints.bitbucketUrl}/${remote.url.workspace}/${remote.url.repo}.git`;
      // Checked as git will send it after the fix (the static username); a fetch doctor already proved that
      // way is not asked again.
      const seed = ev?.staticUser?.outcome.kind === 'ok' ? { fetch: ev.staticUser } : undefined;
      const v = await verifyToken(use.secret, use.class.kind, opts.endpoints, {
        repoUrl,
        push,
        ...(seed ? { seed } : {}),
      });
      out.push({ use, fetchOk: v.fetchOk, pushOk: v.pushOk });
    }
  }
  return out;
}

export function beforeStates(
  facts: DoctorFacts,
  probes: { target: ProbeTarget; evidence: Evidence }[],
): RemoteState[] {
  return facts.remotes
    .filter((r) => r.bitbucket && r.url.scheme !== 'ssh')
    .map((r) => {
      const ev = probes.find((p) => p.target.remotes.includes(r))?.evidence;
      const say = (kind: string | undefined, status: number | undefined) =>
        kind === undefined ? 'not checked' : kind === 'ok' ? 'ok' : `failed (${status ?? kind})`;
      return {
        remote: r.name,
        fetch: r.candidates.length === 0 ? 'no credential' : say(ev?.fetch?.outcome.kind, ev?.fetch?.status),
        push: pushMatters(facts, r) ? say(ev?.push?.outcome.kind, ev?.push?.status) : 'n/a',
      };
    });
}

/** A token the user supplied, checked offline, then online as git will use it; or why it is refused. */
async function checkSuppliedToken(
  raw: string,
  facts: DoctorFacts,
  opts: FixOptions,
): Promise<{ token: NewToken } | { refused: { reason: string; checks: string[] } }> {
  registerSecret(raw.trim());
  const check = checkNewToken(raw);
  if (!check.ok) throw new UsageError(`not using this token: ${check.message}`, check.nextSteps);
  registerSecret(check.secret);
  const token = { secret: check.secret, kind: check.class.kind };
  if (opts.offline) return { token };
  const remote = facts.remotes.find(
    (r) => r.bitbucket && r.url.workspace && r.url.repo && r.url.scheme !== 'ssh',
  );
  // The remotes fix verifies afterwards: Bitbucket over HTTP(S); push matters when one of them pushes and the
  // machine needs push (a read-only token is right for one that only fetches).
  const needPush = facts.remotes.some(
    (r) => r.bitbucket && /^https?$/.test(r.url.scheme) && pushMatters(facts, r),
  );
  // As login and doctor: the flag, then BBAUTH_EMAIL.
  const email = opts.email ?? opts.env.BBAUTH_EMAIL;
  const v = await verifyToken(check.secret, check.class.kind, opts.endpoints, {
    push: needPush,
    ...(remote
      ? { repoUrl: `${opts.endpoints.bitbucketUrl}/${remote.url.workspace}/${remote.url.repo}.git` }
      : {}),
    ...(email ? { email } : {}),
  });
  const pushOk = !needPush || v.pushOk;
  if (v.verdict === 'unverified')
    return {
      refused: {
        reason: `the new token was not checked: ${v.lines.at(-1) ?? 'Bitbucket did not answer'}; nothing was changed. Run again when Bitbucket answers, or with --offline to apply the plan unchecked.`,
        checks: v.lines,
      },
    };
  if (v.verdict === 'dead' || (v.probes.fetch && (!v.fetchOk || !pushOk))) {
    const reason =
      v.verdict === 'dead'
        ? 'Bitbucket refused the new token (created without scopes, revoked or expired?)'
        : `the new token ${v.fetchOk ? 'cannot push' : 'cannot fetch'}${v.scopesMissing.length ? ` (missing ${v.scopesMissing.join(', ')})` : ''}`;
    // A deploy server needs no push: say how to tell bbauth so, instead of demanding a write token.
    const onlyPull =
      v.fetchOk && v.verdict !== 'dead'
        ? ' If this machine only pulls, run `bbauth fix --need fetch`: a read-only token is then right.'
        : '';
    return { refused: { reason: `${reason}; nothing was changed.${onlyPull}`, checks: v.lines } };
  }
  return { token };
}

/** Runs fix. */
export async function runFix(opts: FixOptions): Promise<FixOutcome> {
  const run = await diagnose(doctorOptionsOf(opts));
  if (opts.toSsh) {
    const keys = await findSshKeys(opts.env);
    if (keys.length === 0) {
      throw new UsageError(
        '--to-ssh needs an SSH key, and none was found (no ~/.ssh/id_* key, no key in ssh-agent).',
        [
          'Create one: ssh-keygen -t ed25519',
          'Add its .pub file to Bitbucket: Personal settings → SSH keys; then run bbauth fix --to-ssh again.',
        ],
      );
    }
  }
  const checked = opts.toSsh ? [] : await checkSecrets(run.facts, run.probes, opts);
  const planInput = {
    facts: run.facts,
    findings: run.report.findings,
    checked,
    toSsh: Boolean(opts.toSsh),
    ...(opts.helper ? { helper: opts.helper } : {}),
  };
  const choice = opts.toSsh ? undefined : chooseCredential(planInput);
  let newToken: NewToken | undefined;
  if (choice?.choice === 'needs-token') {
    const raw = await opts.obtainToken(choice.reason);
    if (raw === undefined) return { status: 'needs-token', plan: planFixes(planInput).plan };
    const got = await checkSuppliedToken(raw, run.facts, opts);
    if ('refused' in got) return { status: 'token-refused', plan: planFixes(planInput).plan, ...got.refused };
    newToken = got.token;
  }
  const planned: PlannedFix = planFixes({ ...planInput, ...(newToken ? { newToken } : {}) });
  const { plan, secrets } = planned;
  if (plan.steps.length === 0) return { status: 'nothing-to-do', plan };
  if (opts.dryRun) return { status: 'planned', plan };
  if (!opts.yes) {
    if (!opts.confirm) return { status: 'needs-confirmation', plan };
    if (!(await opts.confirm(plan))) return { status: 'declined', plan };
  }
  const localConfig = run.facts.config
    .find((e) => e.scope === 'local' && e.origin.startsWith('file:'))
    ?.origin.slice('file:'.length);
  const replaces = deadOrReplaced(run, checked);
  const backup = await applyPlan(plan, secrets, {
    cwd: opts.cwd,
    env: opts.env,
    endpoints: opts.endpoints,
    now: opts.now,
    replaces,
    ...(localConfig
      ? { localConfig: localConfig.startsWith('/') ? localConfig : `${opts.cwd}/${localConfig}` }
      : {}),
    ...(opts.helper ? { helper: opts.helper } : {}),
    ...(opts.chooseHelper ? { chooseHelper: opts.chooseHelper } : {}),
  });
  // --offline promises no contact with Bitbucket, and verifying is exactly that: leave it to the user.
  const after = opts.offline ? [] : await verifyWithGit(plan.verify, opts.cwd, opts.env);
  await recordStored(plan, secrets, after, opts);
  return { status: 'applied', plan, backup, before: beforeStates(run.facts, run.probes), after };
}

/** What fix proved dead: refused when it checked them, or named dead by a finding. Their entries are replaced. */
export function deadOrReplaced(run: DoctorRun, checked: readonly CheckedSecret[]): string[] {
  const dead = new Set(
    run.report.findings.filter((f) => provesDead(f.id)).map((f) => f.credential?.fingerprint),
  );
  return [
    ...checked.filter((c) => !c.fetchOk).map((c) => c.use.secret),
    ...[...run.facts.remotes.flatMap((r) => r.candidates), ...run.facts.hostCandidates]
      .map((u) => u.secret)
      .filter((s) => dead.has(fingerprint(s))),
  ];
}

/** A record for each credential the plan stored, verified when git then fetched with it. */
export async function recordStored(
  plan: FixPlan,
  secrets: Map<string, string>,
  after: GitCheck[],
  opts: Pick<FixOptions, 'endpoints' | 'now' | 'env'>,
): Promise<void> {
  const stored = plan.steps.flatMap((s) => (s.action === 'store-credential' ? [s] : []));
  if (stored.length === 0) return;
  const works = after.length > 0 && after.every((a) => a.fetch === 'ok');
  await updateRecords((file) => {
    for (const step of stored) {
      const secret = secrets.get(step.secretRef)!;
      upsertRecord(
        file,
        secret,
        {
          fingerprint: fingerprint(secret),
          kind: step.kind,
          host: new URL(opts.endpoints.bitbucketUrl).host,
          usernames: [step.username],
          source: 'fix',
          ...(works ? { lastVerified: opts.now.toISOString() } : {}),
        },
        opts.now,
      );
    }
  }, opts.env);
}

/** Private keys in ~/.ssh, or keys held by ssh-agent: what `ssh` would offer. */
async function findSshKeys(env: NodeJS.ProcessEnv): Promise<string[]> {
  const dir = join(env.HOME ?? '', '.ssh');
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((f) => /^id_[a-z0-9_]+$/.test(f)).map((f) => join(dir, f));
  } catch {
    // no ~/.ssh
  }
  if (files.length === 0 && env.SSH_AUTH_SOCK) {
    const { BBAUTH_TOKEN: _token, ...childEnv } = env;
    const agent = spawnSync('ssh-add', ['-l'], { env: childEnv, encoding: 'utf8', timeout: 5000 });
    if (agent.status === 0) files.push('ssh-agent');
  }
  return files;
}

/** `bbauth fix --undo`: restores the files of the last fix. */
export async function runUndo(
  env: NodeJS.ProcessEnv,
): Promise<{ restored: string[]; removed: string[] } | undefined> {
  const dir = await latestBackup(env);
  return dir ? restoreBackup(dir) : undefined;
}

export { purgeBackups };
