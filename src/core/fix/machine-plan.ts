/**
 * `bbauth fix --all`: the plans of many repositories made into one. Pure. Each repository was planned on its own
 * (core/fix/plan.ts) with the credential it will use afterwards; here their steps become one list that runs
 * once: a repository's own steps name it, steps on shared files (the global config, ~/.git-credentials, .netrc)
 * appear once, and one credential is stored once. Two different secrets cannot be stored under one username
 * for the same host, so a repository that would need that is left as it is and named under "by hand".
 */
import type { FixPlan, FixStep } from './plan-types.js';
import type { PlannedFix } from './plan.js';

/** What a repository will use after the fix. */
export type RepoRole =
  /**
   * It works now with what a helper hands it under its own username, and nothing fix stores replaces that: its
   * plan changes no credential (a remote naming no username gets that one written in, so it stays so).
   */
  | 'keep'
  /** A repository-scoped access token that works here: it stays this repository's, moved into the helper. */
  | 'own'
  /** The machine's one personal token (the new one, or the one that works). */
  | 'shared';

export interface RepoPlan {
  repository: string;
  role: RepoRole;
  planned: PlannedFix;
}

export interface MachinePlan extends PlannedFix {
  /** The repositories the plan covers, each with its role. */
  repositories: { repository: string; role: RepoRole }[];
}

/** A key that is the same for the same change to a shared file, whichever repository planned it. */
function sharedKey(s: FixStep): string | undefined {
  switch (s.action) {
    case 'unset-config':
      return `unset ${s.file} ${s.key}`;
    case 'remove-file-entry':
      return `remove ${s.file}:${s.line}`;
    case 'restrict-file-mode':
      return `chmod ${s.file}`;
    case 'use-helper':
      return `helper ${s.origin}`;
    case 'rewrite-composer-auth':
      return `composer ${s.file} ${s.host}`;
    case 'set-config':
      return s.scope === 'global' ? `set ${s.key}` : undefined;
    default:
      return undefined;
  }
}

const placed = (s: FixStep, repository: string): FixStep =>
  s.action === 'set-remote-url' || (s.action === 'set-config' && s.scope === 'local')
    ? { ...s, repository }
    : s;

/** Merges per-repository plans (and machine-wide steps, e.g. Composer's) into one plan. */
export function mergePlans(repos: readonly RepoPlan[], extra: PlannedFix = emptyPlanned()): MachinePlan {
  const steps: FixStep[] = [];
  const secrets = new Map<string, string>();
  const manual: string[] = [];
  const verify: FixPlan['verify'] = [];
  const seen = new Set<string>();
  /** username → the secret stored under it. */
  const storedUnder = new Map<string, string>();
  /** secret → its ref in the merged plan. */
  const refOf = new Map<string, string>();
  let needsToken = false;
  let needsTokenReason: string | undefined;
  const refFor = (secret: string): string => {
    let ref = refOf.get(secret);
    if (!ref) {
      ref = refOf.size === 0 ? 'new-token' : `secret-${refOf.size + 1}`;
      refOf.set(secret, ref);
      secrets.set(ref, secret);
    }
    return ref;
  };
  const add = (s: FixStep, planned: PlannedFix): void => {
    const key = sharedKey(s);
    if (key && seen.has(key)) return;
    if (key) seen.add(key);
    if (s.action === 'store-credential') {
      const secret = planned.secrets.get(s.secretRef)!;
      if (storedUnder.get(s.username) === secret) return;
      storedUnder.set(s.username, secret);
      steps.push({ ...s, secretRef: refFor(secret) });
      return;
    }
    if (s.action === 'rewrite-composer-auth') {
      steps.push({ ...s, secretRef: refFor(planned.secrets.get(s.secretRef)!) });
      return;
    }
    steps.push(s);
  };
  // The shared credential's store step first, so the personal token is `new-token` and stored before the rest.
  const ordered = [...repos].sort((a, b) => rank(a.role) - rank(b.role));
  for (const r of ordered) {
    const { plan, secrets: own } = r.planned;
    const conflict = plan.steps.find(
      (s) =>
        s.action === 'store-credential' &&
        storedUnder.has(s.username) &&
        storedUnder.get(s.username) !== own.get(s.secretRef),
    );
    if (conflict && conflict.action === 'store-credential') {
      manual.push(
        `${r.repository}: its credential (${conflict.fingerprint}) would have to be stored under ${conflict.username}, where another repository's is stored; left as it is. Give it its own: git -C ${r.repository} config credential.useHttpPath true, then bbauth fix in it.`,
      );
      continue;
    }
    for (const s of plan.steps) add(placed(s, r.repository), r.planned);
    for (const m of plan.manual)
      if (!manual.includes(`${r.repository}: ${m}`)) manual.push(`${r.repository}: ${m}`);
    for (const v of plan.verify) verify.push({ ...v, repository: r.repository });
    if (plan.needsToken && r.role === 'shared') {
      needsToken = true;
      needsTokenReason ??= plan.needsTokenReason;
    }
  }
  for (const s of extra.plan.steps) add(s, extra);
  manual.push(...extra.plan.manual);
  const plan: FixPlan = { schemaVersion: 1, steps, needsToken, manual, verify };
  if (needsTokenReason) plan.needsTokenReason = needsTokenReason;
  return {
    plan,
    secrets,
    repositories: repos.map((r) => ({ repository: r.repository, role: r.role })),
  };
}

function rank(role: RepoRole): number {
  return role === 'shared' ? 0 : role === 'own' ? 1 : 2;
}

function emptyPlanned(): PlannedFix {
  return {
    plan: { schemaVersion: 1, steps: [], needsToken: false, manual: [], verify: [] },
    secrets: new Map(),
  };
}
