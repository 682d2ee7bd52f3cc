/**
 * SARIF 2.1.0 for code-scanning dashboards: one rule per finding id (title from the catalogue, help from
 * docs/diagnoses/<id>.md), one result per finding with its file and line. Secrets never enter: findings carry
 * fingerprints only, and the CLI masks the final text once more.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CATALOGUE, type FindingId } from '../../core/findings/catalogue.js';
import type { Finding, Severity } from '../../core/model.js';
import type { ScanReport } from '../../core/scan/types.js';
import { docsPage } from './findings.js';

export interface RuleHelp {
  text: string;
  markdown?: string;
}

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** Reads each rule's docs page: the "What it means" paragraph as text, the whole page as markdown. */
export function loadRuleHelp(ids: Iterable<FindingId>): Map<FindingId, RuleHelp> {
  const out = new Map<FindingId, RuleHelp>();
  for (const id of ids) {
    try {
      const md = readFileSync(docsPage(id), 'utf8');
      const meaning = /## What it means\s*\n+([\s\S]*?)(?:\n\n|\n##|$)/.exec(md)?.[1];
      out.set(id, { text: (meaning ?? CATALOGUE[id].title).replace(/\s*\n\s*/g, ' ').trim(), markdown: md });
    } catch {
      out.set(id, { text: CATALOGUE[id].title });
    }
  }
  return out;
}

function result(f: Finding, ruleIndex: number): Result {
  const r: Result = {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: {
      text: f.credential ? `${f.message} (${f.credential.kind} ${f.credential.fingerprint})` : f.message,
    },
  };
  if (f.location.file) {
    r.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToFileURL(f.location.file).href },
          ...(f.location.line ? { region: { startLine: f.location.line } } : {}),
        },
      },
    ];
  }
  if (f.credential) r.partialFingerprints = { credential: f.credential.fingerprint };
  return r;
}

/** The SARIF log for a scan report. `help` comes from loadRuleHelp (I/O kept out of this function). */
export function renderSarif(report: ScanReport, version: string, help: Map<FindingId, RuleHelp>): string {
  const ids = [...new Set(report.findings.map((f) => f.id))];
  const rules: ReportingDescriptor[] = ids.map((id) => {
    const h = help.get(id) ?? { text: CATALOGUE[id].title };
    return {
      id,
      name: id,
      shortDescription: { text: CATALOGUE[id].title },
      fullDescription: { text: h.text },
      help: h.markdown ? { text: h.text, markdown: h.markdown } : { text: h.text },
      helpUri: pathToFileURL(docsPage(id)).href,
      defaultConfiguration: { level: LEVEL[CATALOGUE[id].severity] },
    };
  });
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'bbauth', version, informationUri: 'https://www.npmjs.com/package/bbauth', rules },
        },
        results: report.findings.map((f) => result(f, ids.indexOf(f.id))),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
