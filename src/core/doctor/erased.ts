/**
 * credential-erased: git erases a stored credential when Bitbucket answers 401 (it runs `erase` on every helper),
 * so one failed pull with a truncated, revoked or expired token leaves the next run with nothing to send, and
 * the empty helper alone looks like a machine that never had a token. What was there is known from bbauth's
 * records (what login and fix stored, what git reported through git-credential-bbauth), or, more weakly, from a
 * store file git rewrote without the entry. Pure: the records come in as data, with the digest that ties a
 * record to a secret passed in.
 */
import { withNothingToSend, type Outcome } from '../credential/predict.js';
import { hostOfOrigin } from '../endpoints.js';
import { finding } from '../findings/build.js';
import type { CredentialKind, Finding, Fix } from '../model.js';
import { helperKind } from '../parse/credential-helpers.js';
import type { DoctorFacts, RemoteFacts } from './facts.js';
import { remoteLocation } from './offline.js';
import { recordTime } from './report.js';
import { storeFilesOf } from './store-answer.js';

/** The fields of a credential record this rule reads (records.ts's CredentialRecord fits). */
export interface ErasedRecord {
  digest: string;
  fingerprint: string;
  kind: CredentialKind;
  host: string;
  usernames: string[];
  /** `login`, `fix` (bbauth stored it) or `helper` (git-credential-bbauth saw it). */
  source?: string;
  /** The helpers `bbauth login` stored it in. */
  storedIn?: string[];
  updatedAt: string;
  lastWorked?: string;
  lastFailed?: string;
}

export interface ErasedInput {
  records: readonly ErasedRecord[];
  /** The records' digest of a secret. */
  digestOf: (secret: string) => string;
  /** The files a bare `store` helper reads, and HOME (for `store --file ~/…`): git-credential-store's rules. */
  storeDefaults: readonly string[];
  home?: string;
}

/** What git told bbauth last about a record's token. */
function lastWord(r: ErasedRecord): 'failed' | 'worked' | 'nothing' {
  if (r.lastFailed && !(r.lastWorked && r.lastWorked > r.lastFailed)) return 'failed';
  return r.lastWorked ? 'worked' : 'nothing';
}

const latest = (r: ErasedRecord) => [r.updatedAt, r.lastWorked ?? '', r.lastFailed ?? ''].sort().at(-1)!;

/** Every secret doctor saw: what the helpers answered, the store files and .netrc, as digests. */
function heldDigests(facts: DoctorFacts, digestOf: ErasedInput['digestOf']): Set<string> {
  const secrets = [
    ...facts.remotes.flatMap((r) => r.candidates.map((c) => c.secret)),
    ...facts.hostCandidates.map((c) => c.secret),
    ...facts.stores.flatMap((s) => s.entries.map((e) => e.password)),
    ...facts.netrc.flatMap((n) => n.entries.map((e) => e.password)),
  ];
  return new Set(secrets.filter((s): s is string => Boolean(s)).map(digestOf));
}

/**
 * The newest record for the host, when it says a token was stored and git has not reported it working since
 * (bbauth stored it and git said nothing more, or git's last word was a failure), and nothing holds it now. An
 * older record was replaced by a newer token, not erased.
 */
function erasedRecord(
  facts: DoctorFacts,
  remote: RemoteFacts,
  input: ErasedInput,
  held: ReadonlySet<string>,
): ErasedRecord | undefined {
  const host = hostOfOrigin(facts.endpoints.bitbucketUrl);
  const newest = input.records
    .filter((r) => r.host === host)
    .sort((a, b) => latest(b).localeCompare(latest(a)))[0];
  if (!newest || held.has(newest.digest)) return undefined;
  const word = lastWord(newest);
  if (word === 'worked') return undefined;
  if (word === 'nothing' && newest.source !== 'login' && newest.source !== 'fix') return undefined;
  // git asks the helpers under the remote's username: a token stored under another one is still there.
  const user = remote.chain.username;
  if (user !== undefined && newest.usernames.length > 0 && !newest.usernames.includes(user)) return undefined;
  // Stored in a helper this remote no longer asks: it is still there, just not reached.
  const storedIn = newest.storedIn ?? [];
  if (storedIn.length > 0 && !remote.chain.helpers.some((h) => storedIn.includes(h.name))) return undefined;
  return newest;
}

