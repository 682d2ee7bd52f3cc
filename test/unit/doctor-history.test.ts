import { describe, expect, it } from 'vitest';
import { historyLine } from '../../src/core/doctor/report.js';

describe('historyLine', () => {
  const fp = 'ATATT3…A1B2 (192 chars)';
  it.each([
    [{ fingerprint: fp }, undefined],
    [{ fingerprint: fp, lastWorked: '2026-11-23T14:05:00.000Z' }, undefined],
    [
      { fingerprint: fp, lastFailed: '2026-11-23T14:02:10.123Z' },
      `git reported a failure at 2026-11-23 14:02 UTC for token ${fp}`,
    ],
    [
      { fingerprint: fp, lastWorked: '2026-11-20T09:00:00.000Z', lastFailed: '2026-11-23T14:02:10.123Z' },
      `git reported a failure at 2026-11-23 14:02 UTC for token ${fp} (last worked 2026-11-20)`,
    ],
    [
      { fingerprint: fp, lastWorked: '2026-11-23T15:00:00.000Z', lastFailed: '2026-11-23T14:02:10.123Z' },
      undefined,
    ],
  ])('%j → %s', (record, expected) => {
    expect(historyLine(record)).toBe(expected);
  });
});
