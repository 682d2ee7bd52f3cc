/**
 * Building findings, shared by doctor, scan and status: the catalogue's severity by default, the credential as a
 * fingerprint (never the secret), and the findings that follow from what a secret *is* wherever it was found.
 */
import { CATALOGUE, type FindingId } from './catalogue.js';
import { checkPairing, type Surface } from '../credential/pairing.js';
import * as fixes from './advice.js';
import type { Finding, Location, Severity } from '../model.js';
import { fingerprint } from '../redact.js';
import type { SecretUse } from '../credential/use.js';

/** Builds a finding with the catalogue's severity unless told otherwise. */
export function finding(
  id: FindingId,
  message: string,
  location: Location,
  fix: Finding['fix'],
  extra: { use?: SecretUse; severity?: Severity; evidence?: string } = {},
): Finding {
  const f: Finding = { id, severity: extra.severity ?? CATALOGUE[id].severity, message, location, fix };
  if (extra.use) {
    f.credential = {
      kind: extra.use.class.kind,
      fingerprint: fingerprint(extra.use.secret),
      source: sourceLabel(extra.use),
    };
    if (extra.use.username !== undefined) f.credential.username = extra.use.username;
  }
  if (extra.evidence) f.evidence = extra.evidence;
  return f;
}

/** `helper:store`, `url`, `netrc`, `extraheader`. */
export function sourceLabel(use: SecretUse): string {
  return use.source === 'helper' ? `helper:${use.helper ?? 'unknown'}` : use.source;
}

/** What the secret itself is: kind, checksum, paste damage. */
export function classFindings(use: SecretUse, ctx: fixes.FixContext): Finding[] {
  const c = use.class;
  const at = use.location;
  const out: Finding[] = [];
  if (c.checksum === 'invalid') {
    out.push(
      finding(
        'token-checksum-mismatch',
        `This ${c.kind === 'app-password' ? 'app password' : 'token'} starts like an Atlassian secret but its CRC-32 tail does not match (${c.length} characters): it was truncated, mistyped or altered when pasted.`,
        at,
        fixes.replaceCredentialFix(ctx, 'Copy the token again in full, or create a new one.'),
        { use },
      ),
    );
  } else if (c.kind === 'app-password') {
    out.push(
      finding(
        'app-password',
        'This is a Bitbucket app password; app passwords were removed on 2026-07-28, so git gets HTTP 410 (CHANGE-3222) and the API 401.',
        at,
        fixes.replaceCredentialFix(ctx, 'Replace it with an API token.'),
        { use },
      ),
    );
  }
  // A failed checksum and the length it often comes with are token-checksum-mismatch, not paste damage.
  const paste = c.problems.filter((p) => p !== 'checksum' && p !== 'unexpected-length');
  if (paste.length > 0) {
    out.push(
      finding(
        'token-malformed',
        `The secret has stray characters (${paste.join(', ')})${c.repaired ? '; without them it is a valid token' : ''}: git sends it as it is and Bitbucket refuses it.`,
        at,
        fixes.replaceCredentialFix(
          ctx,
          c.repaired ? 'Store the cleaned value (`bbauth fix` does it).' : 'Paste the token again.',
        ),
        { use },
      ),
    );
  }
  if (c.kind === 'legacy-secret') {
    out.push(
      finding(
        'legacy-secret',
        `A bare ${c.length}-character secret: an old-style app password or Atlassian token, both expected to be dead.`,
        at,
        fixes.replaceCredentialFix(ctx, 'Replace it with an API token.'),
        { use },
      ),
    );
  } else if (c.kind === 'datacenter-token') {
    out.push(
      finding(
        'datacenter-token-on-cloud',
        'This is a Bitbucket Data Center token (BBDC-…); Bitbucket Cloud does not accept it.',
        at,
        fixes.replaceCredentialFix(ctx, 'Use a Bitbucket Cloud API token instead.'),
        { use },
      ),
    );
  } else if (c.kind === 'unknown' && c.checksum !== 'invalid') {
    out.push(
      finding(
        'unknown-secret',
        'bbauth cannot tell offline what this secret is (an account password or an OAuth token?); only the online check can.',
        at,
        { summary: 'Run doctor without --offline to see what Bitbucket says.', commands: ['bbauth doctor'] },
        { use, severity: 'info' },
      ),
    );
  }
  return out;
}

/**
 * The username/kind pairing finding for a secret sent to `surface` (email for git, x-token-auth with an API
 * token, anything but the email for REST…), or undefined when the pairing is fine. `fix` defaults to the
 * git username fix.
 */
export function pairingFinding(
  use: SecretUse,
  surface: Surface,
  at: Location,
  ctx: fixes.FixContext,
  fix: Finding['fix'] = fixes.usernameFix(ctx, use.class.kind),
): Finding | undefined {
  const verdict = checkPairing(use.class.kind, use.username, surface);
  if (verdict.ok || !verdict.findingId) return undefined;
  return finding(verdict.findingId, verdict.reason ?? CATALOGUE[verdict.findingId].title, at, fix, { use });
}
