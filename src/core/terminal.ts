/**
 * Text from outside (server answers, file names, URL usernames, config values) reaches the terminal through
 * bbauth's output. A control character in it could clear the screen, set the clipboard (OSC 52), plant a link
 * (OSC 8) or rewrite a line (CR): every one is shown as a visible `\u00XX` escape instead. bbauth's own colour
 * codes (SGR: ESC [ digits m) and line breaks and tabs pass. The escape is valid inside a JSON string too, so the
 * same pass keeps JSON output both valid and inert (JSON.stringify leaves DEL and the C1 controls raw).
 */

// C0 controls but tab and newline, DEL, and C1; an SGR sequence is matched first and kept.
const CONTROL = /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** The text with every control character but tab, newline and SGR colour codes made visible. */
export function neutralizeControls(text: string): string {
  return text.replace(CONTROL, (m) =>
    m.length > 1 ? m : `\\u${m.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
