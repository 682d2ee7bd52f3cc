/**
 * `bbauth fix --all [PATH…]`: one plan over every repository scan finds (default: HOME), the credential stores,
 * `.netrc` and Composer's auth.json; one transaction, one backup, one `--undo`; every Bitbucket repository checked
 * with real git before and after.
 *
 * What each repository uses afterwards (core/fix/machine-plan.ts): one that works now through a credential the
 * helper hands it under its own username keeps it (a remote with no username gets that username written into
 * its URL, so the machine's token stored first does not take its place); a deploy checkout that works with its
 * own access token keeps that token, moved into the helper; every other one uses the machine's one personal
 * token. That token (new, or the best one that works already) is checked against every repository that will
 * use it before anything changes: if one of them would fail, nothing is changed.
 */
import { checkNewToken } from '../core/credential/token-check.js';
import { UsageError } from '../core/errors.js';
import { gitUsernameFor } from '../core/findings/advice.js';
import { mergePlans, type MachinePlan, type RepoPlan } from '../core/fix/machine-plan.js';
import { planFixes, type NewToken, type PlannedFix } from '../core/fix/plan.js';
import { composerSteps } from '../core/fix/composer-steps.js';
import type { FixPlan, FixStep } from '../core/fix/plan-types.js';
import { maskUrl } from '../core/redact.js';
import { registerSecret } from '../core/secret-registry.js';
import { setRemoteUrlStep } from '../core/steps/commands.js';
import { applyPlan } from './fix-apply.js';
import { deadOrReplaced, recordStored, type FixOptions, type RemoteState } from './fix.js';
import { verifyWithGit, type GitCheck } from './fix-verify.js';
import { DEFAULT_MAX_FILE_SIZE, scanMachine } from './scan.js';
import type { ScanItem } from '../core/scan/types.js';
import { checkShared, diagnoseRepo, httpRemotes, type Diagnosed } from './fix-all-repos.js';

export interface FixAllOptions extends Omit<FixOptions, 'cwd' | 'toSsh' | 'confirm'> {
  /** Where to look for repositories and files (default: HOME). */
  paths: string[];
  /** HOME: where helpers are asked and git runs for machine-wide steps. */
  home: string;
  confirm?: (plan: FixPlan) => Promise<boolean>;
}

/** What a repository uses afterwards; `left`: the personal token cannot serve it, so it is not touched. */
export type Role = RepoPlan['role'] | 'left';

/** One repository's row of the before/after table. */
export interface RepoRow {
  repository: string;
  role: Role;
  before: RemoteState[];
  after: GitCheck[];
}

export type FixAllOutcome =
  | { status: 'nothing-to-do'; plan: FixPlan; repositories: RepoRow[] }
  | { status: 'planned'; plan: FixPlan; repositories: RepoRow[] }
  | { status: 'needs-confirmation'; plan: FixPlan; repositories: RepoRow[] }
  | { status: 'declined'; plan: FixPlan; repositories: RepoRow[] }
  | { status: 'needs-token'; plan: FixPlan; repositories: RepoRow[] }
  | { status: 'token-refused'; plan: FixPlan; repositories: RepoRow[]; reason: string; checks: string[] }
  | { status: 'applied'; plan: FixPlan; repositories: RepoRow[]; backup: string };

/**
 * The repository keeps what its helper hands it: its plan moves no credential and rewrites no remote, except
 * that remotes naming no username are given that one.
 */
function keepPlan(d: Diagnosed, username: string, helper: string | undefined): PlannedFix {
  const planned = planFixes({
    facts: d.run.facts,
    findings: d.run.report.findings,
    checked: d.checked,
    ...(helper ? { helper } : {}),
  });
  // A store entry moving into the chosen helper keeps its username: that one stays.
  const steps = planned.plan.steps.filter(
    (s) =>
      !(s.action === 'store-credential' && !s.secretRef.startsWith('store:')) &&
      s.action !== 'set-remote-url',
  );
  const pinned: FixStep[] = [];
  for (const r of httpRemotes(d.run.facts)) {
    if (r.url.username !== undefined || !r.url.workspace || !r.url.repo) continue;
    const to = d.run.facts.endpoints.bitbucketUrl.replace('://', `://${encodeURIComponent(username)}@`);
    pinned.push(
      setRemoteUrlStep(r.name, `${to}/${r.url.workspace}/${r.url.repo}.git`, {
        push: r.direction === 'push' && r.configKey.endsWith('.pushurl'),
        from: maskUrl(r.url.raw),
        why: `it works with the credential stored under ${username}; naming that username keeps it so`,
      }),
    );
  }
  return { ...planned, plan: { ...planned.plan, steps: [...steps, ...pinned] } };
}

