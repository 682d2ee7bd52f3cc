// `npm run bench:differential`: doctor's prediction against real git on a larger seeded sample of the
// differential test's dimensions (places × credentials × usernames × URL forms × helper kinds) than CI runs.
// Prints the size and seed (rerun the same sample with them), the agreement rate and every disagreement; exits
// non-zero when any case disagrees. Drives the very test CI runs (test/e2e/predict-differential.test.ts, its
// sampled case only) through vitest with two environment variables, so the bench and the suite cannot drift;
// vitest's global setup builds dist/ first.
//
//   npm run bench:differential -- --size 300 --seed 42      (or BENCH_N=300 BENCH_SEED=42)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const print = (line) => process.stdout.write(`${line}\n`);

function flag(name) {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
}

function positiveInt(value, what) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`bench:differential: ${what} must be a whole number, got "${value}"\n`);
    process.exit(2);
  }
  return n;
}

const size = positiveInt(flag('size') ?? process.env.BENCH_N ?? 200, '--size (BENCH_N)');
// A new seed every run unless told: each run explores another part of the space, and prints how to repeat it.
const seed = positiveInt(
  flag('seed') ?? process.env.BENCH_SEED ?? Math.floor(Math.random() * 2 ** 31),
  '--seed (BENCH_SEED)',
);
print(`differential sample: size ${size}, seed ${seed} (repeat: --size ${size} --seed ${seed})`);

const root = fileURLToPath(new URL('../', import.meta.url));
// vitest's own launcher (the package exports no path to it; it is what node_modules/.bin/vitest runs).
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/e2e/predict-differential.test.ts', '-t', 'agrees on a sample'],
  {
    cwd: root,
    env: { ...process.env, BBAUTH_DIFFERENTIAL_SIZE: String(size), BBAUTH_DIFFERENTIAL_SEED: String(seed) },
    encoding: 'utf8',
    // About a third of a second per case on two cores; far more than that means something hangs.
    timeout: 120_000 + size * 5_000,
    maxBuffer: 64 * 1024 * 1024,
  },
);
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
const lines = output.split('\n').filter((l) => /cases agree|^\s+disagrees: /.test(l));
if (lines.length === 0) {
  print(output);
  print(
    run.error
      ? `bench:differential: vitest did not finish (${run.error.message})`
      : 'bench:differential: the sampled test printed no result (see vitest output above)',
  );
  process.exit(1);
}
for (const l of lines) print(l.replace(/^prediction vs real git, /, ''));
print(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(run.status ?? 1);
