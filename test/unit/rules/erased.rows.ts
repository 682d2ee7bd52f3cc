/**
 * credential-erased (erasedFindings over doctor's facts and bbauth's records): rows that produce it and near
 * misses that must not.
 */
import { erasedFindings, fingerprint, type ErasedRecord, type Finding } from '../../helpers/core.js';
import { bbUrl, facts, HOST, secrets, STORE_PATH, type FakeFacts } from '../../helpers/facts.js';
import { digestOf } from '../../../src/store/records.js';
import { origin, STATIC } from './doctor.js';
import type { Misses, Produces } from './rows.js';

const good = secrets.api();
const other = secrets.api();
const STORED = '2026-11-20T09:00:00.000Z';

/** A record the way `bbauth login` writes it, for `secret`. */
const loginRecord = (secret: string, fields: Partial<ErasedRecord> = {}): ErasedRecord => ({
  digest: digestOf(secret),
  fingerprint: fingerprint(secret),
  kind: 'api-token',
  host: HOST,
  usernames: [STATIC],
  source: 'login',
  storedIn: ['store'],
  updatedAt: STORED,
  ...fields,
});

const erased = (b: FakeFacts, records: ErasedRecord[]) => (): Finding[] =>
  erasedFindings(b.build(), {
    records,
    digestOf,
    storeDefaults: [STORE_PATH, '/home/alice/.config/git/credentials'],
    home: '/home/alice',
  });

/** The store helper, nothing stored for the remote, and no terminal (a cron job). */
const emptied = () => facts().helper('store').terminal(false).remote(bbUrl());

export const erasedProduces: Produces[] = [
  {
    name: 'login stored a token in store, nothing holds it now, no terminal',
    rule: 'erasedFindings',
    run: erased(emptied(), [loginRecord(good)]),
    id: 'credential-erased',
    severity: 'error',
    at: origin,
    secret: good,
    message:
      /stored by `bbauth login` in store at 2026-11-20 09:00 UTC.*answers 401.*fails: there is no terminal/,
  },
  {
    name: 'the same on a terminal: git will ask',
    rule: 'erasedFindings',
    run: erased(facts().helper('store').terminal(true).remote(bbUrl()), [loginRecord(good)]),
    id: 'credential-erased',
    severity: 'warning',
    message: /asks for a username and password on the terminal/,
  },
  {
    name: 'an askpass program would be asked',
    rule: 'erasedFindings',
    run: erased(facts().helper('store').askPass('/opt/ide/askpass.sh').remote(bbUrl()), [loginRecord(good)]),
    id: 'credential-erased',
    severity: 'warning',
    message: /askpass program \(GIT_ASKPASS\)/,
  },
  {
    name: 'git reported the token refused through git-credential-bbauth (its last word)',
    rule: 'erasedFindings',
    run: erased(emptied(), [
      loginRecord(good, {
        source: 'helper',
        lastWorked: '2026-11-21T08:00:00.000Z',
        lastFailed: '2026-11-23T11:02:10.123Z',
      }),
    ]),
    id: 'credential-erased',
    severity: 'error',
    secret: good,
    message: /git reported it refused at 2026-11-23 11:02 UTC and erased it/,
  },
  {
    name: 'stored in the cache: the timeout is named too',
    rule: 'erasedFindings',
    run: erased(facts().helper('cache').terminal(false).remote(bbUrl()), [
      loginRecord(good, { storedIn: ['cache'] }),
    ]),
    id: 'credential-erased',
    severity: 'error',
    message: /cache helper also forgets it when its timeout passes/,
  },
  {
    name: 'no records, the store file exists with no entry for the host: possibly',
    rule: 'erasedFindings',
    run: erased(emptied().store([{ host: 'github.com', username: 'bob', password: 'x' }]), []),
    id: 'credential-erased',
    severity: 'info',
    at: { ...origin, file: STORE_PATH },
    message: /possibly git erased it/,
  },
];

export const erasedMisses: Misses[] = [
  {
    name: 'the token login stored is still what the helper answers',
    rule: 'erasedFindings',
    run: erased(
      facts()
        .helper('store')
        .terminal(false)
        .remote(bbUrl(), { helperAnswer: { secret: good, username: STATIC } }),
      [loginRecord(good)],
    ),
    not: 'credential-erased',
  },
  {
    name: 'the token is still in the store file, under another username than the remote asks',
    rule: 'erasedFindings',
    run: erased(emptied().store([{ username: 'alice', password: good }]), [
      loginRecord(good, { usernames: ['alice'] }),
    ]),
    not: 'credential-erased',
  },
  {
    name: 'the remote asks for a username the token was never stored under',
    rule: 'erasedFindings',
    run: erased(facts().helper('store').terminal(false).remote(bbUrl('bob')), [loginRecord(good)]),
    not: 'credential-erased',
  },
  {
    name: 'git reported the token working after its last failure',
    rule: 'erasedFindings',
    run: erased(emptied(), [
      loginRecord(good, { lastFailed: '2026-11-21T08:00:00.000Z', lastWorked: '2026-11-22T08:00:00.000Z' }),
    ]),
    not: 'credential-erased',
  },
  {
    name: 'git reported a login token working and never a failure',
    rule: 'erasedFindings',
    run: erased(emptied(), [loginRecord(good, { lastWorked: '2026-11-22T08:00:00.000Z' })]),
    not: 'credential-erased',
  },
  {
    name: 'an older token, replaced by a newer one that is still stored',
    rule: 'erasedFindings',
    run: erased(
      facts()
        .helper('store')
        .terminal(false)
        .remote(bbUrl(), { helperAnswer: { secret: other, username: STATIC } }),
      [loginRecord(good), loginRecord(other, { updatedAt: '2026-11-22T09:00:00.000Z' })],
    ),
    not: 'credential-erased',
  },
  {
    name: 'stored in a helper the remote no longer asks (the chain changed)',
    rule: 'erasedFindings',
    run: erased(emptied(), [loginRecord(good, { storedIn: ['osxkeychain'] })]),
    not: 'credential-erased',
  },
  {
    name: 'a record for another host',
    rule: 'erasedFindings',
    run: erased(emptied(), [loginRecord(good, { host: 'bitbucket.example.com' })]),
    not: 'credential-erased',
  },
  {
    name: 'a token git-credential-bbauth only offered (never stored, never failed)',
    rule: 'erasedFindings',
    run: erased(emptied(), [loginRecord(good, { source: 'helper', storedIn: [] })]),
    not: 'credential-erased',
  },
  {
    name: 'no records and no store file at all (nothing was ever stored)',
    rule: 'erasedFindings',
    run: erased(emptied(), []),
    not: 'credential-erased',
  },
  {
    name: 'no records, the store file still holds an entry for the host',
    rule: 'erasedFindings',
    run: erased(emptied().store([{ username: 'alice', password: good }]), []),
    not: 'credential-erased',
  },
  {
    name: 'a password in the URL: git never asks the helper',
    rule: 'erasedFindings',
    run: erased(
      facts()
        .helper('store')
        .terminal(false)
        .remote(bbUrl(`${STATIC}:${encodeURIComponent(other)}`)),
      [loginRecord(good)],
    ),
    not: 'credential-erased',
  },
];
