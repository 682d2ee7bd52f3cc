/**
 * The import boundaries in eslint.config.js are the architecture's only guard: if a rule stops matching, core
 * quietly starts doing I/O and nobody notices. Each row lints a planted file (never written to disk) through
 * ESLint's own API with the project config, so weakening or mis-scoping a boundary fails here.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = new URL('../../src/', import.meta.url);

// Listed here independently of the config, so a config that lists adapters by hand (and misses one) fails.
const adapterDirs = readdirSync(srcDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['core', 'services', 'cli'].includes(d.name))
  .map((d) => d.name);

/** A real module in the adapter folder, as an import specifier would name it. */
const moduleIn = (dir: string): string => {
  const file = readdirSync(new URL(`${dir}/`, srcDir)).find((f) => f.endsWith('.ts'));
  if (!file) throw new Error(`src/${dir} has no .ts file`);
  return `${dir}/${file.replace(/\.ts$/, '.js')}`;
};

const eslint = new ESLint({ cwd: root });

/** Rule ids ESLint reports for `code` as if it were the file at `filePath` (relative to the project root). */
async function rulesHit(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  expect(result?.filePath, 'the planted file was linted, not ignored').toBe(`${root}${filePath}`);
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const importing = (specifier: string): string => `import * as m from '${specifier}';\nexport const n = m;\n`;

describe('eslint import boundaries', () => {
  it('finds the adapter folders it is meant to guard', () => {
    expect(adapterDirs).toEqual(expect.arrayContaining(['git', 'helper', 'scan', 'store']));
  });

  it.each(adapterDirs)('a file in src/core may not import src/%s', async (dir) => {
    expect(await rulesHit(importing(`../${moduleIn(dir)}`), 'src/core/planted-boundary.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it.each(adapterDirs)('a file one folder deep in src/core may not import src/%s', async (dir) => {
    expect(await rulesHit(importing(`../../${moduleIn(dir)}`), 'src/core/doctor/planted.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it.each(['../services/fix.js', '../cli/main.js'])('a file in src/core may not import %s', async (spec) => {
    expect(await rulesHit(importing(spec), 'src/core/planted-boundary.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it.each(['node:fs', 'node:fs/promises', 'node:child_process', 'undici'])(
    'a file in src/core may not import %s',
    async (spec) => {
      expect(await rulesHit(importing(spec), 'src/core/planted-boundary.ts')).toContain(
        'no-restricted-imports',
      );
    },
  );

  // core has its own scan/ and helper/ folders: importing them is core importing core.
  it.each([
    ['src/core/planted-boundary.ts', './parse/netrc.js'],
    ['src/core/planted-boundary.ts', './helper/expiry-time.js'],
    ['src/core/planted-boundary.ts', './scan/types.js'],
    ['src/core/doctor/planted.ts', '../scan/types.js'],
    ['src/core/doctor/planted.ts', '../helper/answer.js'],
    ['src/core/doctor/planted.ts', 'node:path'],
  ])('%s may import %s', async (file, spec) => {
    expect(await rulesHit(importing(spec), file)).toEqual([]);
  });

  it.each(adapterDirs)('a file in src/%s may not import services or the CLI', async (dir) => {
    expect(await rulesHit(importing('../services/x.js'), `src/${dir}/planted.ts`)).toContain(
      'no-restricted-imports',
    );
    expect(await rulesHit(importing('../cli/output.js'), `src/${dir}/planted.ts`)).toContain(
      'no-restricted-imports',
    );
  });

  it.each(adapterDirs)('a file in src/%s may import src/core', async (dir) => {
    expect(await rulesHit(importing('../core/errors.js'), `src/${dir}/planted.ts`)).toEqual([]);
  });

  const exiting = 'export function stop(): void {\n  process.exit(1);\n}\n';
  it.each([
    'src/services/planted.ts',
    'src/core/planted.ts',
    ...adapterDirs.map((d) => `src/${d}/planted.ts`),
  ])('%s may not call process.exit', async (file) => {
    expect(await rulesHit(exiting, file)).toContain('no-restricted-syntax');
  });

  it('src/cli may call process.exit', async () => {
    expect(await rulesHit(exiting, 'src/cli/planted.ts')).toEqual([]);
  });
});
