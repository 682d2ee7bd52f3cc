/**
 * What doctor knows before deciding anything: plain data gathered by the service. Secrets are present here (in
 * memory only) because the classifier needs them; nothing in this file is ever rendered directly.
 */
import type { Endpoints } from '../endpoints.js';
import type { HelperChain } from '../parse/credential-helpers.js';
import type { ConfigEntry } from '../parse/git-config.js';
import type { NetrcEntry } from '../parse/netrc.js';
import type { RemoteUrl } from '../parse/remote-url.js';
import type { StoredCredential } from '../parse/credential-store.js';
import type { UnusableHelper } from '../places/helper-chain.js';

export type { SecretUse } from '../credential/use.js';
import type { SecretUse } from '../credential/use.js';
import type { NeedChoice } from '../credential/need.js';
import type { AskPass, AskPassAnswer } from '../places/askpass.js';

export type Direction = 'fetch' | 'push' | 'both';

/**
 * Whether git gets as far as the askpass program for this remote: nothing ahead of it but a .netrc entry (which
 * curl sends first and git moves on from after a 401), and, when doctor asked it, not a program that gave nothing.
 */
export function reachesAskPass(facts: Pick<DoctorFacts, 'askPass'>, r: RemoteFacts): boolean {
  if (!facts.askPass || r.url.password) return false;
  if (r.askPassAnswer && !r.askPassAnswer.answered) return false;
  return r.candidates.every((c) => c.source === 'netrc' || c.source === 'askpass');
}

/** Whether push matters for this remote entry: it is pushed to, and the machine needs push. */
export function pushMatters(facts: Pick<DoctorFacts, 'need'>, r: Pick<RemoteFacts, 'direction'>): boolean {
  return facts.need.value === 'push' && r.direction !== 'fetch';
}

export interface RemoteFacts {
  name: string;
  direction: Direction;
  /** The URL after url.<base>.insteadOf rewriting (may hold a secret: never print it unmasked). */
  url: RemoteUrl;
  configKey: string;
  configOrigin?: string;
  /** Origin matches --bitbucket-url (HTTP) or the Bitbucket host (SSH). */
  bitbucket: boolean;
  chain: HelperChain;
  /** What git would send, first candidate first. Empty: git has nothing and would prompt. */
  candidates: SecretUse[];
  /** What the askpass program answered when doctor let git ask it (`--ask-askpass`). */
  askPassAnswer?: AskPassAnswer;
}

export interface EmailGuess {
  value: string;
  source: 'flag' | 'env' | 'record' | 'git-config';
}

export interface DoctorFacts {
  cwd: string;
  repository?: string;
  endpoints: Endpoints;
  config: ConfigEntry[];
  remotes: RemoteFacts[];
  /** Global view for the Bitbucket host: what the helpers hold (outside a repository too). */
  hostChain: HelperChain;
  hostCandidates: SecretUse[];
  /** Plain-text credential files, with their permission bits when known. */
  stores: { path: string; entries: StoredCredential[]; mode?: number }[];
  netrc: { path: string; entries: NetrcEntry[]; mode?: number }[];
  email?: EmailGuess;
  /** The program git would run to ask for a password when no credential is stored (VS Code sets one). */
  askPass?: AskPass;
  /** Helper values git skips: no such program on its exec-path or PATH, or a keychain helper that fails. */
  unrunnable?: UnusableHelper[];
  /** What access this machine needs (push, or fetch only): see credential/need.ts. */
  need: NeedChoice;
  /** Whether git could prompt on a terminal now (absent: assume it can). */
  terminal?: boolean;
  /** The few environment variables that change git's or GCM's behaviour (values are not secrets). */
  env: { GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS?: string };
  now: Date;
}
