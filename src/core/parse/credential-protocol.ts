/**
 * git's credential protocol (gitcredentials(7) "CUSTOM HELPERS", git-credential(1) "INPUT/OUTPUT FORMAT"):
 * `key=value` lines up to a blank line or EOF; `key[]=value` lines build a list, and an empty `key[]=` clears
 * it; `url=` stands for the fields parsed out of it. Values cannot carry a newline or NUL, so the formatter
 * refuses them rather than let a crafted value inject a second field (git itself dies on a newline too).
 */
import { credentialFromUrl } from './credential-url.js';

export interface CredentialMessage {
  protocol?: string;
  host?: string;
  path?: string;
  username?: string;
  password?: string;
  password_expiry_utc?: string;
  url?: string;
  capability?: string[];
  [key: string]: string | string[] | undefined;
}

const URL_FIELDS = ['protocol', 'host', 'path', 'username', 'password'] as const;

/** Parses what git sends a helper (or a helper sends back); junk lines without '=' are ignored. */
export function parseCredentialMessage(text: string): CredentialMessage {
  const msg: CredentialMessage = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') break;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      if (name === '') continue;
      const prev = msg[name];
      if (value === '') msg[name] = [];
      else msg[name] = Array.isArray(prev) ? [...prev, value] : [value];
    } else if (key === 'url') {
      // git replaces every URL-borne field with what the URL holds (credential_from_url clears first).
      msg.url = value;
      for (const f of URL_FIELDS) delete msg[f];
      const parsed = credentialFromUrl(value);
      if (parsed) for (const f of URL_FIELDS) if (parsed[f] !== undefined) msg[f] = parsed[f];
    } else {
      msg[key] = value;
    }
  }
  return msg;
}

// git sends capabilities first so a helper can tell what the rest may contain; then the usual field order.
const ORDER = ['capability', 'protocol', 'host', 'path', 'username', 'password', 'password_expiry_utc'];

function checkValue(key: string, value: string): void {
  if (/[\n\r\0]/.test(value)) {
    // The message names the key only: the value may be a secret.
    throw new Error(`credential field "${key}" contains a newline or NUL and cannot be sent`);
  }
}

/** Formats a message as `key=value` lines (lists as `key[]=v`), ending in a newline; throws on bad values. */
export function formatCredentialMessage(msg: CredentialMessage): string {
  const keys = [
    ...ORDER.filter((k) => msg[k] !== undefined),
    ...Object.keys(msg).filter((k) => !ORDER.includes(k) && msg[k] !== undefined),
  ];
  let out = '';
  for (const key of keys) {
    if (key === '' || /[=\n\r\0]/.test(key) || key.endsWith('[]')) {
      throw new Error(`invalid credential field name "${key.replace(/[\n\r\0]/g, '?')}"`);
    }
    const value = msg[key]!;
    for (const v of Array.isArray(value) ? value : [value]) {
      checkValue(key, v);
      out += Array.isArray(value) ? `${key}[]=${v}\n` : `${key}=${v}\n`;
    }
  }
  return out;
}
