import { defineCommand } from 'citty';
import { UsageError } from '../../core/errors.js';
import { fingerprint } from '../../core/redact.js';
import { startEmulator, type Emulator } from '../../emulator/server.js';
import { demoState, loadState, type EmulatorToken } from '../../emulator/state.js';
import { globalArgs, readGlobalOptions } from '../args.js';
import { printInfo } from '../output.js';

function parsePort(value: string | undefined, flag: string): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${value}"`);
  }
  return n;
}

function describeToken(t: EmulatorToken, showSecret: boolean) {
  return {
    id: t.id,
    kind: t.kind,
    account: t.account,
    scopes: t.scopes ?? [],
    resource: t.resource,
    expires: t.expires,
    revoked: t.revoked ?? false,
    token: showSecret ? t.secret : fingerprint(t.secret),
  };
}

function renderHuman(em: Emulator, tokens: ReturnType<typeof describeToken>[], demo: boolean): string {
  const { port } = new URL(em.gitUrl);
  const first = em.state.repositories[0];
  const repo = first ? `${first.workspace}/${first.slug}` : 'acme/web';
  const lines = [
    `git base URL  ${em.gitUrl}          (clone: ${em.gitUrl}/${repo}.git)`,
    `API URL       ${em.apiUrl}          (REST: ${em.apiUrl}/2.0/user)`,
    '',
    demo ? 'Demo tokens (synthetic, valid only against this emulator):' : 'Tokens in the state file:',
  ];
  for (const t of tokens) {
    const r = t.resource;
    const where = r && `${r.type} ${[r.workspace, r.repo ?? r.project].filter(Boolean).join('/')}`;
    const what = [t.kind, t.account && `account ${t.account}`, where].filter(Boolean).join(', ');
    const flags = [t.revoked && 'revoked', t.expires && `expires ${t.expires}`].filter(Boolean).join(', ');
    lines.push(`  ${t.id}  (${what})${flags ? ` [${flags}]` : ''}`);
    const none = t.kind === 'app-password' ? '(all of the account)' : '(none: unscoped)';
    lines.push(`    scopes: ${t.scopes.length ? t.scopes.join(' ') : none}`);
    lines.push(`    token:  ${t.token}`);
  }
  lines.push(
    '',
    `Try it (git asks for the password: paste ${demo ? 'the alice-rw token' : 'an API token from your state file'}):`,
    `  git clone http://x-bitbucket-api-token-auth@127.0.0.1:${port}/${repo}.git`,
    `  BBAUTH_BITBUCKET_URL=${em.gitUrl} BBAUTH_API_URL=${em.apiUrl} bbauth …`,
    '',
  );
  return lines.join('\n');
}

/** `bbauth emulator`: runs the local Bitbucket Cloud emulator until SIGINT/SIGTERM. */
export const emulatorCommand = defineCommand({
  meta: { name: 'emulator', description: 'Start a local Bitbucket Cloud authentication emulator' },
  args: {
    ...globalArgs,
    state: {
      type: 'string',
      valueHint: 'FILE',
      description: 'State file (accounts, tokens, repos); default: demo',
    },
    port: { type: 'string', valueHint: 'N', description: 'Port for git smart HTTP (default: a free port)' },
    'api-port': {
      type: 'string',
      valueHint: 'N',
      description: 'Port for the REST API (default: a free port)',
    },
  },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    const port = parsePort(args.port, '--port');
    const apiPort = parsePort(args['api-port'], '--api-port');
    const demo = !args.state;
    const state = args.state ? await loadState(args.state) : demoState();
    const em = await startEmulator({ state, port, apiPort });
    // Demo secrets are printed in full on purpose: they are synthetic, only work against this emulator, and
    // rehearsing needs them. printResult() would mask them, hence process.stdout. A user's own state file
    // already holds its secrets, so those are shown as fingerprints only.
    const tokens = state.tokens.map((t) => describeToken(t, demo));
    if (opts.json) {
      const out = { schemaVersion: 1, gitUrl: em.gitUrl, apiUrl: em.apiUrl, dataDir: em.dataDir, tokens };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      process.stdout.write(renderHuman(em, tokens, demo));
    }
    printInfo('Emulator running on 127.0.0.1. Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await em.close();
    printInfo('Emulator stopped.');
    return 0;
  },
});
