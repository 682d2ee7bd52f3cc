/**
 * Token lifetimes from bbauth's records (facts §9: API tokens live at most a year; access tokens per the
 * workspace policy), as findings for doctor, status and check-expiry. Date rules: ./helper/expiry-time.ts.
 */
import type { CredentialKind, Finding } from './model.js';
import { finding } from './findings/build.js';
import { expiryStatus, formatExpiry, parseExpiry } from './helper/expiry-time.js';

export {
  expiryStatus,
  expiryUnixSeconds,
  formatExpiry,
  parseExpiry,
  type ExpiryState,
} from './helper/expiry-time.js';

/** The fields of a credential record this module reads (records.ts's CredentialRecord fits). */
export interface ExpiryRecord {
  fingerprint: string;
  kind: CredentialKind;
  host: string;
  label?: string;
  expires?: string;
  /** When `bbauth rotate` replaced it everywhere: no longer in use, so its expiry no longer matters. */
  retired?: string;
  /** When the record was made; for records older than firstSeen, when bbauth first met the token. */
  createdAt?: string;
  /** When bbauth first met the token. */
  firstSeen?: string;
}

/** The longest an Atlassian API token can live (facts §9). Access tokens may be allowed no expiry at all. */
const API_TOKEN_MAX_DAYS = 365;

/**
 * The expiry to judge a record by: the one recorded, or for an API token with none recorded, the latest it can
 * be — a year after bbauth first met it (the token was created then or earlier). Undefined when nothing bounds
 * it (an access token with no recorded expiry).
 */
export function knownExpiry(
  r: ExpiryRecord,
): { expires: string; bound: boolean; since?: string } | undefined {
  if (r.expires) return { expires: r.expires, bound: false };
  const since = r.firstSeen ?? r.createdAt;
  if (r.kind !== 'api-token' || !since) return undefined;
  const first = new Date(since);
  if (Number.isNaN(first.getTime())) return undefined;
  const latest = new Date(first.getTime() + API_TOKEN_MAX_DAYS * 86_400_000).toISOString();
  return { expires: latest, bound: true, since };
}

function kindLabel(kind: CredentialKind): string {
  return kind === 'access-token' ? 'Access token' : kind === 'api-token' ? 'API token' : 'Credential';
}

function inDays(n: number): string {
  return n === 0 ? 'today' : n === 1 ? 'tomorrow' : `in ${n} days`;
}

/**
 * `token-expires-soon` (at most `warnDays` days left) and `token-expired` findings for recorded tokens.
 * `recordsFile` is where the records live (the finding's location); without it the token's host is used.
 */
export function expiryFindings(
  records: readonly ExpiryRecord[],
  now: Date,
  warnDays: number,
  recordsFile?: string,
): Finding[] {
  const out: Finding[] = [];
  for (const r of records) {
    const known = knownExpiry(r);
    if (!known || r.retired) continue;
    const s = expiryStatus(known.expires, now, warnDays);
    if (!s || s.state === 'ok') continue;
    const who = `${kindLabel(r.kind)} ${r.fingerprint}${r.label ? ` ("${r.label}")` : ''}`;
    const when = formatExpiry(known.expires);
    const why = known.bound
      ? ` at the latest (no expiry recorded; bbauth first saw it on ${known.since!.slice(0, 10)}, and an API token lives at most a year)`
      : '';
    const location = recordsFile ? { file: recordsFile, host: r.host } : { host: r.host };
    const fix = {
      summary:
        r.kind === 'access-token'
          ? 'Create or rotate the access token in the repository, project or workspace settings, then record the new one.'
          : 'Create a new API token (id.atlassian.com → Security → API tokens) with the same scopes, then record it.',
      commands: known.bound
        ? [
            'bbauth login --expires <YYYY-MM-DD>   # the date shown on the token page, if the token is still current',
          ]
        : ['bbauth login --expires <YYYY-MM-DD>'],
    };
    const f =
      s.state === 'expired'
        ? finding(
            'token-expired',
            known.bound
              ? `${who} has expired by now: it expired on ${when}${why}; git and the API refuse it (401).`
              : `${who} expired on ${when}: git and the API now refuse it (401).`,
            location,
            fix,
          )
        : finding(
            'token-expires-soon',
            `${who} expires on ${when}${why} (${inDays(s.daysLeft)}); git and the API will refuse it from then on.`,
            location,
            fix,
          );
    f.credential = { kind: r.kind, fingerprint: r.fingerprint, source: 'records' };
    out.push(f);
  }
  return out;
}

/** One entry of `GET /users/{account_id}/manage/api-tokens` (facts §9). */
export interface AdminToken {
  label: string;
  id?: string;
  /** ISO timestamp, or undefined when the API says none. */
  expiry?: string;
  lastAccess?: string;
}

/** Parses the admin listing (a bare array; `{data|values: [...]}` tolerated); undefined when unreadable. */
export function parseAdminTokens(body: string): AdminToken[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed)
    ? parsed
    : ((parsed as { data?: unknown; values?: unknown } | null)?.data ??
      (parsed as { values?: unknown } | null)?.values);
  if (!Array.isArray(list)) return undefined;
  const out: AdminToken[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (typeof item?.label !== 'string') continue;
    const t: AdminToken = { label: item.label };
    if (typeof item.id === 'string') t.id = item.id;
    if (typeof item.expiry === 'string' && item.expiry !== '') t.expiry = item.expiry;
    if (typeof item.lastAccess === 'string') t.lastAccess = item.lastAccess;
    out.push(t);
  }
  return out;
}

export interface LabelMatch {
  /** Index into the records list. */
  record: number;
  label: string;
  expires: string;
}

/**
 * Pairs admin-listed tokens with recorded API tokens by label (the listing never shows a token's value). A label
 * listed twice is ambiguous and left alone; so is an entry without an expiry.
 */
export function matchByLabel(
  records: readonly ExpiryRecord[],
  tokens: readonly AdminToken[],
): { matches: LabelMatch[]; ambiguous: string[] } {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
  const matches: LabelMatch[] = [];
  const ambiguous = new Set<string>();
  records.forEach((r, i) => {
    if (r.kind !== 'api-token' || !r.label) return;
    const n = counts.get(r.label) ?? 0;
    if (n > 1) ambiguous.add(r.label);
    const t = tokens.find((x) => x.label === r.label);
    if (n === 1 && t?.expiry && parseExpiry(t.expiry)) {
      matches.push({ record: i, label: r.label, expires: t.expiry });
    }
  });
  return { matches, ambiguous: [...ambiguous] };
}
