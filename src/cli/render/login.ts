/** Human view of a login result. */
import type { LoginResult } from '../../services/login.js';
import type { Colors } from '../output.js';
import { NEW_TOKEN_ADVICE } from '../../core/findings/advice.js';

/** What login did, or why it refused. */
export function renderLogin(r: LoginResult, c: Colors): string {
  const lines: string[] = [];
  const kind = r.kind === 'access-token' ? 'access token' : 'API token';
  for (const check of r.checks) lines.push(`  ${c.dim('checked')}  ${check}`);
  if (!r.stored) {
    lines.unshift(`${c.red('✖')} ${kind} ${r.fingerprint}: ${r.refusal ?? 'not stored.'}`);
    if (r.scopesMissing.length) lines.push(`  ${c.dim('missing')}  ${r.scopesMissing.join(', ')}`);
    lines.push(`  → ${NEW_TOKEN_ADVICE}; then run bbauth login again.`);
    return lines.join('\n');
  }
  lines.unshift(
    `${c.green('✔')} Stored ${kind} ${r.fingerprint} for git as ${r.username} in ${r.helpers.join(', ')}.`,
  );
  if (r.verdict === 'offline')
    lines.push(`  ${c.yellow('not checked')}  stored without any check (--offline / --no-verify)`);
  if (r.scopesSeen.length) lines.push(`  ${c.dim('works')}    ${r.scopesSeen.join(', ')}`);
  if (r.scopesMissing.length) lines.push(`  ${c.yellow('missing')}  ${r.scopesMissing.join(', ')}`);
  lines.push(
    `  ${c.dim('expires')}  ${r.expires ?? 'not recorded (pass --expires YYYY-MM-DD for expiry warnings)'}`,
  );
  for (const n of r.notes) lines.push(`  ${c.dim('note')}     ${n}`);
  return lines.join('\n');
}
