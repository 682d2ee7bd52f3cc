/**
 * `scan --verify`: one request per distinct credential (secret and username), not one per place, and the
 * server's answer added as findings to every place the credential was found. Planning and the mapping from
 * answers to findings are pure; services/scan.ts sends the requests.
 */
import { looksLikeEmail } from '../credential/pairing.js';
import { classifySecret } from '../credential/secret-class.js';
import { judgeSecret } from '../credential/verdict.js';
import { finding } from '../findings/build.js';
import * as fixes from '../findings/advice.js';
import type { CredentialKind, Finding, Location } from '../model.js';
import { describeOutcome, type ProbeResult } from '../probe/outcome.js';
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

/** What the server's answer means for every place of one credential. */
export function verifyFindings(t: VerifyTarget, r: ProbeResult, origin: string): Finding[] {
  const evidence = describeOutcome(r.status, r.outcome);
  const use = {
    secret: t.secret,
    username: t.username,
    source: 'file' as const,
    location: t.locations[0]!,
    class: classifySecret(t.secret),
  };
  const ctx: fixes.FixContext = { origin, kind: t.kind, username: t.username };
  const per = (make: (at: Location) => Finding): Finding[] => t.locations.map(make);
  const o = r.outcome;
  switch (o.kind) {
    case 'retired':
      return per((at) =>
        finding(
          'app-password-retired',
          'Bitbucket answered 410 (CHANGE-3222): this app password is gone.',
          at,
          fixes.replaceCredentialFix(ctx, 'Replace it with an API token.'),
          { use: { ...use, location: at }, evidence },
        ),
      );
    case 'rejected':
      return per((at) =>
        finding(
          'credential-rejected',
          `Bitbucket refused this credential (401) ${t.surface === 'rest' ? 'for the REST API' : 'for git'}: revoked, expired, unscoped, or the wrong username.`,
          at,
          fixes.replaceCredentialFix(ctx, 'Check the username, or create a new API token with scopes.'),
          { use: { ...use, location: at }, evidence },
        ),
      );
    case 'missing-scope':
      return per((at) =>
        finding(
          'missing-scope',
          'The credential lacks read:repository:bitbucket, which git needs to fetch.',
          at,
          fixes.scopeFix(ctx, ['read:repository:bitbucket']),
          { use: { ...use, location: at }, evidence },
        ),
      );
    case 'no-access':
      return per((at) =>
        finding(
          'no-repository-access',
          'The credential is valid but cannot see this repository (or it moved).',
          at,
          { summary: 'Ask a workspace admin for access, or fix the repository URL.', commands: [] },
          { use: { ...use, location: at }, evidence },
        ),
      );
    case 'rate-limited':
      return per((at) =>
        finding(
          'rate-limited',
          'Bitbucket rate-limited the check (429); this credential stays unchecked.',
          at,
          { summary: 'Run scan --verify again later.', commands: [] },
          { use: { ...use, location: at }, evidence },
        ),
      );
    default:
      return [];
  }
}
