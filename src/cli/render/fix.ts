/** Human views of a fix plan and its result. The plan shown is the plan executed. */
import type { FixPlan, FixStep } from '../../core/fix/plan-types.js';
import { stepCommand } from '../../core/steps/commands.js';
import type { FixOutcome } from '../../services/fix.js';
import type { FixAllOutcome } from '../../services/fix-all.js';
import type { Colors } from '../output.js';
import { KIND_LABEL } from './labels.js';

function describeStep(s: FixStep): string {
  switch (s.action) {
    case 'store-credential':
      return `store the ${KIND_LABEL[s.kind]} ${s.fingerprint} in the credential helper as ${s.username}`;
    case 'set-remote-url':
      return `${stepCommand(s)}   (was ${s.from})`;
    case 'unset-config':
    case 'set-config':
    case 'restrict-file-mode':
    case 'use-helper':
      return stepCommand(s)!;
    case 'remove-file-entry':
      return `remove the Bitbucket entry at ${s.file}:${s.line}`;
    case 'rewrite-composer-auth':
      return `set http-basic.${s.host} in ${s.file} to ${s.username} and the token ${s.fingerprint}`;
  }
}

/** The numbered plan, with why for each step. */
export function renderPlan(plan: FixPlan, c: Colors): string {
  const out = [c.bold(plan.repository ? `Fix plan for ${plan.repository}` : 'Fix plan')];
  if (plan.steps.length === 0 && !plan.needsToken) out.push('  nothing to change.');
  plan.steps.forEach((s, i) => out.push(`  ${i + 1}. ${describeStep(s)}`, `     ${c.dim(s.why)}`));
  if (plan.needsToken) out.push(`  ${c.yellow('needs a new token')}: ${plan.needsTokenReason ?? ''}`);
  for (const m of plan.manual) out.push(`  ${c.yellow('by hand')}: ${m}`);
  return out.join('\n');
}

const mark = (v: string, c: Colors) =>
  v === 'ok' ? c.green('ok') : v.startsWith('failed') ? c.red(v) : c.dim(v);

/** The before/after table of an applied fix. */
export function renderApplied(outcome: Extract<FixOutcome, { status: 'applied' }>, c: Colors): string {
  const out = [
    renderPlan(outcome.plan, c),
    '',
    c.bold('Verified with git'),
    '  remote        fetch before → after        push before → after',
  ];
  for (const a of outcome.after) {
    const b = outcome.before.find((x) => x.remote === a.remote);
    out.push(
      `  ${a.remote.padEnd(12)}  ${(b?.fetch ?? '?').padEnd(12)} → ${mark(a.fetch, c).padEnd(10)}  ${(b?.push ?? '?').padEnd(12)} → ${mark(a.push, c)}`,
    );
    if (a.detail) out.push(`  ${c.dim(`  git: ${a.detail}`)}`);
  }
  const ok = outcome.after.every((a) => a.fetch === 'ok' && a.push !== 'failed');
  if (outcome.after.length === 0) {
    // --to-ssh (nothing over HTTPS) or --offline (no contact allowed): no table; say how to check instead.
    const how =
      outcome.plan.verify.length === 0
        ? 'Check SSH access with: ssh -T git@bitbucket.org'
        : 'Not verified (--offline). Check with: git ls-remote origin';
    out.splice(out.length - 2, 2, c.dim(how));
  }
  out.push(
    '',
    ok ? `${c.green('✔')} Fixed.` : `${c.red('✖')} Still failing: run \`bbauth doctor\` for the cause.`,
  );
  out.push(
    c.dim(
      `Backup: ${outcome.backup} — \`bbauth fix --undo\` restores it, \`bbauth fix --purge-backups\` deletes backups.`,
    ),
  );
  return out.join('\n');
}

const ROLE_LABEL = {
  keep: 'keeps its credential',
  own: 'its own access token',
  shared: 'the machine token',
  left: 'left as it is',
} as const;

/** `fix --all`: the plan, then one table of every repository (remote × fetch/push × before → after). */
export function renderAppliedAll(outcome: Extract<FixAllOutcome, { status: 'applied' }>, c: Colors): string {
  const out = [renderPlan(outcome.plan, c), '', c.bold('Verified with git')];
  out.push('  repository / remote              fetch before → after        push before → after');
  for (const row of outcome.repositories) {
    out.push(`  ${row.repository}  ${c.dim(`(${ROLE_LABEL[row.role]})`)}`);
    for (const b of row.before) {
      const a = row.after.find((x) => x.remote === b.remote);
      const fetch = a ? mark(a.fetch, c) : c.dim('not checked');
      const push = a ? mark(a.push, c) : c.dim('not checked');
      out.push(
        `    ${b.remote.padEnd(29)}  ${b.fetch.padEnd(12)} → ${fetch.padEnd(10)}  ${b.push.padEnd(12)} → ${push}`,
      );
      if (a?.detail) out.push(`    ${c.dim(`  git: ${a.detail}`)}`);
    }
  }
  const failed = allFailures(outcome);
  out.push(
    '',
    failed.length === 0
      ? `${c.green('✔')} Fixed ${outcome.repositories.length} repositor${outcome.repositories.length === 1 ? 'y' : 'ies'}.`
      : `${c.red('✖')} Still failing: ${failed.join(', ')}; run \`bbauth doctor\` there for the cause.`,
    c.dim(
      `Backup: ${outcome.backup} — \`bbauth fix --undo\` restores every file of this run, \`bbauth fix --purge-backups\` deletes backups.`,
    ),
  );
  return out.join('\n');
}

/** The repositories git still fails in after `fix --all`. */
export function allFailures(outcome: Extract<FixAllOutcome, { status: 'applied' }>): string[] {
  return outcome.repositories
    .filter((r) => r.after.some((a) => a.fetch !== 'ok' || a.push === 'failed'))
    .map((r) => r.repository);
}

/** `fix --all` before anything is applied: the plan and which credential each repository will use. */
export function renderPlanAll(outcome: FixAllOutcome, c: Colors, searched: readonly string[]): string {
  const out = [renderPlan(outcome.plan, c), '', c.bold('Repositories')];
  for (const r of outcome.repositories) {
    const state = r.before.map((b) => `${b.remote}: fetch ${b.fetch}, push ${b.push}`).join('; ');
    out.push(`  ${r.repository}  ${c.dim(`(${ROLE_LABEL[r.role]})`)}  ${state}`);
  }
  if (outcome.repositories.length === 0)
    out.push(`  no repository with a Bitbucket HTTPS remote was found under ${searched.join(', ')}.`);
  return out.join('\n');
}
