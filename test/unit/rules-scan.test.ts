/** Scan's place rules and scan --verify's answer rules as tables: file text in, findings out. */
import { describe, it } from 'vitest';
import { checkMisses, checkProduces, missesName, producesName } from './rules/rows.js';
import { scanMisses, scanProduces } from './rules/scan.rows.js';

describe('scan place rules and verify', () => {
  it.each(scanProduces.map((r) => [producesName(r), r] as const))('%s', (_name, row) => checkProduces(row));
  it.each(scanMisses.map((r) => [missesName(r), r] as const))('%s', (_name, row) => checkMisses(row));
});
