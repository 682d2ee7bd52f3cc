/**
 * git's on-disk config format (git-config(1) "Syntax"), parsed without spawning git: scan reads thousands of
 * repositories and one git process each does not scale. Sections, `"subsection"` and legacy `[a.b]` headers,
 * quoted values with `\n \t \b \" \\` escapes, backslash-newline continuations, `#`/`;` comments, and bare
 * boolean keys. Includes are resolved by resolveConfigIncludes() with an injected loader, so this stays pure.
 */
import { normalizeKey, type ConfigEntry } from '../parse/git-config.js';

/** A config entry that also knows its 1-based line in its file. */
export interface FileConfigEntry extends ConfigEntry {
  line: number;
}

const ESC: Record<string, string> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };

/** Parses a section header; undefined for a malformed one (git would refuse the file, we skip the line). */
function parseHeader(text: string): { prefix: string } | undefined {
  const m = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]$/s.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  if (m[2] !== undefined) {
    const sub = m[2].replace(/\\(.)/g, '$1');
    return { prefix: `${name.toLowerCase()}.${sub}` };
  }
  // Legacy `[section.subsection]`: the subsection is lower-cased by git.
  return { prefix: name.toLowerCase() };
}

/** Reads a value starting at `src[i]`, following continuations; returns the value and the index after it. */
function readValue(src: string, start: number): { value: string; end: number; lines: number } {
  let out = '';
  let pending = ''; // whitespace kept only if more non-space text follows (git trims trailing space)
  let quoted = false;
  let lines = 0;
  let i = start;
  for (; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\n') break;
    if (ch === '\\') {
      // git writes out the white space it held back before looking at what the backslash starts, so a space
      // before a line continuation stays in the value.
      out += pending;
      pending = '';
      const next = src[i + 1];
      if (next === '\n' || (next === '\r' && src[i + 2] === '\n')) {
        i += next === '\r' ? 2 : 1;
        lines++;
        continue;
      }
      if (next !== undefined && ESC[next] !== undefined) {
        out += ESC[next];
        i++;
        continue;
      }
      out += ch;
      continue;
    }
    if (ch === '"') {
      quoted = !quoted;
      out += pending;
      pending = '';
      continue;
    }
    if (!quoted && (ch === '#' || ch === ';')) {
      while (i < src.length && src[i] !== '\n') i++;
      break;
    }
    if (!quoted && (ch === ' ' || ch === '\t' || ch === '\r')) {
      // Each unquoted white-space character inside a value becomes one space (git 2.39's parse_value).
      if (out !== '') pending += ' ';
      continue;
    }
    out += pending + ch;
    pending = '';
  }
  return { value: out, end: i, lines };
}

/** Parses one config file's text. `path` becomes the entries' origin (`file:<path>`). Never throws. */
export function parseGitConfigFile(text: string, path: string, scope?: string): FileConfigEntry[] {
  const entries: FileConfigEntry[] = [];
  const origin = `file:${path}`;
  let section: string | undefined;
  let line = 1;
  let i = 0;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  while (i < src.length) {
    // Skip whitespace at the start of a line.
    while (i < src.length && (src[i] === ' ' || src[i] === '\t' || src[i] === '\r')) i++;
    const ch = src[i];
    if (ch === undefined) break;
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === '#' || ch === ';') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (ch === '[') {
      const eol = src.indexOf('\n', i);
      const lineText = src.slice(i, eol < 0 ? src.length : eol);
      const head = /^\[\s*[A-Za-z0-9.-]+(?:\s+"(?:[^"\\]|\\.)*")?\s*\]/.exec(lineText);
      section = head ? parseHeader(head[0])?.prefix : undefined;
      // `[section] key = value` on the same line is legal.
      const rest = head ? lineText.slice(head[0].length).trim() : '';
      if (head && rest !== '' && !rest.startsWith('#') && !rest.startsWith(';')) i += head[0].length;
      else i = eol < 0 ? src.length : eol;
      continue;
    }
    const m = /^[A-Za-z][A-Za-z0-9-]*/.exec(src.slice(i, i + 256));
    if (!m || section === undefined) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const name = m[0];
    const keyLine = line;
    i += name.length;
    while (src[i] === ' ' || src[i] === '\t') i++;
    let value: string | undefined;
    if (src[i] === '=') {
      const v = readValue(src, i + 1);
      value = v.value;
      line += v.lines;
      i = v.end;
    } else {
      while (i < src.length && src[i] !== '\n') i++;
    }
    const entry: FileConfigEntry = {
      key: normalizeKey(`${section}.${name}`),
      value,
      origin,
      line: keyLine,
    };
    if (scope !== undefined) entry.scope = scope;
    entries.push(entry);
  }
  return entries;
}
