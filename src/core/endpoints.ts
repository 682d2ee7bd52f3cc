/**
 * Which hosts are "Bitbucket" for this run, and whether a secret may be sent to a URL. Pure: the CLI hands in
 * flags and environment.
 */
import { UsageError } from './errors.js';

export const DEFAULT_BITBUCKET_URL = 'https://bitbucket.org';
export const DEFAULT_API_URL = 'https://api.bitbucket.org';

export interface Endpoints {
  /** Origin git talks to, e.g. `https://bitbucket.org` (no trailing slash). */
  bitbucketUrl: string;
  /** Origin of the REST API; requests go to `<apiUrl>/2.0/…`. */
  apiUrl: string;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only places plain HTTP may carry a secret. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function parseOrigin(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} is not a valid URL: ${value}`, [
      `Pass a full URL such as ${DEFAULT_BITBUCKET_URL}.`,
    ]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${what} must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${what} must not contain credentials.`, [
      'Remove the user:password@ part from the URL.',
    ]);
  }
  // A host name is letters, digits, hyphens and dots (or an IP literal): anything else (`a;id;.example`) is not
  // a server, and would reach a shell through the helper command git runs.
  if (!HOST_NAME.test(url.hostname) && !/^\[[0-9a-f:.]+\]$/i.test(url.hostname)) {
    throw new UsageError(`${what} has an invalid host name: ${JSON.stringify(url.hostname)}`, [
      `Pass a full URL such as ${DEFAULT_BITBUCKET_URL}.`,
    ]);
  }
  ensureSafeTransport(url, what);
  return url.origin;
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Throws unless the URL is HTTPS, or plain HTTP to a loopback host (the emulator). */
export function ensureSafeTransport(url: URL, what = 'URL'): void {
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`${what} ${url.origin} uses plain HTTP; bbauth will not send a secret over it.`, [
      'Use https://, or run the emulator on 127.0.0.1 for local rehearsal.',
    ]);
  }
}

/** Resolves --bitbucket-url / --api-url (flags win over BBAUTH_BITBUCKET_URL / BBAUTH_API_URL). */
export function resolveEndpoints(
  flags: { bitbucketUrl?: string | undefined; apiUrl?: string | undefined },
  env: Record<string, string | undefined>,
): Endpoints {
  return {
    bitbucketUrl: parseOrigin(
      flags.bitbucketUrl || env.BBAUTH_BITBUCKET_URL || DEFAULT_BITBUCKET_URL,
      '--bitbucket-url',
    ),
    apiUrl: parseOrigin(flags.apiUrl || env.BBAUTH_API_URL || DEFAULT_API_URL, '--api-url'),
  };
}

/** `bitbucket.org` (with `:port` when not default) from `https://bitbucket.org`. */
export function hostOfOrigin(origin: string): string {
  return origin.replace(/^[a-z]+:\/\//i, '');
}
