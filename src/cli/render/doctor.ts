/** Human and JSON views of a doctor report. Both read the same object. */
import type { DoctorReport } from '../../core/doctor/report.js';
import type { Colors } from '../output.js';
import { renderFindings } from './findings.js';
import { KIND_LABEL, sourceText } from './labels.js';
import { renderPrediction } from './predicted.js';

/** How git would ask for the password: via VS Code's (or another) askpass program, or on the terminal. */
function promptText(report: DoctorReport): string {
  return report.prompt.via === 'askpass'
    ? `ask through ${report.prompt.program} (${report.prompt.source})`
    : 'prompt on the terminal (and fail in jobs without one)';
}

/** The human report: one block per Bitbucket remote, then other places, then the verdict. */
export function renderDoctorHuman(report: DoctorReport, c: Colors, verbose: boolean): string {
  const out: string[] = [];
  const checked = !report.repository && report.remotes.length === 1 && report.remotes[0]!.name === 'url';
  out.push(
    report.repository
      ? `${c.bold('Repository')}  ${report.repository}`
      : checked
        ? `${c.bold('Clone URL')}   ${report.remotes[0]!.url}`
        : `${c.bold('Outside a repository')}: global git setup only`,
  );
  out.push(
    `${c.bold('Bitbucket')}   ${report.bitbucketUrl}  (API ${report.apiUrl})${report.online ? '' : c.dim('  — offline: no request sent')}`,
  );
  if (report.email)
    out.push(
      `${c.bold('Email')}       ${report.email.value}${report.email.source === 'git-config' ? c.dim(' (guessed from git config user.email)') : report.email.source === 'record' ? c.dim(" (from bbauth's records)") : ''}`,
    );
  for (const r of report.remotes) {
    out.push('');
    const dir = r.direction === 'both' ? 'fetch+push' : r.direction;
    if (!r.bitbucket) {
      out.push(`${c.bold(r.name)}  ${r.url}  ${c.dim(`(${dir}; not Bitbucket, left alone)`)}`);
      continue;
    }
    out.push(`${c.bold(r.name)}  ${r.url}  ${c.dim(`(${dir})`)}`);
    if (r.predicted) out.push(`  ${c.dim('git will')}  ${renderPrediction(r.predicted, c)}`);
    if (r.credential) {
      const user = r.credential.username !== undefined ? `, username ${r.credential.username}` : '';
      out.push(
        `  ${c.dim('git uses')}  ${KIND_LABEL[r.credential.kind] ?? r.credential.kind} ${r.credential.fingerprint}${user}, from ${sourceText(r.credential.source)}`,
      );
    } else if (!r.ssh) {
      out.push(
        `  ${c.dim('git uses')}  nothing: no helper, URL or .netrc has a credential, so git would ${r.predicted?.fetch === 'fails' ? 'fail: there is no terminal to ask on' : promptText(report)}`,
      );
    }
    for (const s of r.server) out.push(`  ${c.dim('server')}    ${s}`);
    for (const h of r.history) out.push(`  ${c.dim('history')}   ${h}`);
    if (r.findings.length === 0) out.push(`  ${c.green('✔')} no problems found`);
    out.push(...renderFindings(r.findings, c));
  }
  if (report.remotes.length === 0 && report.repository) out.push('', 'This repository has no remotes.');
  if (report.clone) out.push('', `${c.bold('Clone with')}  ${report.clone}`);
  const global = report.findings.filter((f) => f.location.remote === undefined);
  if (global.length > 0) {
    out.push('', c.bold(report.repository ? 'Elsewhere on this machine' : 'Git setup for Bitbucket'));
    out.push(...renderFindings(global, c));
  }
  out.push('');
  if (verbose)
    out.push(c.dim(`${report.stats.requests} HTTP request(s), ${report.stats.gitCalls} git call(s).`));
  const hasError = report.findings.some((f) => f.severity === 'error');
  out.push(`${hasError ? c.red(c.bold('Verdict')) : c.green(c.bold('Verdict'))}  ${report.verdict}`);
  return out.join('\n');
}

/** The JSON document printed by --json (schemaVersion 1). */
export function renderDoctorJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}
