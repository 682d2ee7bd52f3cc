/**
 * planFixes as a table: facts, doctor's findings (the real rules over the builder's facts), the secrets fix
 * checked and an optional new token in; the exact plan out. No step may hold a secret.
 */
import { describe, expect, it } from 'vitest';
import { fingerprint, type FixPlan } from '../helpers/core.js';
import {
  answer,
  bbUrl,
  credUrl,
  facts,
  leakedSecret,
  NETRC_PATH,
  REPO,
  secrets,
  STORE_PATH,
  type FakeFacts,
} from '../helpers/facts.js';
import { helped, STATIC } from './rules/doctor.js';
import {
  ASK_FOR,
  base,
  checkedAs,
  CLEAN,
  NO_TOKEN,
  OUT_OF_URL,
  plan,
  setUrl,
  SSH,
  store,
  works,
  type Case,
} from './rules/plan.js';

const api = secrets.api();
const api2 = secrets.api();
const access = secrets.access();
const app = secrets.app();
const { ok, retired, noAccess, scope } = answer;

describe('planFixes', () => {
  it.each<[string, FakeFacts, Case, FixPlan, string[]]>([
    [
      'a URL secret that works: into the helper, out of the URL',
      facts().helper('store').remote(credUrl(STATIC, api)),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({
        steps: [
          store(
            'url:origin',
            api,
            `the url credential works; it moves into the credential helper under ${STATIC}`,
          ),
          setUrl(`https://${STATIC}:${fingerprint(api)}@bitbucket.org/acme/web.git`, CLEAN, OUT_OF_URL),
        ],
      }),
      ['url:origin'],
    ],
    [
      'a dead URL secret and nothing that works: a new token is needed, the URL is still cleaned',
      facts().helper('store').remote(credUrl('alice', app)),
      { ev: { fetch: retired() } },
      base({
        needsToken: true,
        needsTokenReason: NO_TOKEN,
        steps: [setUrl(`https://alice:${fingerprint(app)}@bitbucket.org/acme/web.git`, CLEAN, OUT_OF_URL)],
      }),
      [],
    ],
    [
      'a new token: stored as new-token, the wrong URL username fixed, .netrc entries for the host removed',
      facts()
        .helper('store')
        .netrc([
          { machine: 'github.com', login: 'a', password: 'b' },
          { login: 'alice', password: app },
        ])
        .remote(bbUrl('alice')),
      { ev: { fetch: retired() }, newToken: { secret: api2, kind: 'api-token' } },
      base({
        steps: [
          store(
            'new-token',
            api2,
            'the new token replaces every stale entry for the host in the credential helper',
          ),
          setUrl('https://alice@bitbucket.org/acme/web.git', CLEAN, ASK_FOR(STATIC)),
          {
            action: 'remove-file-entry',
            file: NETRC_PATH,
            line: 2,
            what: 'netrc',
            why: 'curl sends .netrc credentials before git asks the helper',
          },
        ],
      }),
      ['new-token'],
    ],
    [
      'a stored API token that works under the wrong URL username: re-stored and the URL set to the static name',
      facts()
        .helper('store')
        .remote(bbUrl('alice'), { helperAnswer: { secret: api, username: 'alice' } }),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({
        steps: [
          store(
            'helper:store',
            api,
            `the stored credential works; it moves into the credential helper under ${STATIC}`,
          ),
          setUrl('https://alice@bitbucket.org/acme/web.git', CLEAN, ASK_FOR(STATIC)),
        ],
      }),
      ['helper:store'],
    ],
    [
      'an access token in the URL: x-token-auth everywhere',
      facts().helper('store').remote(credUrl('alice', access)),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({
        steps: [
          store(
            'url:origin',
            access,
            'the url credential works; it moves into the credential helper under x-token-auth',
            'access-token',
            'x-token-auth',
          ),
          setUrl(
            `https://alice:${fingerprint(access)}@bitbucket.org/acme/web.git`,
            'https://x-token-auth@bitbucket.org/acme/web.git',
            OUT_OF_URL,
          ),
        ],
      }),
      ['url:origin'],
    ],
    [
      'already stored under the right username, nothing wrong: an empty plan',
      helped(api),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({}),
      [],
    ],
    [
      'an Authorization header in a file: unset there, its working secret moved into the helper',
      facts().helper('store').basicHeader(STATIC, api).remote(bbUrl()),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({
        steps: [
          store(
            'extraheader:http.extraheader',
            api,
            `the extraheader credential works; it moves into the credential helper under ${STATIC}`,
          ),
          {
            action: 'unset-config',
            key: 'http.extraheader',
            file: '/home/alice/.gitconfig',
            why: 'a fixed Authorization header overrides the credential helper',
          },
        ],
      }),
      ['extraheader:http.extraheader'],
    ],
    [
      "GCM's validation trap: one global setting",
      facts()
        .helper('manager')
        .remote(bbUrl(STATIC), { helperAnswer: { secret: api, username: STATIC } }),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({
        steps: [
          {
            action: 'set-config',
            key: 'credential.bitbucketValidateStoredCredentials',
            value: 'false',
            scope: 'global',
            why: 'Git Credential Manager would otherwise discard API tokens and prompt on every command',
          },
        ],
      }),
      [],
    ],
    [
      'a dead store entry and nothing re-stored: the line is removed directly',
      facts()
        .helper('store')
        .store([{ username: 'alice', password: app }])
        .remote(bbUrl('alice'), { helperAnswer: { secret: app, username: 'alice' } }),
      { ev: { fetch: retired() } },
      base({
        needsToken: true,
        needsTokenReason: NO_TOKEN,
        steps: [
          setUrl('https://alice@bitbucket.org/acme/web.git', CLEAN, ASK_FOR(STATIC)),
          {
            action: 'remove-file-entry',
            file: STORE_PATH,
            line: 1,
            what: 'credential-store',
            why: 'a dead secret git keeps sending',
          },
        ],
      }),
      [],
    ],
    [
      'a remote written through url.*.insteadOf: set-url by hand',
      facts().helper('store').remote(credUrl(STATIC, api), { writtenAs: 'bb:acme/web' }),
      { ev: { fetch: ok(), push: ok() }, checked: works },
      base({
        steps: [
          store(
            'url:origin',
            api,
            `the url credential works; it moves into the credential helper under ${STATIC}`,
          ),
        ],
        manual: [
          `remote "origin" is written through a url.*.insteadOf rule; fix that rule by hand (git config --get-regexp 'url\\..*insteadof').`,
        ],
      }),
      ['url:origin'],
    ],
    [
      'no repository access and helper order: manual lines (and the GCM setting)',
      facts()
        .helper('manager')
        .helper('store')
        .remote(bbUrl(STATIC), { helperAnswer: { secret: api, username: STATIC } }),
      { ev: { fetch: noAccess(404) } },
      base({
        needsToken: true,
        needsTokenReason: NO_TOKEN,
        steps: [
          {
            action: 'set-config',
            key: 'credential.bitbucketValidateStoredCredentials',
            value: 'false',
            scope: 'global',
            why: 'Git Credential Manager would otherwise discard API tokens and prompt on every command',
          },
        ],
        manual: [
          'the account cannot see a repository (no-repository-access): ask a workspace admin for access, or fix the repository name.',
          'credential helpers are in an order that hides the stored token (helper-order): see `bbauth doctor`.',
        ],
      }),
      [],
    ],
    [
      'a read-only working credential on a push remote: a token that can push is needed',
      helped(api),
      { ev: { fetch: ok(), push: scope() }, checked: checkedAs(true, false) },
      base({
        needsToken: true,
        needsTokenReason:
          'the working credential cannot push; a token with write:repository:bitbucket is needed (if this machine only pulls: bbauth fix --need fetch)',
      }),
      [],
    ],
    [
      'the same read-only credential on a fetch-only remote is enough',
      facts()
        .helper('store')
        .remote(bbUrl(STATIC), { direction: 'fetch', helperAnswer: { secret: api, username: STATIC } }),
      { ev: { fetch: ok() }, checked: checkedAs(true, false) },
      base({ verify: [{ remote: 'origin', push: false }] }),
      [],
    ],
  ])('%s', (_name, b, c, want, refs) => {
    const { plan: got, secrets: held } = plan(b, c);
    expect(got).toEqual(want);
    expect([...held.keys()]).toEqual(refs);
    expect(leakedSecret(got)).toBeUndefined();
  });

  it('--to-ssh: every Bitbucket HTTPS entry to SSH (push URL too), other hosts untouched, nothing to verify', () => {
    const b = facts()
      .remote(credUrl(STATIC, api))
      .remote(bbUrl(STATIC, 'acme/web-push'), { direction: 'push' })
      .remote('https://github.com/acme/web.git', { name: 'gh' })
      .remote(SSH, { name: 'already' });
    const got = plan(b, { toSsh: true, checked: works });
    const why = 'SSH keys are not affected by the app-password retirement';
    expect(got.plan).toEqual({
      schemaVersion: 1,
      repository: REPO,
      steps: [
        setUrl(`https://${STATIC}:${fingerprint(api)}@bitbucket.org/acme/web.git`, SSH, why),
        setUrl(
          `https://${STATIC}@bitbucket.org/acme/web-push.git`,
          'git@bitbucket.org:acme/web-push.git',
          why,
          'origin',
          true,
        ),
      ],
      needsToken: false,
      manual: [],
      verify: [],
    });
    expect(got.secrets.size).toBe(0);
    expect(leakedSecret(got.plan)).toBeUndefined();
  });

  it('a store file others can read, whose working token stays: narrowed to 0600, and only then', () => {
    const api = secrets.api();
    const kept = (mode?: number) =>
      plan(
        facts()
          .helper('store')
          .store([{ username: STATIC, password: api }], STORE_PATH, mode)
          .remote(bbUrl(), { helperAnswer: { secret: api, username: STATIC } }),
        { ev: { fetch: answer.ok(), push: answer.ok() }, checked: checkedAs(true, true) },
      ).plan.steps.filter((s) => s.action === 'restrict-file-mode');
    expect(kept(0o644)).toEqual([expect.objectContaining({ file: STORE_PATH, from: 0o644 })]);
    expect(kept(0o600)).toEqual([]);
    expect(kept(undefined)).toEqual([]);
    // Other hosts' lines are not bbauth's reason to touch the file.
    const other = plan(
      facts()
        .helper('store')
        .store([{ username: 'u', password: 'p', host: 'github.com' }], STORE_PATH, 0o644),
    ).plan.steps;
    expect(other.filter((s) => s.action === 'restrict-file-mode')).toEqual([]);
  });

  it('the verify list names each remote once, push where it is used for push', () => {
    const b = facts()
      .helper('store')
      .remote(bbUrl(STATIC), { helperAnswer: { secret: api, username: STATIC } })
      .remote(bbUrl(STATIC), {
        name: 'mirror',
        direction: 'fetch',
        helperAnswer: { secret: api, username: STATIC },
      });
    const got = plan(b, { ev: { fetch: ok(), push: ok() }, checked: works });
    expect(got.plan.verify).toEqual([
      { remote: 'origin', push: true },
      { remote: 'mirror', push: false },
    ]);
  });

  it.each([
    ['a pushurl', 'remote.origin.pushurl'],
    ['a second url', 'remote.origin.url'],
  ])('BUG? a remote with %s (a fetch entry and a push entry) is verified once, for fetch only', (_l, key) => {
    // BUG?: gathering lists such a remote as a fetch entry then a push entry; the dedupe keeps the first, so
    // verify says push: false and fix never proves that push works after changing the credential.
    // Expected [{ remote: 'origin', push: true }]. Today:
    const b = facts()
      .helper('store')
      .remote(bbUrl(STATIC), { direction: 'fetch', helperAnswer: { secret: api, username: STATIC } })
      .remote(bbUrl(STATIC, 'acme/web-push'), {
        direction: 'push',
        configKey: key,
        helperAnswer: { secret: api, username: STATIC },
      });
    const got = plan(b, { ev: { fetch: ok(), push: ok() }, checked: works });
    expect(got.plan.verify).toEqual([{ remote: 'origin', push: false }]);
  });

  it('a header set on the command line has no file to edit: no step, and no manual line either', () => {
    const b = facts().helper('store').basicHeader(STATIC, api, { origin: 'command line:' }).remote(bbUrl());
    const got = plan(b, { ev: { fetch: ok(), push: ok() }, checked: works });
    expect(got.plan.steps.map((s) => s.action)).toEqual(['store-credential']);
    expect(got.plan.manual).toEqual([]);
  });

  it('BUG? a live .netrc password is removed because a dead URL secret of the same length shares its fingerprint', () => {
    // BUG?: planFixes decides "dead" by fingerprint, and every short non-token secret of n characters has the
    // fingerprint "•••• (n chars)". The URL's legacy secret is dead; the .netrc password is a different,
    // unclassified one (an OAuth token?), yet its entry is planned for removal. Today:
    const legacy = secrets.legacy(20);
    const other = `${secrets.legacy(20).slice(0, 19)}-`;
    expect(fingerprint(other)).toBe(fingerprint(legacy));
    const b = facts()
      .helper('store')
      .netrc([{ login: 'alice', password: other }])
      .remote(credUrl('alice', legacy));
    const got = plan(b, { ev: { fetch: answer.rejected() } });
    expect(got.plan.steps.filter((s) => s.action === 'remove-file-entry')).toEqual([
      {
        action: 'remove-file-entry',
        file: NETRC_PATH,
        line: 1,
        what: 'netrc',
        why: 'curl sends .netrc credentials before git asks the helper',
      },
    ]);
  });

  it('a remote that is not workspace/repository: set-url by hand', () => {
    const b = facts()
      .helper('store')
      .remote(credUrl(STATIC, api, 'acme/group/web'));
    const got = plan(b, { ev: { fetch: ok() }, checked: works });
    expect(got.plan.manual).toEqual([
      `remote "origin" (https://${STATIC}:${fingerprint(api)}@bitbucket.org/acme/group/web.git) is not a workspace/repository URL; fix it by hand.`,
    ]);
  });
});

