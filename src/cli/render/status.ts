/** Human and JSON views of `bbauth status`, in the spirit of `gh auth status`. Both read the same object. */
import type { CredentialState, StatusCredential, StatusView } from '../../core/status.js';
import type { Colors } from '../output.js';
import { renderFindings } from './findings.js';
import { renderPrediction } from './predicted.js';
import { boundDay, KIND_LABEL } from './labels.js';

const STATE_TEXT: Record<CredentialState | 'ssh', string> = {
  works: 'Works',
  'push-refused': 'Fetch works, push is refused',
  refused: 'Refused by Bitbucket',
  'missing-scope': 'Refused: the token lacks a required scope',
  'no-access': 'Authenticates, but has no access to this repository',
  broken: 'Will fail (proven offline)',
  none: 'No credential stored: git would prompt (or fail without a terminal)',
  unreachable: 'Not checked: Bitbucket could not be reached',
  unchecked: 'Not checked online',
  ssh: 'SSH remote: git uses your SSH key (not checked by status)',
};

function mark(state: CredentialState | 'ssh', c: Colors): string {
  if (state === 'works') return c.green('✓');
  if (state === 'unchecked' || state === 'ssh') return c.dim('-');
  if (state === 'unreachable') return c.yellow('!');
  return c.red('X');
}

/** `fetch: HTTP 410: CHANGE-3222 …` → `fetch: HTTP 410`: the status line stays one line; --verbose shows all. */
function brief(server: string): string {
  return /^[^:]+: HTTP \d+/.exec(server)?.[0] ?? server;
}

/** `2026-11-23T16:40:00.000Z` → `2026-11-23 16:40 UTC`. */
function when(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function expiryLine(cred: StatusCredential, c: Colors): string | undefined {
  if (!cred.expires) return cred.recorded ? 'not recorded (bbauth login --expires YYYY-MM-DD)' : undefined;
  const n = cred.daysLeft ?? 0;
  const left =
    cred.expiryState === 'expired'
      ? c.red('expired')
      : n === 0
        ? 'last day'
        : `${n} day${n === 1 ? '' : 's'} left`;
  const when = cred.expiresBound
    ? `no later than ${boundDay(cred.expires)} (a year after bbauth first saw it)`
    : cred.expires;
  return `${when} (${cred.expiryState === 'soon' ? c.yellow(left) : left})`;
}

/** The detail lines for one credential: everything known about it, fingerprints only. */
function credentialLines(cred: StatusCredential, c: Colors): string[] {
  const user = cred.username !== undefined ? `, username ${cred.username}` : '';
  const out = [
    `Credential: ${KIND_LABEL[cred.kind] ?? cred.kind} ${cred.fingerprint}${user}, from ${cred.source}`,
  ];
  if (cred.scopesSeen.length) out.push(`Scopes seen: ${cred.scopesSeen.join(', ')}`);
  if (cred.scopesMissing.length) out.push(`Scopes missing: ${c.yellow(cred.scopesMissing.join(', '))}`);
  const exp = expiryLine(cred, c);
  if (exp) out.push(`Expires: ${exp}`);
  const dates = (
    [
      ['last verified', cred.lastVerified],
      ['last worked', cred.lastWorked],
      ['last failed', cred.lastFailed],
    ] as const
  )
    .filter(([, v]) => v)
    .map(([k, v]) => `${k} ${when(v)}`);
  if (dates.length) out.push(dates.join('; ').replace(/^./, (ch) => ch.toUpperCase()));
  if (!cred.recorded) out.push(c.dim('Not recorded by bbauth (no expiry or history known)'));
  return out;
}

/** The human view: one block per Bitbucket remote (or the host's credential), then expiry warnings. */
export function renderStatusHuman(
  view: StatusView,
  c: Colors,
  verbose: boolean,
  stats?: { requests: number; gitCalls: number },
): string {
  const out: string[] = [];
  const byId = new Map(view.credentials.map((x) => [x.id, x]));
  const shown = new Map<string, string>();
  const details = (id: string, where: string): string[] => {
    const cred = byId.get(id)!;
    const first = shown.get(id);
    if (first !== undefined)
      return [`Credential: same ${KIND_LABEL[cred.kind] ?? cred.kind} ${cred.fingerprint} as ${first}`];
    shown.set(id, where);
    return credentialLines(cred, c);
  };
  out.push(
    `${c.bold(view.host)}${view.repository ? `  ${c.dim(view.repository)}` : c.dim('  (outside a repository)')}${view.online ? '' : c.dim('  — offline: nothing sent')}`,
  );
  for (const r of view.remotes) {
    const dir = r.direction === 'both' ? 'fetch+push' : r.direction;
    out.push(`  ${c.bold(r.name)}  ${r.url}  ${c.dim(`(${dir})`)}`);
    if (r.predicted) out.push(`    git will  ${renderPrediction(r.predicted, c)}`);
    out.push(
      `    ${mark(r.state, c)} ${r.state === 'none' && r.predicted?.fetch === 'fails' ? 'No credential stored, and no terminal to ask on: git fails' : STATE_TEXT[r.state]}${r.server.length ? c.dim(` (${r.server.map((l) => (verbose ? l : brief(l))).join('; ')})`) : ''}`,
    );
    if (r.credential) for (const l of details(r.credential, r.name)) out.push(`    - ${l}`);
    for (const p of r.problems) out.push(`    ${c.red('✖')} ${c.bold(p.id)}  ${p.message}`);
  }
  if (view.hostCredential) {
    const h = view.hostCredential;
    out.push(`  ${c.bold('credential helper')}  ${h.helper}  ${c.dim(`(for ${view.bitbucketUrl})`)}`);
    out.push(
      `    ${mark(h.state, c)} ${STATE_TEXT[h.state]}${h.state === 'unchecked' && view.online ? c.dim(' (no repository to check against)') : ''}`,
    );
    for (const l of details(h.credential, 'the helper')) out.push(`    - ${l}`);
  } else if (view.remotes.length === 0) {
    out.push(`  ${c.red('X')} No credential stored for ${view.host}. Run \`bbauth login\`.`);
  }
  if (view.findings.length) {
    out.push('');
    out.push(...renderFindings(view.findings, c));
  }
  if (!view.ok) out.push('', c.dim('Run `bbauth doctor` for causes and exact fixes.'));
  if (verbose && stats) out.push(c.dim(`${stats.requests} HTTP request(s), ${stats.gitCalls} git call(s).`));
  return out.join('\n');
}

/** The JSON document printed by --json (schemaVersion 1). */
export function renderStatusJson(view: StatusView): string {
  return JSON.stringify(view, null, 2);
}
