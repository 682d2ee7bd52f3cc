/**
 * git runs git-credential-bbauth once per fetch and push, so a fleet's cron jobs or a parallel CI step report
 * to the records file at the same moment. Twenty helper processes each reporting a different token's success
 * (`store`) at once must leave twenty updated records: none lost to another's read-modify-write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/redact.js';
import { mintSecret } from '../../src/core/token/format.js';
import { digestOf, updateRecords, upsertRecord, type RecordsFile } from '../../src/store/records.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { spawnCollect } from '../helpers/spawn.js';

const HELPER = fileURLToPath(new URL('../../dist/cli/git-credential-bbauth.js', import.meta.url));
const ORIGIN = 'http://127.0.0.1:9';
const N = 20;

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox('bbauth-records-');
});
afterAll(() => sandbox.cleanup());

describe('records under concurrent helper runs', () => {
  it(`${N} helpers reporting at once: all ${N} updates kept, the file intact`, async () => {
    const env = { ...sandbox.env, BBAUTH_CONFIG_DIR: join(sandbox.root, 'cfg') };
    const tokens = Array.from({ length: N }, () => mintSecret('api-token'));
    await updateRecords((f) => {
      for (const t of tokens)
        upsertRecord(
          f,
          t,
          { fingerprint: fingerprint(t), kind: 'api-token', host: '127.0.0.1:9' },
          new Date(),
        );
    }, env);
    const runs = await Promise.all(
      tokens.map((t) =>
        spawnCollect(process.execPath, [HELPER, '--bitbucket-url', ORIGIN, 'store'], {
          cwd: sandbox.home,
          env,
          input: `protocol=http\nhost=127.0.0.1:9\nusername=x-bitbucket-api-token-auth\npassword=${t}\n\n`,
          timeoutMs: 30_000,
        }),
      ),
    );
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
    }
    const file = JSON.parse(readFileSync(join(env.BBAUTH_CONFIG_DIR, 'records.json'), 'utf8')) as RecordsFile;
    expect(file.credentials).toHaveLength(N);
    const worked = tokens.filter((t) => file.credentials.find((c) => c.digest === digestOf(t))?.lastWorked);
    expect(worked).toHaveLength(N);
  });
});
