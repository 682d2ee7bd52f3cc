/** Human rendering of findings, shared by doctor, scan and status. */
import { fileURLToPath } from 'node:url';
import type { FindingId } from '../../core/findings/catalogue.js';
import type { Finding, Location } from '../../core/model.js';
import type { Colors } from '../output.js';
import { sourceText } from './labels.js';

const DOCS_ROOT = fileURLToPath(new URL('../../../docs/diagnoses/', import.meta.url));

/** Absolute path of the docs page for a finding id in this installation. */
export function docsPage(id: FindingId): string {
  return `${DOCS_ROOT}${id}.md`;
}

/** `file:line`, config key, helper… — whatever is known, shortest first. */
export function renderLocation(l: Location): string {
  const parts: string[] = [];
  if (l.file) parts.push(l.line !== undefined ? `${l.file}:${l.line}` : l.file);
  if (l.configKey)
    parts.push(l.configOrigin ? `${l.configKey} (${l.configOrigin.replace(/^file:/, '')})` : l.configKey);
  if (l.helper && !l.file) parts.push(`helper ${l.helper}`);
  if (l.env) parts.push(`$${l.env}`);
  if (!parts.length && l.host) parts.push(l.host);
  return parts.join(', ');
}

/** Renders a list of findings, saying "same as above" for a fix already shown in full. */
export function renderFindings(findings: readonly Finding[], c: Colors, indent = '  '): string[] {
  let previous = '';
  return findings.map((f) => {
    const key = JSON.stringify(f.fix.commands);
    const same = f.fix.commands.length > 0 && key === previous;
    previous = key;
    return renderFinding(f, c, indent, true, same);
  });
}

function badge(f: Finding, c: Colors): string {
  if (f.severity === 'error') return c.red(c.bold('✖ error  '));
  if (f.severity === 'warning') return c.yellow(c.bold('▲ warning'));
  return c.cyan('ℹ info   ');
}

/** One finding: badge, id, why, where, credential, evidence, fix commands, docs. */
export function renderFinding(
  f: Finding,
  c: Colors,
  indent = '  ',
  showLocation = true,
  sameFixAsAbove = false,
): string {
  const lines = [`${indent}${badge(f, c)} ${c.bold(f.id)}  ${f.message}`];
  const pad = `${indent}    `;
  const where = renderLocation(f.location);
  if (showLocation && where) lines.push(`${pad}${c.dim('where')}   ${where}`);
  if (f.credential) {
    const user = f.credential.username !== undefined ? `, username ${f.credential.username}` : '';
    lines.push(
      `${pad}${c.dim('secret')}  ${f.credential.kind} ${f.credential.fingerprint}${user}, from ${sourceText(f.credential.source)}`,
    );
  }
  if (f.evidence) lines.push(`${pad}${c.dim('server')}  ${f.evidence}`);
  // Same root cause, said once: the findings this one explains, by id.
  for (const b of f.because ?? []) lines.push(`${pad}${c.dim('also')}    ${b.id}: ${b.message}`);
  if (sameFixAsAbove) lines.push(`${pad}${c.dim('fix')}     same as above`);
  else {
    lines.push(`${pad}${c.dim('fix')}     ${f.fix.summary}`);
    for (const cmd of f.fix.commands) lines.push(`${pad}          ${c.green('$')} ${cmd}`);
  }
  lines.push(`${pad}${c.dim('docs')}    ${docsPage(f.id)}`);
  return lines.join('\n');
}
