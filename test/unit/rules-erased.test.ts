/** credential-erased as a table: doctor's facts and bbauth's records in, the finding (or none) out. */
import { describe, it } from 'vitest';
import { erasedMisses, erasedProduces } from './rules/erased.rows.js';
import { checkMisses, checkProduces, missesName, producesName } from './rules/rows.js';

describe('credential-erased: a token bbauth saw stored, and git erased after a 401', () => {
  it.each(erasedProduces.map((r) => [producesName(r), r] as const))('%s', (_name, row) => checkProduces(row));
  it.each(erasedMisses.map((r) => [missesName(r), r] as const))('%s', (_name, row) => checkMisses(row));
});
