/**
 * scan reads config files without git (one process per repository does not scale), so its reader must agree
 * with git's own. Each generated file (sections, subsections, quotes, escapes, continuations, comments, CRLF,
 * and junk) goes through parseGitConfigFile and through real `git config --file F --list -z`; wherever git
 * accepts the file, the keys and values must be the same, in the same order. The cases come from a fixed seed.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigList } from '../../src/core/parse/git-config.js';
import { parseGitConfigFile } from '../../src/core/scan/git-config-file.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { fc, FUZZ_SEED } from '../helpers/fuzz.js';

const CASES = Number(process.env.BBAUTH_CONFIG_DIFF_CASES ?? 2000);

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox('bbauth-config-diff-');
});
afterAll(() => sandbox.cleanup());

const pick = (xs: readonly string[]) => fc.constantFrom(...xs);
const name = fc.string({ unit: pick([...'abcXYZ09-']), minLength: 1, maxLength: 6 });
const header = fc.oneof(
  name.map((n) => `[${n}]`),
  fc
    .tuple(name, fc.string({ unit: pick([...'aB .:/\\"#;=', 'é']), maxLength: 8 }))
    .map(([n, sub]) => `[${n} "${sub.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`),
  fc.tuple(name, name).map(([a, b]) => `[${a}.${b}]`),
  fc.tuple(name, name).map(([a, b]) => `[ ${a} "${b}" ]`),
);
const valuePiece = pick([
  'a',
  'B',
  '1',
  ' ',
  '\t',
  '"',
  '\\"',
  '\\\\',
  '\\n',
  '\\t',
  '\\b',
  '#',
  ';',
  '=',
  '\\\n',
  'é',
  'x y',
]);
const keyLine = fc
  .tuple(
    fc
      .tuple(pick([...'abXY']), fc.string({ unit: pick([...'abXY09-']), maxLength: 5 }))
      .map(([a, b]) => a + b),
    fc.oneof(
      fc.constant(undefined),
      fc.array(valuePiece, { maxLength: 8 }).map((p) => p.join('')),
    ),
    pick(['', ' ', '\t']),
  )
  .map(([k, v, pad]) => (v === undefined ? `${pad}${k}` : `${pad}${k}${pad}=${pad}${v}`));
const line = fc.oneof(
  { weight: 5, arbitrary: keyLine },
  { weight: 2, arbitrary: header },
  { weight: 1, arbitrary: pick(['', '# comment', '; comment', '  ', '[a] b = c', '\uFEFF']) },
  { weight: 1, arbitrary: fc.string({ unit: pick([...'[]"=\\ a#']), maxLength: 6 }) },
);
const configText = fc
  .tuple(header, fc.array(line, { maxLength: 10 }), pick(['\n', '\r\n']))
  .map(([h, lines, eol]) => [h, ...lines].join(eol) + eol);

function gitList(file: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['config', '--file', file, '--list', '-z'], {
      env: sandbox.env,
      timeout: 10_000,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject).on('close', (code) => resolve({ code, stdout }));
  });
}

describe('parseGitConfigFile against real git (differential)', () => {
  it(`agrees with git config --list on every file git accepts (${CASES} generated files)`, async () => {
    const texts = fc.sample(configText, { numRuns: CASES, seed: FUZZ_SEED });
    let accepted = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < texts.length; i += 16) {
      await Promise.all(
        texts.slice(i, i + 16).map(async (text, j) => {
          const file = join(sandbox.root, `c${i + j}`);
          writeFileSync(file, text);
          const git = await gitList(file);
          if (git.code !== 0) return;
          accepted++;
          const theirs = parseConfigList(git.stdout).map((e) => [e.key, e.value]);
          const ours = parseGitConfigFile(text, file).map((e) => [e.key, e.value]);
          if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
            disagreements.push(JSON.stringify({ text, git: theirs, bbauth: ours }));
          }
        }),
      );
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    // The generator must produce mostly files git accepts, or the comparison proves little.
    expect(accepted).toBeGreaterThan(CASES / 4);
  }, 180_000);
});
