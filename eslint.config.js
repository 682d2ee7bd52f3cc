// @ts-check
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
const adapterDirs = ['git', 'net', 'sources', 'bitbucket', 'emulator', 'store'];

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
  {
    // The pure core is handed loaded state: no I/O, and no reaching out to adapters, services or the CLI.
    // (Declared after the block above: for one rule, the later block wins.)
    files: ['src/core/**/*.ts'],
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
              group: ['**/cli/**', '**/services/**', ...adapterDirs.map((d) => `**/${d}/**`)],
              message: 'src/core imports nothing with I/O.',
            },
          ],
        },
      ],
    },
  },
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
