import { describe, expect, it } from 'vitest';
import { classifySecret } from '../../src/core/credential/secret-class.js';
import { judgeSecret, type SentAs } from '../../src/core/credential/verdict.js';
import { mintSecret } from '../../src/core/token/format.js';

const api = mintSecret('api-token');
const access = mintSecret('access-token');
const app = mintSecret('app-password');
const flip = (s: string) => s.slice(0, 30) + (s[30] === 'a' ? 'b' : 'a') + s.slice(31);

describe('judgeSecret: one answer to dead / worth a request / usable', () => {
  it.each<
    [string, string, SentAs, { dead: boolean; worthProbing: boolean; usable: boolean; unusable?: string }]
  >([
    ['a clean API token', api, {}, { dead: false, worthProbing: true, usable: true }],
    ['a clean access token', access, {}, { dead: false, worthProbing: true, usable: true }],
    [
      'an app password: dead, but its 410 is worth seeing',
      app,
      {},
      { dead: true, worthProbing: true, usable: false, unusable: 'app-password' },
    ],
    [
      'a truncated API token',
      api.slice(0, 150),
      {},
      { dead: true, worthProbing: false, usable: false, unusable: 'checksum' },
    ],
    [
      'an API token with one character changed',
      flip(api),
      {},
      { dead: true, worthProbing: false, usable: false, unusable: 'checksum' },
    ],
    [
      'an API token with a trailing newline',
      `${api}\n`,
      {},
      { dead: true, worthProbing: false, usable: false, unusable: 'damaged' },
    ],
    [
      'a quoted access token',
      `"${access}"`,
      {},
      { dead: true, worthProbing: false, usable: false, unusable: 'damaged' },
    ],
    [
      'a legacy 20-character secret',
      'aB3dE5gH7jK9mN1pQ3sT',
      {},
      { dead: true, worthProbing: true, usable: false, unusable: 'legacy-secret' },
    ],
    [
      'a Data Center token',
      `BBDC-${'A1b2C3d4E5'.repeat(4)}x`,
      {},
      { dead: true, worthProbing: false, usable: false, unusable: 'datacenter-token' },
    ],
    [
      'an account password: only the server can tell',
      'correct horse battery staple',
      {},
      { dead: false, worthProbing: true, usable: false, unusable: 'not-a-token' },
    ],
    [
      'an API token in a Bearer extra header: settled offline',
      api,
      { source: 'extraheader', scheme: 'bearer' },
      { dead: false, worthProbing: false, usable: true },
    ],
    [
      'an API token in a Basic extra header',
      api,
      { source: 'extraheader', scheme: 'basic' },
      { dead: false, worthProbing: true, usable: true },
    ],
    [
      'an access token in a Bearer extra header is worth a request',
      access,
      { source: 'extraheader', scheme: 'bearer' },
      { dead: false, worthProbing: true, usable: true },
    ],
  ])('%s', (_label, raw, sent, expected) => {
    const v = judgeSecret(classifySecret(raw), sent);
    expect({
      dead: v.dead,
      worthProbing: v.worthProbing,
      usable: v.usable,
      ...(v.unusable ? { unusable: v.unusable } : {}),
    }).toEqual(expected);
  });

  it('offers the checksum-proven token inside a damaged paste, naming the damage', () => {
    expect(judgeSecret(classifySecret(`  ${api}\n`)).repair).toEqual({
      value: api,
      damage: ['newline', 'whitespace'],
    });
    expect(judgeSecret(classifySecret(api.replace('=', '%3D'))).repair).toEqual({
      value: api,
      damage: ['percent-encoded'],
    });
    expect(judgeSecret(classifySecret(api)).repair).toBeUndefined();
    expect(judgeSecret(classifySecret(api.slice(0, 150))).repair).toBeUndefined();
  });
});
