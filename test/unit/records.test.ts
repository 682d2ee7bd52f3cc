import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  digestOf,
  findRecord,
  readRecords,
  recordsPath,
  updateRecords,
  upsertRecord,
} from '../../src/store/records.js';
import { writeFileAtomic } from '../../src/store/atomic.js';
import { mintSecret } from '../../src/core/token/format.js';
import { fingerprint } from '../../src/core/redact.js';

const dirs: string[] = [];
function env() {
  const d = mkdtempSync(join(tmpdir(), 'bbauth-records-'));
  dirs.push(d);
  return { BBAUTH_CONFIG_DIR: join(d, 'cfg') };
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('records', () => {
  it('stores metadata with mode 0600 and never the secret', async () => {
    const e = env();
    const token = mintSecret('api-token');
    await updateRecords((f) => {
      upsertRecord(
        f,
        token,
        {
          fingerprint: fingerprint(token),
          kind: 'api-token',
          host: 'bitbucket.org',
          usernames: ['x-bitbucket-api-token-auth'],
          expires: '2027-01-01',
        },
        new Date('2026-11-01T00:00:00Z'),
      );
    }, e);
    const text = readFileSync(recordsPath(e), 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(12, 60));
    expect(statSync(recordsPath(e)).mode & 0o777).toBe(0o600);
    const file = await readRecords(e);
    expect(findRecord(file, token)).toMatchObject({
      kind: 'api-token',
      expires: '2027-01-01',
      digest: digestOf(token),
    });
  });

  it('merges usernames on a second upsert and keeps createdAt', async () => {
    const e = env();
    const token = mintSecret('api-token');
    const base = { fingerprint: fingerprint(token), kind: 'api-token' as const, host: 'bitbucket.org' };
    await updateRecords(
      (f) => void upsertRecord(f, token, { ...base, usernames: ['a'] }, new Date('2026-01-01T00:00:00Z')),
      e,
    );
    const file = await updateRecords(
      (f) => void upsertRecord(f, token, { ...base, usernames: ['b'] }, new Date('2026-02-01T00:00:00Z')),
      e,
    );
    expect(file.credentials).toHaveLength(1);
    expect(file.credentials[0]).toMatchObject({
      usernames: ['a', 'b'],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-02-01T00:00:00.000Z',
    });
  });

  it('reads an absent file as empty and a corrupt one as a clear error naming the file', async () => {
    const e = env();
    expect((await readRecords(e)).credentials).toEqual([]);
    mkdirSync(e.BBAUTH_CONFIG_DIR, { recursive: true });
    writeFileSync(recordsPath(e), '{not json');
    await expect(readRecords(e)).rejects.toThrow(recordsPath(e));
  });
});

describe('writeFileAtomic', () => {
  it('replaces content, keeps the existing mode, leaves no temp file', async () => {
    const d = mkdtempSync(join(tmpdir(), 'bbauth-atomic-'));
    dirs.push(d);
    const p = join(d, 'f');
    writeFileSync(p, 'old', { mode: 0o640 });
    await writeFileAtomic(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(d)).toEqual(['f']);
  });
});
