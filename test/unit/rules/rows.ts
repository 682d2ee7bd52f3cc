/**
 * The shape of a rule-table row, and the one way every row is checked. Rows live in the *.rows.ts modules
 * next to this file so that rules-catalogue-coverage.test.ts can run them all and see which ids they produce;
 * each rules-*.test.ts runs its own.
 */
import { expect } from 'vitest';
import {
  fingerprint,
  type Finding,
  type FindingId,
  type Location,
  type Severity,
} from '../../helpers/core.js';
import { leakedSecret } from '../../helpers/facts.js';

/** A row that must produce `id` (with this severity, at this place). */
export interface Produces {
  name: string;
  /** Which pure rule the row goes through (for the test name). */
  rule: string;
  run: () => Finding[];
  id: FindingId;
  severity: Severity;
  /** Location fields that matter; the finding's location must contain them. */
  at?: Partial<Location>;
  /** The credential the finding names: its fingerprint must be this secret's. */
  secret?: string;
  message?: RegExp;
}

/** A near miss: facts one step away from `id`, which must then not appear. */
export interface Misses {
  name: string;
  rule: string;
  run: () => Finding[];
  not: FindingId;
  /** Ids that must still be there (the near miss still says what is true). */
  still?: FindingId[];
}

/** Runs a producing row: the finding is there, as specified, and no minted secret is in any finding. */
export function checkProduces(row: Produces): void {
  const found = row.run();
  const same = found.filter((f) => f.id === row.id);
  expect(same, `${row.id} in [${found.map((f) => f.id).join(', ')}]`).not.toHaveLength(0);
  const want: Record<string, unknown> = { id: row.id, severity: row.severity };
  if (row.at) want.location = expect.objectContaining(row.at);
  if (row.secret) want.credential = expect.objectContaining({ fingerprint: fingerprint(row.secret) });
  if (row.message) want.message = expect.stringMatching(row.message);
  expect(same).toContainEqual(expect.objectContaining(want));
  for (const f of found) {
    if (f.credential) expect(f.credential.fingerprint).toMatch(/^(?:\S{6}…\S{4}|••••) \(\d+ chars\)$/);
  }
  expect(leakedSecret(found)).toBeUndefined();
}

/** Runs a near miss. */
export function checkMisses(row: Misses): void {
  const found = row.run();
  const ids = found.map((f) => f.id);
  expect(ids).not.toContain(row.not);
  for (const id of row.still ?? []) expect(ids).toContain(id);
  expect(leakedSecret(found)).toBeUndefined();
}

/** Test names: `remoteFindings: a token in the URL → secret-in-remote-url`. */
export const producesName = (r: Produces) => `${r.rule}: ${r.name} → ${r.id}`;
export const missesName = (r: Misses) => `${r.rule}: ${r.name} ↛ ${r.not}`;
