/**
 * The one answer to "what can be done with this secret?", asked by every command: doctor (is it dead, worth a
 * request?), scan --verify (worth a request?), fix (may it be re-used?), login (may it be stored?), the helper
 * (may it be offered, may git's report on it be recorded?). Pure, from the offline class and how git sends it.
 */
import type { CredentialSource } from './use.js';
import type { Problem, SecretClass } from './secret-class.js';
import type { Evidence } from '../probe/evidence.js';
import { evidenceState, type CredentialState } from '../probe/interpret.js';

/** Why a secret may not be stored, offered or re-used as it is. */
export type Unusable =
  | 'app-password' // retired 2026-07-28
  | 'legacy-secret' // a bare 20/24-character old app password or token
  | 'datacenter-token' // not a Cloud credential at all
  | 'not-a-token' // account password, OAuth token, anything else
  | 'checksum' // an Atlassian token whose CRC-32 tail does not match
  | 'damaged'; // a checksum-valid token with paste damage around or inside it

export interface SecretVerdict {
  /** Bitbucket refuses it whatever else is right: a retired kind, a broken checksum, paste damage. */
  dead: boolean;
  /** One request can tell more than offline can (a broken paste or a Data Center token cannot). */
  worthProbing: boolean;
  /** A clean API or access token: bbauth may store it, offer it, re-use it and keep records of it. */
  usable: boolean;
  /** Why not `usable`; absent when it is. */
  unusable?: Unusable;
  /** For a damaged paste: the checksum-proven token inside it, and the damage undone to get it. */
  repair?: { value: string; damage: Problem[] };
}

/** How git sends the secret, where that changes the answer (a Bearer extra header). */
export interface SentAs {
  source?: CredentialSource;
  scheme?: 'basic' | 'bearer';
}

function unusableOf(c: SecretClass): Unusable | undefined {
  switch (c.kind) {
    case 'app-password':
    case 'legacy-secret':
    case 'datacenter-token':
      return c.kind;
    case 'unknown':
      return 'not-a-token';
    default:
      if (c.checksum !== 'valid') return 'checksum';
      return c.problems.length > 0 ? 'damaged' : undefined;
  }
}

/** Judges a classified secret. */
export function judgeSecret(c: SecretClass, sent: SentAs = {}): SecretVerdict {
  const retired = c.kind === 'app-password' || c.kind === 'legacy-secret' || c.kind === 'datacenter-token';
  // A wrong length is only ever reported beside a failed checksum; on its own it proves nothing.
  const damaged = c.problems.some((p) => p !== 'unexpected-length');
  // Bitbucket accepts API tokens only with Basic authentication; a Bearer header is settled offline.
  const bearerApiToken = sent.source === 'extraheader' && sent.scheme === 'bearer' && c.kind === 'api-token';
  const unusable = unusableOf(c);
  const v: SecretVerdict = {
    dead: retired || c.checksum === 'invalid' || damaged,
    worthProbing:
      c.kind !== 'datacenter-token' && c.checksum !== 'invalid' && c.problems.length === 0 && !bearerApiToken,
    usable: unusable === undefined,
  };
  if (unusable) v.unusable = unusable;
  if (c.repaired && c.problems.length > 0) v.repair = { value: c.repaired, damage: c.problems };
  return v;
}

/**
 * What git will do with the credential it sends for one remote (or the host): the server's word when it was
 * asked; otherwise `broken` when an offline error proves it fails, `none` when git has nothing to send (it would
 * prompt, or fail without a terminal), else `unchecked`. The one verdict status and doctor's report agree on.
 */
export function useState(o: {
  sends: boolean;
  evidence?: Evidence;
  /** Whether push permission matters for this remote. */
  push: boolean;
  offlineError: boolean;
}): CredentialState {
  if (!o.sends) return 'none';
  const probed = o.evidence && evidenceState(o.evidence, o.push);
  return probed ?? (o.offlineError ? 'broken' : 'unchecked');
}
