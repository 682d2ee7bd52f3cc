/** rotate's pure parts: which found token is the old one, and the edit that replaces it in a file's text. */
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/redact.js';
import { chooseOld, replaceSecret, type FoundSecret } from '../../src/core/rotate.js';
import { mintSecret } from '../../src/core/token/format.js';

const api = () => mintSecret('api-token');
const found = (secret: string, kind: FoundSecret['kind'] = 'api-token'): FoundSecret => ({
  secret,
  kind,
  places: ['/home/a/.git-credentials:1'],
});

describe('chooseOld', () => {
  it('without --old: the only other token of the new one kind, never the new one itself', () => {
    const [old, next] = [api(), api()];
    const pick = chooseOld(
      [found(old), found(next), found(mintSecret('app-password'), 'app-password')],
      next,
      'api-token',
    );
    expect(pick).toEqual({ ok: true, old: found(old) });
  });

  it('two candidates: asks for --old, naming both by fingerprint', () => {
    const [a, b, next] = [api(), api(), api()];
    const pick = chooseOld([found(a), found(b)], next, 'api-token');
    expect(pick.ok).toBe(false);
    if (pick.ok) return;
    expect(pick.nextSteps.join('\n')).toContain(fingerprint(a));
    expect(pick.nextSteps.join('\n')).toContain('--old');
  });

  it('--old by the fingerprint as printed, with or without its length, "..." for "…"', () => {
    const [a, b, next] = [api(), api(), api()];
    const fp = fingerprint(b);
    for (const given of [fp, fp.split(' ')[0]!, fp.split(' ')[0]!.replace('…', '...')])
      expect(chooseOld([found(a), found(b)], next, 'api-token', given)).toEqual({ ok: true, old: found(b) });
    expect(chooseOld([found(a)], next, 'api-token', 'ATATT3…XXXX').ok).toBe(false);
  });

  it('--old may name another kind (an app password replaced by an API token)', () => {
    const app = mintSecret('app-password');
    const next = api();
    expect(chooseOld([found(app, 'app-password')], next, 'api-token', fingerprint(app))).toEqual({
      ok: true,
      old: found(app, 'app-password'),
    });
    expect(chooseOld([found(app, 'app-password')], next, 'api-token').ok).toBe(false);
  });
});

describe('replaceSecret', () => {
  it('replaces each form in its own form: as is, and percent-encoded in either case', () => {
    const old = 'ATATT3xFfGF0abc=DEF12345';
    const next = 'ATATT3xFfGF0xyz=ABC67890';
    const text = `a ${old}\nhttps://u:${encodeURIComponent(old)}@h\nhttps://u:${encodeURIComponent(old).replace('%3D', '%3d')}@h\n`;
    const { text: out, count } = replaceSecret(text, old, next);
    expect(count).toBe(3);
    expect(out).toBe(
      `a ${next}\nhttps://u:${encodeURIComponent(next)}@h\nhttps://u:${encodeURIComponent(next).replace('%3D', '%3d')}@h\n`,
    );
  });

  it('leaves text without the secret alone', () => {
    expect(replaceSecret('nothing here\n', api(), api())).toEqual({ text: 'nothing here\n', count: 0 });
  });
});
