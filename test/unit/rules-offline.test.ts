/** Doctor's offline rules as tables: facts in, findings out (no git, no network). */
import { describe, expect, it } from 'vitest';
import { bbUrl, credUrl, facts, secrets } from '../helpers/facts.js';
import { onRemote } from './rules/doctor.js';
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

describe('what the offline findings tell people to run', () => {
  it('url-username-mismatch with a stored access token advises the username access tokens need', () => {
    // The stored credential is an access token: only x-token-auth works with it (facts §5).
    const access = secrets.access();
    const found = onRemote(
      facts()
        .helper('store')
        .store([{ username: 'x-token-auth', password: access }])
        .remote(bbUrl('alice')),
    )().find((f) => f.id === 'url-username-mismatch');
    expect(found?.fix.commands[0]).toBe(
      'git remote set-url origin https://x-token-auth@bitbucket.org/acme/web.git',
    );
    expect(found?.fix.summary).toMatch(/x-token-auth/);
  });

  it.each([
    ['an API token', () => secrets.api(), 'x-bitbucket-api-token-auth'],
    ['an access token', () => secrets.access(), 'x-token-auth'],
  ])('secret-in-remote-url for %s: set-url to the username its kind needs', (_l, mint, user) => {
    const found = onRemote(facts().helper('store').remote(credUrl('alice', mint())))().find(
      (f) => f.id === 'secret-in-remote-url',
    );
    expect(found?.fix.commands).toEqual([
      `git remote set-url origin https://${user}@bitbucket.org/acme/web.git`,
      'bbauth login',
    ]);
  });
});
