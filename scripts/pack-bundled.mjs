// Packs bbauth with its runtime dependencies inside the tarball (npm's bundleDependencies), for servers that
// cannot reach a registry: `npm install -g --offline bbauth-<version>-bundled.tgz` then needs no network.
// Usage: npm run build && node scripts/pack-bundled.mjs [OUT_DIR]   (prints the tarball's path)
// It copies what this checkout has installed (`npm ls --omit=dev`), so run it after `npm ci`.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? root);
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('pack-bundled: dist/ is missing; run `npm run build` first.\n');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Everything comes from this checkout: npm is told not to ask a registry (not even for its update notice).
const npmEnv = {
  ...process.env,
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};
const stage = mkdtempSync(join(tmpdir(), 'bbauth-pack-'));
try {
  for (const f of [...pkg.files, 'README.md', 'LICENSE']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  }
  // Every runtime package as installed here, nested ones where they are.
  const paths = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
    env: npmEnv,
  })
    .split('\n')
    .filter((p) => p.startsWith(join(root, 'node_modules')));
  for (const p of paths) cpSync(p, join(stage, relative(root, p)), { recursive: true, dereference: true });
  const staged = {
    ...pkg,
    // Nothing to build or run on install: dist/ is already built.
    scripts: {},
    devDependencies: undefined,
    bundleDependencies: Object.keys(pkg.dependencies ?? {}),
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  mkdirSync(out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent'], {
    cwd: stage,
    encoding: 'utf8',
    env: npmEnv,
  })
    .trim()
    .split('\n')
    .pop();
  const target = join(out, name.replace(/\.tgz$/, '-bundled.tgz'));
  renameSync(join(stage, name), target);
  process.stdout.write(`${target}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
