/** Pure text edits for the plain-text credential files fix cleans: one entry out, everything else byte-for-byte. */

/** Removes line `line` (1-based) from a credential-store file. */
export function removeStoreLine(text: string, line: number): string {
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) return text;
  lines.splice(line - 1, 1);
  return lines.join('\n');
}

const KEYWORD = /(^|\s)(machine|default|macdef)(?=\s|$)/g;

/**
 * Removes the .netrc entry whose `machine` keyword is on line `line` (1-based): from that keyword to just
 * before the next `machine`, `default` or `macdef` keyword (or the end of the file).
 */
export function removeNetrcEntry(text: string, line: number): string {
  const lineStart = text
    .split('\n')
    .slice(0, line - 1)
    .reduce((n, l) => n + l.length + 1, 0);
  // Start one character early so the newline before the keyword satisfies the leading-whitespace group.
  KEYWORD.lastIndex = Math.max(0, lineStart - 1);
  const first = KEYWORD.exec(text);
  if (!first || first[2] !== 'machine') return text;
  const start = first.index + first[1]!.length;
  const next = KEYWORD.exec(text);
  const end = next ? next.index + next[1]!.length : text.length;
  const head = text.slice(0, start);
  const tail = text.slice(end);
  // Drop the blank line the entry leaves behind when it stood on lines of its own.
  return (head.endsWith('\n') || head === '') && tail.startsWith('\n') ? head + tail.slice(1) : head + tail;
}

/**
 * Composer's auth.json with `http-basic.<host>` set to `{username, password}`, everything else kept. The file is
 * rewritten in the indentation it uses (Composer writes four spaces); undefined when it is not a JSON object,
 * which fix then leaves to the user.
 */
export function setComposerHttpBasic(
  text: string,
  host: string,
  username: string,
  password: string,
): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const root = doc as Record<string, unknown>;
  const basic = root['http-basic'];
  const entries =
    basic !== null && typeof basic === 'object' && !Array.isArray(basic)
      ? (basic as Record<string, unknown>)
      : {};
  const old = entries[host];
  const kept = old !== null && typeof old === 'object' && !Array.isArray(old) ? old : {};
  root['http-basic'] = { ...entries, [host]: { ...kept, username, password } };
  const indent = /^\{\s*\n([ \t]+)"/.exec(text)?.[1] ?? '    ';
  return JSON.stringify(root, null, indent) + (text.endsWith('\n') ? '\n' : '');
}
