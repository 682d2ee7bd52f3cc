/** Parsing the expiry a user types (`--expires 2027-03-01`). Pure; the clock is passed in. */
import { UsageError } from './errors.js';

const MAX_DAYS = 366;

/** Validates `YYYY-MM-DD`; returns it with warnings, or throws UsageError naming the problem. */
export function parseExpiryDate(value: string, now: Date): { date: string; warnings: string[] } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const parsed = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59)) : undefined;
  if (!m || !parsed || parsed.getUTCDate() !== Number(m[3])) {
    throw new UsageError(`--expires must be a date as YYYY-MM-DD, got "${value}".`, [
      'Use the expiry shown on the token page (id.atlassian.com → Security → API tokens).',
    ]);
  }
  if (parsed.getTime() < now.getTime()) {
    throw new UsageError(`--expires ${value} is in the past: that token has already expired.`, [
      'Create a new token and log in with it.',
    ]);
  }
  const warnings: string[] = [];
  if (parsed.getTime() - now.getTime() > MAX_DAYS * 86_400_000) {
    warnings.push(
      `${value} is more than a year away; Atlassian API tokens live at most one year. Check the date on the token page.`,
    );
  }
  return { date: m[0], warnings };
}