/** A store file this remote's helpers read that exists and has no entry for the host (git rewrote it). */
function emptiedStoreFile(facts: DoctorFacts, remote: RemoteFacts, input: ErasedInput): string | undefined {
  const host = hostOfOrigin(facts.endpoints.bitbucketUrl);
  const read = remote.chain.helpers.flatMap(
    (h) => storeFilesOf(h.name, input.storeDefaults, input.home) ?? [],
  );
  const present = facts.stores.filter((s) => read.includes(s.path));
  if (present.some((s) => s.entries.some((e) => e.host === host))) return undefined;
  return present[0]?.path;
}

function nextRun(outcome: Outcome, facts: DoctorFacts): string {
  if (outcome === 'fails') return 'the next `git pull` fails: there is no terminal to ask on';
  if (outcome === 'prompts') return 'the next `git pull` asks for a username and password on the terminal';
  return `the next \`git pull\` asks the askpass program (${facts.askPass?.source ?? 'askpass'}) for them`;
}

function erasedFix(): Fix {
  return {
    summary:
      'Store a token that works: `bbauth login` checks it before storing it. If the old one was cut short when pasted (an API token is 192 characters), copy it again in full; a revoked or expired one needs a new token (id.atlassian.com → Security → API tokens).',
    commands: ['bbauth login'],
  };
}

function recordMessage(r: ErasedRecord, remote: string, next: string): string {
  if (lastWord(r) === 'failed')
    return `Token ${r.fingerprint} is no longer stored for remote "${remote}": git reported it refused at ${recordTime(r.lastFailed!)} and erased it, as git does with every stored credential Bitbucket answers 401 to; ${next}.`;
  const where = r.storedIn?.length ? ` in ${r.storedIn.join(', ')}` : '';
  // The cache helper forgets on its own too: say so rather than blame a 401 that may not have happened.
  const cache = r.storedIn?.some((h) => helperKind(h) === 'cache')
    ? ', and the cache helper also forgets it when its timeout passes'
    : '';
  return `Token ${r.fingerprint}, stored by \`bbauth ${r.source}\`${where} at ${recordTime(r.updatedAt)}, is no longer stored for remote "${remote}": git erases a stored credential when Bitbucket answers 401 (a token cut short when pasted, revoked or expired)${cache}; ${next}.`;
}

/** credential-erased for each Bitbucket HTTPS remote git has nothing to send for, where the evidence says why. */
export function erasedFindings(facts: DoctorFacts, input: ErasedInput): Finding[] {
  const held = heldDigests(facts, input.digestOf);
  // The same prediction the report carries for a remote with nothing to send.
  const outcome = withNothingToSend({
    terminal: facts.terminal !== false,
    askPass: facts.askPass !== undefined,
  });
  const severity = outcome === 'fails' ? 'error' : 'warning';
  const next = nextRun(outcome, facts);
  const out: Finding[] = [];
  for (const remote of facts.remotes) {
    const https = remote.url.scheme === 'https' || remote.url.scheme === 'http';
    if (!remote.bitbucket || !https || remote.candidates.length > 0 || remote.chain.helpers.length === 0)
      continue;
    const at = remoteLocation(facts, remote);
    const record = erasedRecord(facts, remote, input, held);
    if (record) {
      const f = finding('credential-erased', recordMessage(record, remote.name, next), at, erasedFix(), {
        severity,
      });
      f.credential = { kind: record.kind, fingerprint: record.fingerprint, source: 'records' };
      out.push(f);
      continue;
    }
    // Records for the host that do not say "erased" outweigh the weaker evidence of the file.
    const host = hostOfOrigin(facts.endpoints.bitbucketUrl);
    const recorded = input.records.some((r) => r.host === host);
    const file = recorded ? undefined : emptiedStoreFile(facts, remote, input);
    if (!file) continue;
    out.push(
      finding(
        'credential-erased',
        `git has no credential for remote "${remote.name}", and ${file}, which its \`store\` helper reads, has no entry for ${host}: possibly git erased it after Bitbucket answered 401 (git-credential-store rewrites the file without the entry); ${next}.`,
        { ...at, file },
        erasedFix(),
        // Only "possibly" (git credential reject, a hand edit or bbauth logout leave the same trace): an
        // explanation beside no-credential, never an error of its own.
        { severity: 'info' },
      ),
    );
  }
  return out;
}
