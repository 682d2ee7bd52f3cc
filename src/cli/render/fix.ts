/** Human views of a fix plan and its result. The plan shown is the plan executed. */
import type { FixPlan, FixStep } from '../../core/fix/plan-types.js';
import { stepCommand } from '../../core/steps/commands.js';
import type { FixOutcome } from '../../services/fix.js';
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
      return stepCommand(s)!;
    case 'remove-file-entry':
      return `remove the Bitbucket entry at ${s.file}:${s.line}`;
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
