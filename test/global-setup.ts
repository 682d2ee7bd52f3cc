/**
 * Builds dist/ once before integration and end-to-end tests run: they start the built binary (as a user would),
 * so a stale dist/ would test yesterday's code. Unit tests import src/ and do not wait for this.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export function setup(): void {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(
      `the build failed, so the built binary cannot be tested:\n${build.stdout}${build.stderr}`,
    );
  }
}
