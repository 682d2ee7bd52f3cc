/**
 * `.netrc` / `_netrc` as curl reads it (git's HTTP transport goes through curl with CURL_NETRC_OPTIONAL):
 * whitespace-separated tokens across any line breaks, `#` starting a comment to the end of the line, double
 * quoted values with `\"`, `\\`, `\n`, `\r`, `\t` escapes, and `macdef` bodies (up to a blank line) skipped.
 * Keywords and machine names are matched ignoring case, as curl does (`MACHINE Bitbucket.org LOGIN …` is used).
 */

export interface NetrcEntry {
  /** 1-based line of the `machine`/`default` keyword. */
  line: number;
  /** Lower-cased (curl matches it ignoring case). */
  machine: string | 'default';
  login?: string;
  password?: string;
}

interface Token {
  text: string;
  line: number;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** Pulls tokens on demand, so the parser can tell it to skip a macdef body (which is not netrc syntax). */
class Scanner {
  private i = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  next(): Token | undefined {
    const { text } = this;
    while (this.i < text.length) {
      const ch = text[this.i]!;
      if (ch === '\n') {
        this.line++;
        this.i++;
      } else if (/\s/.test(ch)) this.i++;
      else if (ch === '#') while (this.i < text.length && text[this.i] !== '\n') this.i++;
      else if (ch === '"') return this.quoted();
      else {
        const start = this.i;
        while (this.i < text.length && !/\s/.test(text[this.i]!)) this.i++;
        return { text: text.slice(start, this.i), line: this.line };
      }
    }
    return undefined;
  }

  private quoted(): Token {
    const { text } = this;
    const line = this.line;
    let value = '';
    this.i++;
    while (this.i < text.length && text[this.i] !== '"') {
      const ch = text[this.i]!;
      if (ch === '\\' && this.i + 1 < text.length) {
        const next = text[this.i + 1]!;
        value += ESCAPES[next] ?? next;
        this.i += 2;
        continue;
      }
      if (ch === '\n') this.line++;
      value += ch;
      this.i++;
    }
    this.i++; // the closing quote
    return { text: value, line };
  }

  /** Skips the rest of the current line and every following line up to the next blank one. */
  skipMacroBody(): void {
    const { text } = this;
    while (this.i < text.length && text[this.i] !== '\n') this.i++;
    while (this.i < text.length) {
      this.i++; // past '\n'
      this.line++;
      const eol = text.indexOf('\n', this.i);
      const end = eol < 0 ? text.length : eol;
      const blank = text.slice(this.i, end).trim() === '';
      this.i = end;
      if (blank) return;
    }
  }
}

/** Parses a netrc file into machine/default entries; never throws. */
export function parseNetrc(text: string): NetrcEntry[] {
  const scanner = new Scanner(text.replace(/\r\n/g, '\n'));
  const entries: NetrcEntry[] = [];
  let current: NetrcEntry | undefined;
  for (let tok = scanner.next(); tok; tok = scanner.next()) {
    switch (tok.text.toLowerCase()) {
      case 'machine': {
        const name = scanner.next();
        if (!name) return entries;
        current = { line: tok.line, machine: name.text.toLowerCase() };
        entries.push(current);
        break;
      }
      case 'default':
        current = { line: tok.line, machine: 'default' };
        entries.push(current);
        break;
      case 'login':
      case 'password': {
        const value = scanner.next();
        if (value && current) current[tok.text.toLowerCase() as 'login' | 'password'] = value.text;
        break;
      }
      case 'macdef':
        scanner.next(); // the macro name
        scanner.skipMacroBody();
        current = undefined; // a macro ends the machine block
        break;
      case 'account':
      case 'port':
        scanner.next(); // a keyword with one argument we do not need
        break;
      default:
        break; // unknown words are skipped, as curl does
    }
  }
  return entries;
}

/**
 * The credential curl (7.88, as git 2.39 drives it) sends from `.netrc` for `host` after the first 401: the
 * entry for that login when the URL names a user, else the first entry for the host, else `default`; the
 * username is the URL's when it has one — even when the entry's login differs (observed against the emulator).
 */
export function netrcCredentialFor(
  entries: readonly NetrcEntry[],
  host: string,
  urlUsername: string | undefined,
): { entry: NetrcEntry; username: string | undefined } | undefined {
  const forHost = entries.filter((e) => e.machine === host.toLowerCase() && e.password);
  const entry =
    (urlUsername !== undefined ? forHost.find((e) => e.login === urlUsername) : undefined) ??
    forHost[0] ??
    entries.find((e) => e.machine === 'default' && e.password);
  return entry && { entry, username: urlUsername ?? entry.login };
}
