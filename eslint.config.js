// @ts-check
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:http',
  'node:https',
  'node:net',
  'undici',
];
// Every folder under src/ other than these three is an adapter. Read from disk so a new adapter folder is
// bounded the day it appears, instead of when someone remembers to list it.
const layers = ['core', 'services', 'cli'];
const srcDir = new URL('./src/', import.meta.url);
const adapterDirs = readdirSync(srcDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !layers.includes(d.name))
  .map((d) => d.name)
  .sort();

// src/core has folders named like adapters (core/scan, core/helper), so "any path with /scan/ in it" would
// flag core's own imports. What leaves src/core is known by depth instead: a file d folders below src/core
// reaches src/<x>/ only through d + 1 "../" segments. One config block per depth that has files.
const coreDepths = new Set(
  readdirSync(new URL('core/', srcDir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(sep).length - 1),
);
const outsideCore = ['cli', 'services', ...adapterDirs];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Adapters and services never print and never exit; only src/cli does.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='exit']",
          message: 'Only src/cli/main.ts exits.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/**'], message: 'Dependencies point cli → services → core, never back.' },
          ],
        },
      ],
    },
  },
  // The pure core is handed loaded state: no I/O, and no reaching out to adapters, services or the CLI.
  // (Declared after the block above: for one rule, the later block wins.)
  ...[...coreDepths].map((depth) => ({
    files: [`src/core/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'src/core is pure: do I/O in an adapter or a service.',
          })),
          patterns: [
            {
              regex: `^(\\.\\./){${depth + 1}}(${outsideCore.join('|')})(/|$)`,
              message: 'src/core imports nothing with I/O: not adapters, services or the CLI.',
            },
          ],
        },
      ],
    },
  })),
  {
    // Adapters do not orchestrate: they never import services.
    files: adapterDirs.map((d) => `src/${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/cli/**', '**/services/**'],
              message: 'Adapters sit below services: cli → services → adapters/core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.{ts,mjs}', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
