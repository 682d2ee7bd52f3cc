/**
 * The order in which a new token replaces the old ones, through real git and a real `store` helper that logs
 * every action git asks of it: the new token is stored before anything is erased, so an interruption at any
 * point leaves a credential in place (the old or the new), never an empty store. Afterwards only the new token
 * is left for the host, whatever usernames the old ones were stored under.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSecret } from '../../src/core/token/format.js';
import { storeToken } from '../../src/services/store-token.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox('bbauth-store-order-');
});
afterAll(() => sandbox.cleanup());

const ORIGIN = 'https://bitbucket.org';

function world(lines: string[]) {
  const home = join(sandbox.root, `home-${Math.random().toString(36).slice(2)}`);
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  const file = join(home, '.git-credentials');
  const log = join(home, 'actions.log');
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  // git-credential-store in disguise, writing down each action before doing it.
  writeFileSync(
    join(bin, 'git-credential-logged'),
    `#!/bin/sh\necho "$1" >> '${log}'\nexec git credential-store --file '${file}' "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(join(home, '.gitconfig'), `[credential "${ORIGIN}"]\n\thelper = logged\n`);
  const env: NodeJS.ProcessEnv = {
    ...sandbox.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    PATH: `${bin}${delimiter}${sandbox.env.PATH}`,
  };
  return { env, file, log, home };
}

/** bbauth's storeToken into the world's helper, as login and fix call it. */
const store = (w: { home: string; env: NodeJS.ProcessEnv }, secret: string) =>
  storeToken({
    cwd: w.home,
    env: w.env,
    endpoints: { bitbucketUrl: ORIGIN, apiUrl: 'https://api.bitbucket.org' },
    secret,
    kind: 'api-token',
  });

describe('storing a new token over old ones', () => {
  it('stores the new token before erasing anything, then no old secret is left for the host', async () => {
    const app = mintSecret('app-password');
    const stale = mintSecret('api-token');
    const fresh = mintSecret('api-token');
    const w = world([
      `https://alice:${app}@bitbucket.org`,
      `https://x-bitbucket-api-token-auth:${stale}@bitbucket.org`,
      // git cannot use an email as the username: that entry is erased, not given the new token.
      `https://alice%40example.com:${app}@bitbucket.org`,
      `https://bob:keep-me@github.com`,
    ]);
    await store(w, fresh);
    const actions = readFileSync(w.log, 'utf8').trim().split('\n');
    const firstStore = actions.indexOf('store');
    expect(firstStore).toBeGreaterThanOrEqual(0);
    expect(actions.slice(0, firstStore)).not.toContain('erase');
    expect(actions).toContain('erase');
    const left = decodeURIComponent(readFileSync(w.file, 'utf8'));
    expect(left).toContain(`x-bitbucket-api-token-auth:${fresh}@bitbucket.org`);
    // The retired app password's username gets the new token (a remote `alice@` keeps working).
    expect(left).toContain(`alice:${fresh}@bitbucket.org`);
    expect(left).not.toContain('alice@example.com');
    expect(left).not.toContain(app);
    expect(left).not.toContain(stale);
    // Other hosts are not bbauth's business.
    expect(left).toContain('bob:keep-me@github.com');
  });

  it('at every point of the run the store holds a Bitbucket credential', async () => {
    const app = mintSecret('app-password');
    const fresh = mintSecret('api-token');
    const w = world([`https://alice:${app}@bitbucket.org`]);
    // The helper also snapshots the file after each action, as an interruption there would leave it.
    const snapshots = join(w.home, 'snapshots');
    mkdirSync(snapshots);
    writeFileSync(
      join(w.home, 'bin', 'git-credential-logged'),
      `#!/bin/sh\necho "$1" >> '${w.log}'\ngit credential-store --file '${w.file}' "$@"\nrc=$?\ncp '${w.file}' '${snapshots}'/$(date +%s%N)\nexit $rc\n`,
      { mode: 0o755 },
    );
    await store(w, fresh);
    const states = readdirSync(snapshots)
      .sort()
      .map((f) => decodeURIComponent(readFileSync(join(snapshots, f), 'utf8')));
    expect(states.length).toBeGreaterThan(2);
    for (const s of states) expect(s).toMatch(/@bitbucket\.org/);
    expect(states.at(-1)).toContain(fresh);
  });
});
