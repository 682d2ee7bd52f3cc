/** Doctor's offline rules as tables: facts in, findings out (no git, no network). */
import { describe, it } from 'vitest';
import { chainMisses, chainProduces } from './rules/offline-chain.rows.js';
import { secretMisses, secretProduces } from './rules/offline-secrets.rows.js';
import {
  checkMisses,
  checkProduces,
  missesName,
  producesName,
  type Misses,
  type Produces,
} from './rules/rows.js';

const produces = (rows: Produces[]) => rows.map((r) => [producesName(r), r] as const);
const misses = (rows: Misses[]) => rows.map((r) => [missesName(r), r] as const);

describe('doctor offline rules: where a secret lives, what it is', () => {
  it.each(produces(secretProduces))('%s', (_name, row) => checkProduces(row));
  it.each(misses(secretMisses))('%s', (_name, row) => checkMisses(row));
});

describe('doctor offline rules: usernames and credential helpers', () => {
  it.each(produces(chainProduces))('%s', (_name, row) => checkProduces(row));
  it.each(misses(chainMisses))('%s', (_name, row) => checkMisses(row));
});
