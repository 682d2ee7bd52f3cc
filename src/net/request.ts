/**
 * The one way bbauth speaks HTTP. Timeouts, the proxy from the environment (HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY), retries only on 429 and 5xx with backoff that honours Retry-After, and a bounded body. Refuses
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
  /** Per attempt; default 15 s. */
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
}

const MAX_BODY_BYTES = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts requests sent, for --verbose and for tests that bound the number of requests. */
export const httpStats = { sent: 0 };

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

async function readBounded(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends one logical request (retrying 429/5xx). Rejects with NetworkError when no answer came back. */
export async function request(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  ensureSafeTransport(url);
  const retries = req.retries ?? 2;
  const timeoutMs = req.timeoutMs ?? 15_000;
  const maxWait = req.maxRetryWaitMs ?? 30_000;
  const u = await loadUndici();
  let attempts = 0;
  for (;;) {
    attempts++;
    httpStats.sent++;
    let res: Dispatcher.ResponseData;
    try {
      res = await u.request(url, {
        method: req.method ?? 'GET',
        headers: { 'user-agent': 'bbauth', ...req.headers },
        body: req.body,
        dispatcher: dispatcherFor(url, u),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw classifyNetworkError(error, url);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const retryable = res.statusCode === 429 || res.statusCode >= 500;
    if (retryable && attempts <= retries) {
      const wait = parseRetryAfter(headers['retry-after']) ?? 500 * 2 ** (attempts - 1);
      if (wait <= maxWait) {
        await res.body.dump().catch(() => {});
        await sleep(wait);
        continue;
      }
    }
    let body: string;
    try {
      body = await readBounded(res.body);
    } catch (error) {
      throw classifyNetworkError(error, url);
    }
    return { status: res.statusCode, headers, body, attempts };
  }
}
