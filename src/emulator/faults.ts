/**
 * Fault injection, so tests can prove bbauth copes with a flaky Bitbucket: delays, 429 with Retry-After, 5xx and
 * dropped connections. Counted faults are consumed one per request, on either listener, in arrival order.
 */

export interface Faults {
  /** Delay every response. */
  delayMs?: number;
  /** The next `count` requests get 429 + Retry-After. */
  rateLimit?: { count: number; retryAfterSeconds: number };
  /** The next `count` requests get a 5xx (default 503). */
  serverError?: { count: number; status?: number };
  /** The next N requests: the socket is destroyed without an answer. */
  dropConnections?: number;
}

export type InjectedFault =
  | { kind: 'drop' }
  | { kind: 'server-error'; status: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number };

/** Holds the current faults and hands out one per request. */
export class FaultPlan {
  private faults: Faults = {};

  /** Replaces every pending fault. */
  set(faults: Faults): void {
    this.faults = structuredClone(faults);
  }

  get delayMs(): number {
    return this.faults.delayMs ?? 0;
  }

  /** The fault for the next request, if any; drops first, then 5xx, then 429. */
  take(): InjectedFault | undefined {
    const f = this.faults;
    if (f.dropConnections && f.dropConnections > 0) {
      f.dropConnections--;
      return { kind: 'drop' };
    }
    if (f.serverError && f.serverError.count > 0) {
      f.serverError.count--;
      return { kind: 'server-error', status: f.serverError.status ?? 503 };
    }
    if (f.rateLimit && f.rateLimit.count > 0) {
      f.rateLimit.count--;
      return { kind: 'rate-limit', retryAfterSeconds: f.rateLimit.retryAfterSeconds };
    }
    return undefined;
  }
}
