import { describe, expect, it } from 'vitest';
import { neutralizeControls } from '../../src/core/terminal.js';

describe('neutralizeControls', () => {
  it.each([
    ['OSC 52 clipboard write', 'user\x1b]52;c;aGk=\x07@host', 'user\\u001b]52;c;aGk=\\u0007@host'],
    [
      'OSC 8 link',
      '\x1b]8;;https://evil\x1b\\x\x1b]8;;\x1b\\',
      '\\u001b]8;;https://evil\\u001b\\x\\u001b]8;;\\u001b\\',
    ],
    ['screen clear', 'a\x1b[2Jb', 'a\\u001b[2Jb'],
    ['carriage return', 'ok\rfake', 'ok\\u000dfake'],
    ['DEL and C1 CSI', 'a\x7fb\x9bc', 'a\\u007fb\\u009bc'],
    ['NUL and backspace', 'a\x00b\x08', 'a\\u0000b\\u0008'],
  ])('%s is made visible', (_name, input, out) => {
    expect(neutralizeControls(input)).toBe(out);
  });
  it('keeps newlines, tabs, colour codes and non-ASCII text', () => {
    const text = '\x1b[1mFix plan\x1b[22m\n\t✔ ok — Müller\x1b[31;1mred\x1b[0m';
    expect(neutralizeControls(text)).toBe(text);
  });
  it('keeps JSON valid: what JSON.stringify leaves raw becomes a JSON escape', () => {
    const json = JSON.stringify({ body: 'x\x7f\x9b\x1b' });
    expect(JSON.parse(neutralizeControls(json))).toEqual({ body: 'x\x7f\x9b\x1b' });
  });
});