/** The secrets the run proved dead or replaces, over every repository. */
function replacedSecrets(ds: readonly Diagnosed[]): string[] {
  return [...new Set(ds.flatMap((d) => deadOrReplaced(d.run, d.checked)))];
}

/** Runs `fix --all`. */
export async function runFixAll(opts: FixAllOptions): Promise<FixAllOutcome> {
  const found = await scanMachine({
    paths: opts.paths,
    env: opts.env,
    endpoints: opts.endpoints,
    excludes: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
  });
  const diagnosed: Diagnosed[] = [];
  for (const repository of [...new Set(found.repositories)].sort()) {
    const d = await diagnoseRepo(repository, opts);
    if (d) diagnosed.push(d);
  }

  // The personal credential: the new token when one is given (or needed), else one that works already.
  // A few at most: each is checked against every repository that would use it.
  const personal = diagnosed
    .flatMap((d) => d.checked)
    .filter((c) => c.fetchOk && c.use.class.kind !== 'access-token')
    .filter((c, i, all) => all.findIndex((x) => x.use.secret === c.use.secret) === i)
    .sort((a, b) => Number(b.pushOk) - Number(a.pushOk))
    .slice(0, 3);
  const roleOf = (d: Diagnosed, shared: NewToken | undefined): Role => {
    if (!d.works) return 'shared';
    if (d.works.source === 'url') return d.works.kind === 'access-token' ? 'own' : 'shared';
    const user = d.works.username;
    // Stored under the username the personal token goes under: storing that replaces it, so it is shared.
    if (!user || (shared && user === gitUsernameFor(shared.kind) && d.works.secret !== shared.secret))
      return 'shared';
    return 'keep';
  };
  let token: NewToken | undefined;
  const rowsOf = (roles: Map<Diagnosed, Role>): RepoRow[] =>
    diagnosed.map((d) => ({
      repository: d.repository,
      role: roles.get(d) ?? 'shared',
      before: d.before,
      after: [],
    }));
  const rolesFor = (t: NewToken | undefined) => new Map(diagnosed.map((d) => [d, roleOf(d, t)] as const));
  const sharedOf = (roles: Map<Diagnosed, Role>) => diagnosed.filter((d) => roles.get(d) === 'shared');

  // An existing credential is used only if it works for every repository that would use it.
  let checks: string[] = [];
  let left = new Map<Diagnosed, string>();
  for (const c of personal) {
    const t = { secret: c.use.secret, kind: c.use.class.kind };
    const r = await checkShared(t, sharedOf(rolesFor(t)), opts);
    if (!r.dead && !r.unchecked && r.failed.size === 0) {
      token = t;
      break;
    }
    checks = r.checks;
  }
  if (sharedOf(rolesFor(token)).length > 0 && !token) {
    const draft = build(diagnosed, rolesFor(undefined), undefined, found.items, opts);
    const raw = await opts.obtainToken(
      personal.length > 0
        ? 'no credential on this machine works for every repository that needs one; a new API token is needed'
        : 'no credential on this machine is accepted by Bitbucket; a new API token is needed',
    );
    if (raw === undefined) {
      draft.plan.needsToken = true;
      return { status: 'needs-token', plan: draft.plan, repositories: rowsOf(rolesFor(undefined)) };
    }
    registerSecret(raw.trim());
    const check = checkNewToken(raw);
    if (!check.ok) throw new UsageError(`not using this token: ${check.message}`, check.nextSteps);
    registerSecret(check.secret);
    const t = { secret: check.secret, kind: check.class.kind };
    const shared = sharedOf(rolesFor(t));
    const r = await checkShared(t, shared, opts);
    if (r.unchecked)
      return {
        status: 'token-refused',
        plan: draft.plan,
        repositories: rowsOf(rolesFor(t)),
        reason: `the token was not checked: ${r.unchecked}; nothing was changed. Run again when Bitbucket answers, or with --offline to apply the plan unchecked.`,
        checks: [...checks, ...r.checks],
      };
    // Refused when it works nowhere it would be used. Where it works in some, the others are left as they are.
    if (r.dead || (r.failed.size > 0 && r.failed.size === shared.filter((d) => d.target).length)) {
      const [d, why] = [...r.failed][0] ?? [];
      return {
        status: 'token-refused',
        plan: draft.plan,
        repositories: rowsOf(rolesFor(t)),
        reason: `${r.dead ? 'Bitbucket refused the token (created without scopes, revoked or expired?)' : `${why} (${d!.repository}), nor any other repository that needs it`}; nothing was changed.`,
        checks: [...checks, ...r.checks],
      };
    }
    token = t;
    left = r.failed;
  }
  const roles: Map<Diagnosed, Role> = rolesFor(token);
  for (const d of left.keys()) roles.set(d, 'left');
  const merged = build(diagnosed, roles, token, found.items, opts, left);
  const { plan, secrets } = merged;
  const repositories = rowsOf(roles);
  if (plan.steps.length === 0) return { status: 'nothing-to-do', plan, repositories };
  if (opts.dryRun) return { status: 'planned', plan, repositories };
  if (!opts.yes) {
    if (!opts.confirm) return { status: 'needs-confirmation', plan, repositories };
    if (!(await opts.confirm(plan))) return { status: 'declined', plan, repositories };
  }
  const localConfigs = diagnosed.flatMap((d) =>
    d.run.facts.config
      .filter((e) => e.scope === 'local' && e.origin.startsWith('file:'))
      .map((e) => e.origin.slice('file:'.length))
      .map((f) => (f.startsWith('/') ? f : `${d.repository}/${f}`)),
  );
  const backup = await applyPlan(plan, secrets, {
    cwd: opts.home,
    env: opts.env,
    endpoints: opts.endpoints,
    now: opts.now,
    replaces: replacedSecrets(diagnosed),
    localConfigs: [...new Set(localConfigs)],
    ...(opts.helper ? { helper: opts.helper } : {}),
    ...(opts.chooseHelper ? { chooseHelper: opts.chooseHelper } : {}),
  });
  if (!opts.offline)
    for (const row of repositories) {
      // A repository left as it is is checked too: the table shows what git does there now.
      const verify =
        row.role === 'left'
          ? row.before.map((b) => ({ remote: b.remote, push: b.push !== 'n/a' }))
          : plan.verify.filter((v) => v.repository === row.repository);
      row.after = await verifyWithGit(verify, row.repository, opts.env);
    }
  await recordStored(
    plan,
    secrets,
    repositories.flatMap((r) => r.after),
    opts,
  );
  return { status: 'applied', plan, repositories, backup };
}

