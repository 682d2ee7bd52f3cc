import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn real git and servers: one fork per core keeps them busy without oversubscribing.
    pool: 'forks',
    poolOptions: { forks: { maxForks: availableParallelism(), minForks: 1 } },
    projects: [
      // Pure and in-process: runs from src/ with no build (`npm run test:unit`).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Real git, servers and the built binary (every other test file): the build runs once, before any of them.
      {
        extends: true,
        test: {
          name: 'built',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
