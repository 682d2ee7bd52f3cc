/**
 * Percent-decoding that never throws. decodeURIComponent() throws on a stray '%' or broken UTF-8, and a config
 * value or pasted token must never crash a diagnosis; git's url_decode() is lenient in the same way.
 */

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes %XX sequences as UTF-8 bytes; a '%' not followed by two hex digits is kept as is. */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Non-ASCII text stays text: re-encode it so the byte buffer is valid UTF-8 around decoded escapes.
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...new TextEncoder().encode(ch));
      i += ch.length - 1;
    }
  }
  return utf8.decode(new Uint8Array(bytes));
}

/** True when the string holds at least one well-formed %XX escape. */
export function hasPercentEscape(s: string): boolean {
  return /%[0-9A-Fa-f]{2}/.test(s);
}
