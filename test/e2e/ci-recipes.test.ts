/**
 * Every recipe in docs/ci runs here: its shell steps (sh blocks, `run:`/`script:` of yaml blocks, `sh '''…'''` of
 * groovy blocks, crontab commands) execute with real git against the emulator, the token only in the environment
 * (or a file written from stdin). `https://bitbucket.org/` is redirected to the emulator with insteadOf, so the
 * recipes run as written. Asserted: the job succeeds, and no secret appears in its output, in any .git/config or
 * ~/.gitconfig, or in the argv of any process (`ps`, polled while the emulator slows every request down).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitAsync, withEmulator, type EmulatorWorld } from '../helpers/emulator.js';
import { binDir } from '../helpers/cli.js';

const DOCS = fileURLToPath(new URL('../../docs/ci/', import.meta.url));
let world: EmulatorWorld;
let n = 0;

const SKIP = /^npm (install|i) (-g|--global) bbauth\s*$/;

function dedent(lines: string[]): string {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function yamlSteps(body: string): string[] {
  const lines = body.split('\n');
  const steps: string[] = [];
  const indentOf = (l: string) => /^\s*/.exec(l)![0].length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const base = indentOf(line);
    const block: string[] = [];
    if (/^\s*(- )?run: \|\s*$/.test(line)) {
      while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || indentOf(lines[i + 1]!) > base))
        block.push(lines[++i]!);
      steps.push(dedent(block));
    } else if (/^\s*(- )?run: \S/.test(line)) {
      steps.push(line.replace(/^\s*(- )?run: /, ''));
    } else if (/^\s*(before_)?script:\s*$/.test(line)) {
      while (i + 1 < lines.length && /^\s*- /.test(lines[i + 1]!) && indentOf(lines[i + 1]!) >= base) {
        block.push(lines[++i]!.replace(/^\s*- /, ''));
      }
      steps.push(block.join('\n'));
    }
  }
  return steps;
}

