/** bbauth explain's rules as a table: a log line in, the finding (or none) out. */
import { describe, it } from 'vitest';
import { explainMisses, explainProduces } from './rules/explain.rows.js';
import { checkMisses, checkProduces, missesName, producesName } from './rules/rows.js';

describe('explain: log lines that name a cause', () => {
  it.each(explainProduces.map((r) => [producesName(r), r] as const))('%s', (_name, row) =>
    checkProduces(row),
  );
  it.each(explainMisses.map((r) => [missesName(r), r] as const))('%s', (_name, row) => checkMisses(row));
});
