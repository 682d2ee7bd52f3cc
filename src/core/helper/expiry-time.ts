/**
 * Reading a stored expiry: `YYYY-MM-DD` means the end of that day in UTC (the token page shows a date, and a
 * token dated today still works today); a full ISO timestamp is honoured with its offset, and one without an
 * offset is read as UTC so the answer never depends on the machine's time zone. Kept apart from expiry.ts so
 * the credential helper can use it without loading the findings machinery.
 */

export type ExpiryState = 'ok' | 'soon' | 'expired';

export interface ExpiryStatus {
  /** The instant the token stops working. */
  at: Date;
  /** Whole days left, rounded down; 0 on the last day, negative once expired. */
  daysLeft: number;
  state: ExpiryState;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The instant a stored expiry means, or undefined when it is not a date bbauth understands. */
export function parseExpiry(value: string): Date | undefined {
  const text = value.trim();
  const d = DATE_ONLY.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const at = new Date(Date.UTC(y, m - 1, day, 23, 59, 59, 999));
    // Date.UTC rolls 2026-02-30 over into March; a date that moved is not a date.
    return at.getUTCMonth() === m - 1 && at.getUTCDate() === day ? at : undefined;
  }
  const t = ISO_TIME.exec(text);
  if (!t) return undefined;
  const iso = text.replace(' ', 'T');
  // `+0200` is valid ISO 8601 but not every Date.parse accepts it; `+02:00` always is.
  const zoned = t[1] ? iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : `${iso}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Unix seconds for git's `password_expiry_utc`, or undefined when the expiry is unknown or unreadable. */
export function expiryUnixSeconds(value: string | undefined): number | undefined {
  const at = value === undefined ? undefined : parseExpiry(value);
  return at && Math.floor(at.getTime() / 1000);
}

/** Days left and whether that is inside the warning window (`soon` when at most `warnDays` days remain). */
export function expiryStatus(value: string, now: Date, warnDays: number): ExpiryStatus | undefined {
  const at = parseExpiry(value);
  if (!at) return undefined;
  const left = at.getTime() - now.getTime();
  const state: ExpiryState = left <= 0 ? 'expired' : left <= warnDays * DAY_MS ? 'soon' : 'ok';
  return { at, daysLeft: Math.floor(left / DAY_MS), state };
}

/** `2026-09-15` for a date-only expiry, else the instant in UTC without milliseconds. */
export function formatExpiry(value: string): string {
  if (DATE_ONLY.test(value.trim())) return value.trim();
  const at = parseExpiry(value);
  return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
}
