/** Shell words for the commands bbauth prints and the values it writes for git to run through a shell. */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes a word for a POSIX shell only when it needs it. `<placeholder>` parts (what bbauth cannot know, for
 * the user to fill in) are left as they are, so printed advice stays readable.
 */
export function shellWord(word: string): string {
  const bare = word.replace(/<[a-z][a-z0-9-]*>/gi, 'x');
  return SAFE.test(bare) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
