/**
 * The meta row: every id in the catalogue has a table row that produces it and a near miss that must not, or
 * is listed below as produced by no rule. Adding an id without rows fails here.
 */
import { describe, expect, it } from 'vitest';
import { FINDING_IDS, type FindingId } from '../helpers/core.js';
import { leakedSecret, secrets } from '../helpers/facts.js';
import { lifetimeMisses, lifetimeProduces } from './rules/lifetime.rows.js';
import { chainMisses, chainProduces } from './rules/offline-chain.rows.js';
import { erasedMisses, erasedProduces } from './rules/erased.rows.js';
import { secretMisses, secretProduces } from './rules/offline-secrets.rows.js';
import { onlineMisses, onlineProduces } from './rules/online.rows.js';
import type { Misses, Produces } from './rules/rows.js';
import { scanMisses, scanProduces } from './rules/scan.rows.js';
import { explainMisses, explainProduces } from './rules/explain.rows.js';

const produces: Produces[] = [
  ...secretProduces,
  ...chainProduces,
  ...onlineProduces,
  ...scanProduces,
  ...lifetimeProduces,
  ...erasedProduces,
  ...explainProduces,
];
const misses: Misses[] = [
  ...secretMisses,
  ...chainMisses,
  ...onlineMisses,
  ...scanMisses,
  ...lifetimeMisses,
  ...erasedMisses,
  ...explainMisses,
];

/** Ids some pure rule produces today, each proven by at least one row above. */
const PRODUCED: FindingId[] = [
  'secret-in-remote-url',
  'token-in-username-field',
  'plaintext-credential-store',
  'secret-in-netrc',
  'secret-in-file',
  'authorization-extraheader',
  'app-password',
  'token-checksum-mismatch',
  'token-malformed',
  'legacy-secret',
  'datacenter-token-on-cloud',
  'unknown-secret',
  'email-as-git-username',
  'wrong-static-username',
  'access-token-username',
  'rest-username-not-email',
  'bearer-with-api-token',
  'url-username-mismatch',
  'app-password-retired',
  'credential-rejected',
  'missing-scope',
  'push-not-permitted',
  'no-repository-access',
  'rate-limited',
  'network-unreachable',
  'unexpected-response',
  'no-credential-helper',
  'no-credential',
  'credential-erased',
  'askpass-credential',
  'bbauth-backup',
  'helper-not-runnable',
  'stale-cached-credential',
  'credential-in-url-overrides-helper',
  'gcm-validation-trap',
  'helper-order',
  'token-expires-soon',
  'token-expired',
  'ssh-remote',
  'ssh-key-rejected',
  'ssh-host-key-changed',
  'gcm-credential-too-large',
];

/** Not produced by any rule today, and why. */
const NOT_PRODUCED: Partial<Record<FindingId, string>> = {
  // Reported as the leading cause inside credential-rejected's message when git and REST both refuse a
  // checksum-valid API token (online rows: "git and REST both refuse a checksum-valid API token").
  'unscoped-token': 'named inside credential-rejected',
};

describe('catalogue coverage', () => {
  it('the ids the producing rows really produce are exactly the PRODUCED list', () => {
    const seen = new Set<FindingId>();
    for (const row of produces) if (row.run().some((f) => f.id === row.id)) seen.add(row.id);
    expect([...seen].sort()).toEqual([...PRODUCED].sort());
  });

  it('every catalogue id is produced or explicitly listed as produced by no rule', () => {
    const notProduced = Object.keys(NOT_PRODUCED) as FindingId[];
    expect(PRODUCED.filter((id) => notProduced.includes(id))).toEqual([]);
    expect([...PRODUCED, ...notProduced].sort()).toEqual([...FINDING_IDS].sort());
  });

  it('every catalogue id has a near miss', () => {
    const covered = new Set(misses.map((m) => m.not));
    expect(FINDING_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('no row, producing or near miss, ever yields an id listed as produced by no rule', () => {
    const ids = new Set([...produces, ...misses].flatMap((r) => r.run().map((f) => f.id)));
    for (const id of Object.keys(NOT_PRODUCED)) expect(ids.has(id as FindingId)).toBe(false);
  });

  it('the leak check the rows rely on does catch a secret, plain or percent-encoded', () => {
    const s = secrets.api();
    expect(leakedSecret({ message: `token ${s}` })).toBe(s);
    expect(leakedSecret({ url: `https://x:${encodeURIComponent(s)}@h` })).toBe(s);
    expect(leakedSecret({ fingerprint: 'ATATT3…A1B2 (192 chars)' })).toBeUndefined();
  });
});
