/**
 * `bbauth check-expiry`: which recorded tokens expire within the window, for cron and CI. With an organisation
 * admin key it first refreshes expiries from the Atlassian admin API (facts §9), matching records by label,
 * since neither the token nor Bitbucket's responses reveal an expiry.
 */
import {
  expiryFindings,
  expiryStatus,
  knownExpiry,
  matchByLabel,
  parseAdminTokens,
  type AdminToken,
  type ExpiryState,
} from '../core/expiry.js';
import { AbortError } from '../core/errors.js';
import type { CredentialKind, Finding } from '../core/model.js';
import { registerSecret } from '../core/secret-registry.js';
import { request } from '../net/request.js';
import { readRecords, recordsPath, updateRecords, type CredentialRecord } from '../store/records.js';

/** Where the admin API lives (api.atlassian.com, not api.bitbucket.org). */
export const DEFAULT_ADMIN_URL = 'https://api.atlassian.com';

export interface AdminQuery {
  /** The organisation admin API key; never from argv. */
  key: string;
  accountIds: string[];
  /** Origin of the admin API. */
  url: string;
}

export interface CheckExpiryOptions {
  warnDays: number;
  admin?: AdminQuery;
  env?: NodeJS.ProcessEnv;
  now?: Date;
  onRequest?: (label: string) => void;
}

export interface ExpiryRow {
  fingerprint: string;
  kind: CredentialKind;
  host: string;
  label?: string;
  expires?: string;
  /** `expires` is a bound (none recorded: a year after bbauth first saw the API token), not the real date. */
  expiresBound?: boolean;
  daysLeft?: number;
  state: ExpiryState | 'unknown' | 'retired';
  /** For a retired token: when, and by which token. */
  retired?: string;
  replacedBy?: string;
}

export interface AdminAccountResult {
  accountId: string;
  status: number;
  /** Listed tokens and whether a record matched each. */
  tokens: (AdminToken & { matched: boolean })[];
  ambiguous: string[];
  error?: string;
}

export interface ExpiryReport {
  recordsFile: string;
  now: string;
  warnDays: number;
  rows: ExpiryRow[];
  findings: Finding[];
  /** Records whose expiry the admin API set or changed. */
  updated: number;
  admin?: AdminAccountResult[];
}

async function listAdminTokens(
  admin: AdminQuery,
  accountId: string,
  onRequest?: (label: string) => void,
): Promise<{ status: number; tokens?: AdminToken[]; error?: string }> {
  const url = `${admin.url.replace(/\/+$/, '')}/users/${encodeURIComponent(accountId)}/manage/api-tokens`;
  onRequest?.(`GET ${url}`);
  const res = await request({
    url,
    headers: { authorization: `Bearer ${admin.key}`, accept: 'application/json' },
  });
  if (res.status === 401 || res.status === 403) {
    throw new AbortError(`the Atlassian admin API refused the admin key (HTTP ${res.status}).`, [
      'Check the key (admin.atlassian.com → Settings → API keys) and that it belongs to the organisation managing this account.',
    ]);
  }
  if (res.status === 404) return { status: 404, error: 'no such managed account' };
  if (res.status !== 200) return { status: res.status, error: `HTTP ${res.status}` };
  const tokens = parseAdminTokens(res.body);
  return tokens ? { status: 200, tokens } : { status: 200, error: 'unexpected response body' };
}

/** Refreshes expiries from the admin API (if asked), then reports every recorded token against the window. */
export async function checkExpiry(opts: CheckExpiryOptions): Promise<ExpiryReport> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? new Date();
  let updated = 0;
  let adminResults: AdminAccountResult[] | undefined;
  if (opts.admin) {
    registerSecret(opts.admin.key);
    const records = (await readRecords(env)).credentials;
    adminResults = [];
    const allMatches: { digest: string; expires: string }[] = [];
    for (const accountId of opts.admin.accountIds) {
      const listed = await listAdminTokens(opts.admin, accountId, opts.onRequest);
      const tokens = listed.tokens ?? [];
      const { matches, ambiguous } = matchByLabel(records, tokens);
      const matchedLabels = new Set(matches.map((m) => m.label));
      for (const m of matches) allMatches.push({ digest: records[m.record]!.digest, expires: m.expires });
      adminResults.push({
        accountId,
        status: listed.status,
        tokens: tokens.map((t) => ({ ...t, matched: matchedLabels.has(t.label) })),
        ambiguous,
        ...(listed.error ? { error: listed.error } : {}),
      });
    }
    const changes = allMatches.filter(
      (m) => records.find((r) => r.digest === m.digest)?.expires !== m.expires,
    );
    if (changes.length > 0) {
      await updateRecords((file) => {
        for (const c of changes) {
          const r = file.credentials.find((x) => x.digest === c.digest);
          if (r) {
            r.expires = c.expires;
            r.updatedAt = now.toISOString();
          }
        }
      }, env);
      updated = changes.length;
    }
  }
  const records = (await readRecords(env)).credentials;
  const file = recordsPath(env);
  return {
    recordsFile: file,
    now: now.toISOString(),
    warnDays: opts.warnDays,
    rows: records.map((r) => row(r, now, opts.warnDays)),
    findings: expiryFindings(records, now, opts.warnDays, file),
    updated,
    ...(adminResults ? { admin: adminResults } : {}),
  };
}

function row(r: CredentialRecord, now: Date, warnDays: number): ExpiryRow {
  const out: ExpiryRow = { fingerprint: r.fingerprint, kind: r.kind, host: r.host, state: 'unknown' };
  if (r.label) out.label = r.label;
  const known = knownExpiry(r);
  if (known) out.expires = known.expires;
  if (known?.bound) out.expiresBound = true;
  if (r.retired) {
    out.state = 'retired';
    out.retired = r.retired;
    if (r.replacedBy) out.replacedBy = r.replacedBy;
    return out;
  }
  const s = known ? expiryStatus(known.expires, now, warnDays) : undefined;
  if (s) {
    out.daysLeft = s.daysLeft;
    out.state = s.state;
  }
  return out;
}
