/**
 * `scan --verify`: one request per distinct credential (secret and username), not one per place, and the
 * server's answer added as findings to every place the credential was found. Planning and the mapping from
 * answers to findings are pure; services/scan.ts sends the requests.
 */
import { looksLikeEmail } from '../credential/pairing.js';
import { classifySecret } from '../credential/secret-class.js';
import { judgeSecret } from '../credential/verdict.js';
import * as fixes from '../findings/advice.js';
import type { CredentialKind, Finding, Location } from '../model.js';
import type { ProbeResult } from '../probe/outcome.js';
import type { Evidence } from '../probe/evidence.js';
import { serverFindings } from '../findings/server.js';
import type { ScanItem } from './types.js';

export interface VerifyTarget {
  secret: string;
  kind: CredentialKind;
  /** Git probe: the repository URL without credentials, and the username git would send. */
  repoUrl?: string;
  username: string;
  /** REST identity probe (API token with an email), when no repository is known. */
  surface: 'git' | 'rest';
  locations: Location[];
}

/** `https://bitbucket.org/ws/repo.git` from a masked URL whose host is the Bitbucket git host. */
export function repoUrlOf(maskedUrl: string | undefined, origin: string): string | undefined {
  if (!maskedUrl) return undefined;
  const host = origin.replace(/^[a-z]+:\/\//i, '').toLowerCase();
  const m = /@([^/@\s]+)\/([^/\s?#]+)\/([^/\s?#]+?)(?:\.git)?(?:[/?#]|$)/.exec(maskedUrl);
  if (!m || m[1]!.toLowerCase() !== host) return undefined;
  return `${origin}/${m[2]}/${m[3]}.git`;
}

/** The credentials worth one request each; damaged or Data Center secrets are settled offline already. */
export function planVerify(items: readonly ScanItem[], origin: string): VerifyTarget[] {
  const targets = new Map<string, VerifyTarget>();
  for (const it of items) {
    if (it.secret === undefined) continue;
    const c = classifySecret(it.secret);
    if (!judgeSecret(c, it).worthProbing) continue;
    const repoUrl = repoUrlOf(it.location.url, origin);
    const email = it.username !== undefined && looksLikeEmail(it.username);
    const surface = !repoUrl && c.kind === 'api-token' && email ? 'rest' : 'git';
    const username = it.username ?? fixes.gitUsernameFor(c.kind);
    const key = `${it.secret}\u0000${username}`;
    const t = targets.get(key);
    if (t) {
      t.locations.push(it.location);
      if (!t.repoUrl && repoUrl) Object.assign(t, { repoUrl, surface: 'git' });
    } else
      targets.set(key, {
        secret: it.secret,
        kind: c.kind,
        username,
        surface,
        locations: [it.location],
        ...(repoUrl ? { repoUrl } : {}),
      });
  }
  return [...targets.values()].filter((t) => t.repoUrl || t.surface === 'rest');
}

/**
 * What the server's answer means for every place of one credential: the same rules as doctor's. A network
 * failure is left to the caller, which stops asking and says so once for the run.
 */
export function verifyFindings(t: VerifyTarget, r: ProbeResult, origin: string): Finding[] {
  if (r.outcome.kind === 'network') return [];
  const ev: Evidence = t.surface === 'git' ? { fetch: r } : { identity: r };
  const repo = t.repoUrl?.replace(/^[a-z]+:\/\/[^/]+\//, '').replace(/\.git$/, '');
  return t.locations.flatMap((at) =>
    serverFindings(
      {
        use: {
          secret: t.secret,
          username: t.username,
          source: 'file',
          location: at,
          class: classifySecret(t.secret),
        },
        at,
        username: t.username,
        push: false,
        ctx: { origin, kind: t.kind, username: t.username },
        rerun: 'bbauth scan --verify',
        ...(repo ? { repo } : {}),
      },
      ev,
    ),
  );
}