/** The shell steps of a recipe, in document order. */
function recipeSteps(markdown: string): string[] {
  const steps: string[] = [];
  for (const m of markdown.matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```/gm)) {
    const [, lang, body] = m as unknown as [string, string, string];
    if (lang === 'sh') steps.push(body);
    else if (lang === 'yaml') steps.push(...yamlSteps(body));
    else if (lang === 'groovy')
      for (const s of body.matchAll(/sh '''([\s\S]*?)'''/g)) steps.push(dedent(s[1]!.split('\n')));
    else if (lang === 'crontab') {
      for (const line of body.split('\n')) {
        if (line.trim() && !/^\w+=/.test(line) && !line.startsWith('#'))
          steps.push(line.split(/\s+/).slice(5).join(' '));
      }
    }
  }
  return steps
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !SKIP.test(l.trim()))
        .join('\n'),
    )
    .filter((s) => s.trim());
}

beforeAll(async () => {
  world = await withEmulator();
});
afterAll(async () => world?.close());

interface Recipe {
  file: string;
  /** Emulator token ids bound to environment variables. */
  tokens?: Record<string, string>;
  vars?: Record<string, string>;
  /** Token id written to the job's stdin (the deploy server's `cat > file`). */
  stdin?: string;
  /** Jenkins checks the repository out itself before the steps run. */
  checkout?: { username: string; token: string };
  steps: number;
}

const RECIPES: Recipe[] = [
  {
    file: 'jenkins-git-plugin.md',
    tokens: { BITBUCKET_API_TOKEN: 'alice-rw' },
    vars: { BB_USER: 'x-bitbucket-api-token-auth', BUILD_NUMBER: '41' },
    checkout: { username: 'x-bitbucket-api-token-auth', token: 'alice-rw' },
    steps: 1,
  },
  {
    file: 'jenkins-bitbucket-branch-source.md',
    tokens: { BITBUCKET_API_TOKEN: 'alice-rw' },
    vars: { BB_EMAIL: 'alice@example.com', BUILD_NUMBER: '42' },
    checkout: { username: 'x-bitbucket-api-token-auth', token: 'alice-rw' },
    steps: 1,
  },
  {
    file: 'bitbucket-pipelines.md',
    tokens: { BITBUCKET_ACCESS_TOKEN: 'web-repo-write' },
    vars: { BITBUCKET_BUILD_NUMBER: '7' },
    steps: 1,
  },
  {
    file: 'github-actions.md',
    tokens: { BITBUCKET_API_TOKEN: 'alice-rw' },
    vars: { GITHUB_SHA: 'abc123' },
    steps: 1,
  },
  {
    file: 'gitlab-ci.md',
    tokens: { BITBUCKET_API_TOKEN: 'alice-rw' },
    vars: { CI_COMMIT_SHORT_SHA: 'abc123' },
    steps: 1,
  },
  { file: 'deploy-server.md', stdin: 'alice-read', steps: 3 },
];

/** Runs a shell step, polling `ps` meanwhile; resolves with its output and every argv line seen. */
function runStep(script: string, opts: { cwd: string; env: NodeJS.ProcessEnv; input: string }) {
  return new Promise<{ code: number; output: string; argv: string[] }>((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const argv: string[] = [];
    const poll = setInterval(() => {
      execFile('ps', ['-eo', 'args'], (_e, out) => argv.push(...String(out).split('\n')));
    }, 20);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? 128, output, argv });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input);
  });
}

function gitConfigs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'config' && dir.endsWith('.git')) out.push(p);
    else if (statSync(p).isDirectory() && !statSync(p).isSymbolicLink()) gitConfigs(p, out);
  }
  return out;
}

describe('docs/ci recipes, executed', () => {
  it('extracts the steps of each recipe', () => {
    for (const r of RECIPES) {
      const steps = recipeSteps(readFileSync(join(DOCS, r.file), 'utf8'));
      expect(steps, r.file).toHaveLength(r.steps);
      for (const s of steps) expect(s).not.toMatch(/ATATT|ATCTT|https:\/\/[^/\s]*:[^/\s]*@/);
    }
  });

  it.each(RECIPES)('$file', async (r) => {
    const root = join(world.sandbox.root, `job-${++n}`);
    const home = join(root, 'home');
    const job = join(root, 'workspace');
    mkdirSync(home, { recursive: true });
    mkdirSync(job, { recursive: true });
    const secrets = Object.values(r.tokens ?? {}).map((id) => world.secret(id));
    if (r.stdin) secrets.push(world.secret(r.stdin));
    if (r.checkout) secrets.push(world.secret(r.checkout.token));
    const env: NodeJS.ProcessEnv = {
      ...world.sandbox.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
      PATH: `${binDir(root)}:${world.sandbox.env.PATH}`,
      BBAUTH_BITBUCKET_URL: world.emulator.gitUrl,
      ...r.vars,
      ...Object.fromEntries(Object.entries(r.tokens ?? {}).map(([k, id]) => [k, world.secret(id)])),
    };
    writeFileSync(
      join(home, '.gitconfig'),
      `[init]\n\tdefaultBranch = main\n[url "${world.emulator.gitUrl}/"]\n\tinsteadOf = https://bitbucket.org/\n`,
    );
    let cwd = job;
    if (r.checkout) {
      // What the Jenkins plugins do before the steps: clone with the configured credential, then forget it.
      const store = join(root, 'jenkins-credential');
      const origin = new URL(world.emulator.gitUrl);
      writeFileSync(
        store,
        `${origin.protocol}//${r.checkout.username}:${world.secret(r.checkout.token)}@${origin.host}\n`,
        { mode: 0o600 },
      );
      const clone = await gitAsync(
        world.sandbox,
        [
          '-c',
          'credential.helper=',
          '-c',
          `credential.helper=store --file=${store}`,
          'clone',
          '-q',
          'https://bitbucket.org/acme/web.git',
          'ws',
        ],
        { cwd: job, env },
      );
      expect(clone.code, clone.stderr).toBe(0);
      writeFileSync(store, '');
      cwd = join(job, 'ws');
    }
    world.emulator.setFaults({ delayMs: 100 });
    const before = world.emulator.requests.length;
    const seen: string[] = [];
    try {
      for (const step of recipeSteps(readFileSync(join(DOCS, r.file), 'utf8'))) {
        const run = await runStep(step, { cwd, env, input: r.stdin ? `${world.secret(r.stdin)}\n` : '' });
        expect(run.code, `${step}\n${run.output}`).toBe(0);
        for (const s of secrets) {
          expect(run.output, 'secret in the job output').not.toContain(s.slice(0, 40));
          for (const line of run.argv) expect(line, 'secret in a process argv').not.toContain(s.slice(0, 40));
        }
        seen.push(...run.argv);
      }
    } finally {
      world.emulator.setFaults({});
    }
    // ps caught git's HTTP transport, the process that holds the credential, while it was talking.
    expect(seen.some((l) => /git-remote-https? /.test(l))).toBe(true);
    const served = world.emulator.requests
      .slice(before)
      .filter((q) => q.surface === 'git' && q.status === 200);
    expect(served.length, 'git talked to the emulator with a credential').toBeGreaterThan(0);
    expect(served.every((q) => q.tokenId !== undefined)).toBe(true);
    for (const file of [...gitConfigs(root), join(home, '.gitconfig')].filter(existsSync)) {
      const text = readFileSync(file, 'utf8');
      for (const s of secrets) expect(text, `secret in ${file}`).not.toContain(s.slice(0, 40));
    }
  });
});
