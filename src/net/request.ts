/**
 * The one way bbauth speaks HTTP. Timeouts, the proxy from the environment (HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY), retries on 429, 5xx and a connection reset with backoff that honours Retry-After, and a bounded body. Refuses
 * plain HTTP to anything but loopback, since every request may carry a secret. Call sites set none of this.
 */
import type { Agent, Dispatcher, ProxyAgent, request as UndiciRequest } from 'undici';
import { ensureSafeTransport } from '../core/endpoints.js';
import { classifyNetworkError, proxySetting } from './network-error.js';

export { NetworkError } from './network-error.js';

// undici costs ~190 ms to load; only runs that actually send a request should pay for it.
interface Undici {
  request: typeof UndiciRequest;
  Agent: typeof Agent;
  ProxyAgent: typeof ProxyAgent;
}
let undici: Undici | undefined;
async function loadUndici(): Promise<Undici> {
  if (!undici) {
    const m = await import('undici');
    undici = { request: m.request, Agent: m.Agent, ProxyAgent: m.ProxyAgent };
  }
  return undici;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string;
  /** Per attempt, the whole of it (connect, headers and body); default 15 s. */
  timeoutMs?: number;
  /** Extra attempts after a 429/5xx; default 2. */
  retries?: number;
  /** Longest wait bbauth accepts from Retry-After before giving up and reporting; default 30 s. */
  maxRetryWaitMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How many HTTP requests this call sent (retries included). */
  attempts: number;
  /** The body went past the size bbauth reads (1 MiB) and was cut there. */
  truncated: boolean;
}

const MAX_BODY_BYTES = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts requests sent, for --verbose and for tests that bound the number of requests. */
export const httpStats = { sent: 0 };

/**
 * The network budget of one bbauth run: every request (and every Retry-After wait) fits in what is left of it, so
 * a slow or stalling server cannot keep a command running longer than this, however many requests it sends.
 */
export const RUN_BUDGET_MS = 120_000;

/** One attempt's whole time (connect, headers, body) unless the caller asks for less. */
export const REQUEST_TIMEOUT_MS = 15_000;
let runStarted: number | undefined;
let budgetMs = RUN_BUDGET_MS;

/** Sets the run's network budget, counted from now (tests; a CLI flag could too). */
export function setRunBudget(ms: number): void {
  budgetMs = ms;
  runStarted = Date.now();
}

/** What is left of the budget, which starts with the run's first request. */
function budgetLeft(): number {
  runStarted ??= Date.now();
  return budgetMs - (Date.now() - runStarted);
}

let direct: Agent | undefined;
const viaProxy = new Map<string, ProxyAgent>();

function dispatcherFor(url: URL, u: Undici): Dispatcher {
  // Loopback (the emulator) never goes through a corporate proxy, whatever NO_PROXY says.
  // One rule for routing and for error messages (proxySetting), and undici's stable ProxyAgent rather than
  // its EnvHttpProxyAgent, which prints an "experimental" warning on every run.
  const proxy = proxySetting(url);
  if (!proxy) return (direct ??= new u.Agent());
  let agent = viaProxy.get(proxy);
  if (!agent) viaProxy.set(proxy, (agent = new u.ProxyAgent(proxy)));
  return agent;
}

/** Seconds or HTTP-date → milliseconds; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A request that ran out of time: its own deadline, or the run's budget. Classified as a timeout. */
class DeadlineError extends Error {
  readonly code = 'BBAUTH_DEADLINE_TIMEOUT';
}

async function readBounded(
  body: Dispatcher.ResponseData['body'],
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** Sends one logical request (retrying 429/5xx). Rejects with NetworkError when no answer came back. */
export async function request(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  ensureSafeTransport(url);
  const retries = req.retries ?? 2;
  const timeoutMs = req.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const maxWait = req.maxRetryWaitMs ?? 30_000;
  const u = await loadUndici();
  let attempts = 0;
  for (;;) {
    const left = budgetLeft();
    if (left <= 0) throw classifyNetworkError(new DeadlineError('the run used up its network time'), url);
    attempts++;
    httpStats.sent++;
    // One deadline for the whole attempt: undici's headers/body timeouts only bound each gap, and a body sent a
    // byte a second would otherwise take days.
    const limit = Math.min(timeoutMs, left);
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DeadlineError(`no full answer within ${limit} ms`)),
      limit,
    );
    let res: Dispatcher.ResponseData;
    try {
      res = await u.request(url, {
        method: req.method ?? 'GET',
        headers: { 'user-agent': 'bbauth', ...req.headers },
        body: req.body,
        dispatcher: dispatcherFor(url, u),
        headersTimeout: limit,
        bodyTimeout: limit,
        signal: deadline.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      const failure = classifyNetworkError(deadline.signal.aborted ? deadline.signal.reason : error, url);
      // A connection reset before any answer is the network's hiccup: asked again, like a 5xx.
      if (failure.kind === 'reset' && attempts <= retries && budgetLeft() > 1000) {
        await sleep(250 * 2 ** (attempts - 1));
        continue;
      }
      throw failure;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const retryable = res.statusCode === 429 || res.statusCode >= 500;
    if (retryable && attempts <= retries) {
      const wait = parseRetryAfter(headers['retry-after']) ?? 500 * 2 ** (attempts - 1);
      // Waited only within the asked maximum and what the run has left: else the answer stands (rate-limited).
      if (wait <= maxWait && wait < budgetLeft() - 1000) {
        clearTimeout(timer);
        await res.body.dump().catch(() => {});
        await sleep(wait);
        continue;
      }
    }
    let body: { text: string; truncated: boolean };
    try {
      body = await readBounded(res.body);
    } catch (error) {
      throw classifyNetworkError(deadline.signal.aborted ? deadline.signal.reason : error, url);
    } finally {
      clearTimeout(timer);
    }
    return { status: res.statusCode, headers, body: body.text, truncated: body.truncated, attempts };
  }
}
