/**
 * Secrets are radioactive: this is the one place that turns them into something printable. Every renderer
 * (human, JSON, SARIF, error text, logs) passes its final text through redactText(), so a secret that slipped
 * into a message by mistake is still masked; canary tests prove it.
 */

const KNOWN_PREFIX = /^(ATATT|ATCTT|ATBB|BBDC-)/;

/** A recognisable but non-reversible label for a secret: `ATATT3…A1B2 (192 chars)`. */
export function fingerprint(secret: string): string {
  const n = secret.length;
  if (KNOWN_PREFIX.test(secret) && n >= 24) return `${secret.slice(0, 6)}…${secret.slice(-4)} (${n} chars)`;
  // Short or unknown secrets (passwords, OAuth tokens): revealing even a few characters would weaken them.
  return `•••• (${n} chars)`;
}

// Token shapes, whether or not their checksum is right (a truncated token is still a secret), also when
// percent-encoded inside a URL (`=` as %3D).
const TOKEN_CHAR = String.raw`(?:[A-Za-z0-9_\-=+/]|%[0-9A-Fa-f]{2})`;
const TOKEN_SHAPES = [
  new RegExp(String.raw`AT(?:ATT|CTT)${TOKEN_CHAR}{16,}`, 'g'),
  /ATBB[A-Za-z0-9]{16,}/g,
  /BBDC-[A-Za-z0-9+/@_-]{16,}/g,
];
// `scheme://user:password@` — keep the user, hide the password.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):([^@\s/]+)@/gi;
const AUTH_HEADER = /(authorization:\s*(?:basic|bearer|token)\s+)[^\s"']+/gi;
const PROTOCOL_PASSWORD = /^(password=).+$/gim;

function decodeOrSelf(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Masks every known secret, every token-shaped string, URL passwords and Authorization header values. */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  // Known secrets first, every whole occurrence: a pattern run before them could mask a piece of one (a URL
  // password pattern stops at the first '@' of `https://u:p@ss@host`) and leave the rest for this pass to miss.
  let out = text;
  const sorted = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of sorted) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join(fingerprint(secret));
    }
  }
  // URL passwords next, whole: a later pattern that masks only part of an encoded password would leave the
  // rest (and break this pattern's match).
  out = out.replace(
    URL_PASSWORD,
    (_m, head: string, pw: string) => `${head}:${fingerprint(decodeOrSelf(pw))}@`,
  );
  out = out.replace(AUTH_HEADER, '$1***');
  out = out.replace(PROTOCOL_PASSWORD, '$1***');
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (m) => fingerprint(decodeOrSelf(m)));
  return out;
}

/** A URL fit to print: the password masked; a token used as the username masked too. */
export function maskUrl(url: string): string {
  return redactText(url);
}