/** The Atlassian email: the flag, BBAUTH_EMAIL, or a record's; never a guess from git's user.email. */
function knownEmail(diagnosed: readonly Diagnosed[], opts: FixAllOptions): string | undefined {
  if (opts.email ?? opts.env.BBAUTH_EMAIL) return opts.email ?? opts.env.BBAUTH_EMAIL;
  return diagnosed.map((d) => d.run.facts.email).find((e) => e && e.source !== 'git-config')?.value;
}

/** Plans every repository for its role and merges the plans, with Composer's files. */
function build(
  diagnosed: readonly Diagnosed[],
  roles: Map<Diagnosed, Role>,
  token: NewToken | undefined,
  items: readonly ScanItem[],
  opts: FixAllOptions,
  left: ReadonlyMap<Diagnosed, string> = new Map(),
): MachinePlan {
  const repos: RepoPlan[] = diagnosed.flatMap((d) => {
    const role = roles.get(d)!;
    if (role === 'left') return [];
    const input = {
      facts: d.run.facts,
      findings: d.run.report.findings,
      ...(opts.helper ? { helper: opts.helper } : {}),
    };
    let planned: PlannedFix;
    if (role === 'keep') planned = keepPlan(d, d.works!.username!, opts.helper);
    else if (role === 'own')
      planned = planFixes({ ...input, checked: d.checked.filter((c) => c.use.secret === d.works!.secret) });
    else planned = planFixes({ ...input, checked: [], ...(token ? { newToken: token } : {}) });
    return [{ repository: d.repository, role, planned }];
  });
  const manual = [...left].map(
    ([d, why]) =>
      `${d.repository}: ${why}; left as it is. Give the account access, or run \`bbauth fix\` in it with a credential of its own.`,
  );
  const extraSecrets = new Map<string, string>();
  const composer = composerSteps(
    items,
    new Set(replacedSecrets(diagnosed)),
    token,
    knownEmail(diagnosed, opts),
    (secret) => {
      extraSecrets.set('composer-token', secret);
      return 'composer-token';
    },
  );
  return mergePlans(repos, {
    plan: {
      schemaVersion: 1,
      steps: composer.steps,
      needsToken: false,
      manual: [...manual, ...composer.manual],
      verify: [],
    },
    secrets: extraSecrets,
  });
}