describe('planFixes --helper: out of the plain-text store', () => {
  const newToken = { secret: api2, kind: 'api-token' as const };
  const machine = () =>
    facts()
      .helper('store')
      .remote(bbUrl('bob'))
      .store([
        { username: 'alice', password: app },
        { username: 'bob', password: api },
        { username: 'u', password: 'p', host: 'github.com' },
      ]);

  it('the host gets the chosen helper; a live entry moves under its username, a dead one gets the new token; the lines go', () => {
    const { plan: p, secrets: held } = plan(machine(), { newToken, helper: 'libsecret' });
    const moved = p.steps.filter((s) => s.action !== 'set-remote-url');
    expect(moved.map((s) => [s.action, 'username' in s ? s.username : 'line' in s ? s.line : ''])).toEqual([
      ['store-credential', STATIC],
      ['use-helper', ''],
      ['store-credential', 'alice'],
      ['remove-file-entry', 1],
      ['store-credential', 'bob'],
      ['remove-file-entry', 2],
    ]);
    const refs = moved.flatMap((s) => (s.action === 'store-credential' ? [held.get(s.secretRef)] : []));
    expect(refs).toEqual([api2, api2, api]);
    expect(JSON.stringify(p)).not.toContain(api);
    expect(JSON.stringify(p)).not.toContain(app);
  });

  it.each([
    ['the user keeps the store', machine(), 'store'],
    ['no --helper', machine(), undefined],
    [
      'the store helper is not what git asks',
      facts()
        .helper('cache')
        .remote(bbUrl('bob'))
        .store([{ username: 'bob', password: api }]),
      'libsecret',
    ],
  ])('%s: nothing moves', (_name, f, helper) => {
    const { plan: p } = plan(f, { newToken, ...(helper ? { helper } : {}) });
    expect(p.steps.some((s) => s.action === 'use-helper')).toBe(false);
    expect(
      p.steps.filter((s) => s.action === 'store-credential').map((s) => 'username' in s && s.username),
    ).toEqual([STATIC]);
  });
});
