/**
 * Why a request got no HTTP answer, as a closed set, with the host and proxy named. Kept apart from
 * request.ts so the CLI can recognise these errors without loading the HTTP client (undici) at start-up.
 */
import { isLoopbackHost } from '../core/endpoints.js';

/** The closed set of reasons a request never got an HTTP answer. */
export type NetworkErrorKind = 'dns' | 'connect' | 'timeout' | 'tls' | 'proxy' | 'reset' | 'other';

/** No HTTP answer at all; `describe()` gives the one sentence users see. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly kind: NetworkErrorKind,
    readonly host: string,
    readonly proxy: string | undefined,
    readonly detail: string,
  ) {
    super(`${kind} error reaching ${host}${proxy ? ` via proxy ${proxy}` : ''}: ${detail}`);
  }
}

/**
 * The proxy configured for `url` (HTTPS_PROXY / HTTP_PROXY, lower-case too), unless NO_PROXY exempts the host
 * (`*`, a host, or a domain suffix with or without a leading dot; a `:port` suffix is ignored). Loopback never
 * uses a proxy. Returns the setting as written, credentials included: for the agent, never for printing.
 */
export function proxySetting(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (isLoopbackHost(url.hostname)) return undefined;
  const host = url.hostname.toLowerCase();
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((p) => p.toLowerCase().replace(/:\d+$/, ''));
  if (
    noProxy.some(
      (p) => p === '*' || host === p.replace(/^\./, '') || host.endsWith(p.startsWith('.') ? p : `.${p}`),
    )
  ) {
    return undefined;
  }
  const raw =
    url.protocol === 'https:'
      ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
      : (env.HTTP_PROXY ?? env.http_proxy);
  return raw || undefined;
}

/** The proxy that applies to `url`, fit to print (no credentials). */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = proxySetting(url, env);
  if (!raw) return undefined;
  try {
    return new URL(raw).origin;
  } catch {
    return raw.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Maps a thrown transport error onto the closed set. */
export function classifyNetworkError(error: unknown, url: URL): NetworkError {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  const message = e.message ?? String(error);
  const proxy = proxyFor(url);
  let kind: NetworkErrorKind = 'other';
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(code)) kind = 'dns';
  else if (/TIMEOUT/i.test(code) || /timeout/i.test(message)) kind = 'timeout';
  else if (/proxy/i.test(message)) kind = 'proxy';
  else if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/.test(code)) kind = 'connect';
  else if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code + message)) kind = 'tls';
  else if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/i.test(code + message)) kind = 'reset';
  // A generic code (UND_ERR_ABORTED) hides what a proxy answered ("Proxy response (407) !== 200…"): keep that.
  const detail = kind === 'proxy' || !code ? message : code;
  return new NetworkError(kind, url.host, proxy, detail);
}
