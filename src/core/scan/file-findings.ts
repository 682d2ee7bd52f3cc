/**
 * From one file's text to findings: the structured parsers where the file has a known structure (git's store,
 * .netrc, Composer auth.json), the text detectors everywhere else. The findings are the very objects doctor
 * builds (finding(), classFindings(), checkPairing()): one core, not two.
 */
import type { Surface } from '../credential/pairing.js';
import { classifySecret } from '../credential/secret-class.js';
import { classFindings, finding, pairingFinding } from '../findings/build.js';
import * as fixes from '../findings/advice.js';
import type { Finding, Location } from '../model.js';
import { parseCredentialStore } from '../parse/credential-store.js';
import { parseNetrc } from '../parse/netrc.js';
import type { CredentialSource, SecretUse } from '../credential/use.js';
import { parseComposerAuth } from '../places/composer.js';
import { netrcEntryFinding, storeEntryFinding } from '../places/credential-files.js';
import { isFixturePath, type PlaceKind } from './places.js';
import { detectInText, isBitbucketHost, isPlaceholder, type TextHit } from './text-detect.js';
import type { ScanItem } from './types.js';

export interface FileScanOptions {
  /** Bitbucket hosts, lower case (`bitbucket.org`, `api.bitbucket.org`). */
  hosts: readonly string[];
  /** Bitbucket origin for fix commands (`https://bitbucket.org`). */
  origin: string;
  /** Lines already reported by the repository rules (remote URLs in a git config file). */
  skipLines?: ReadonlySet<number>;
}

export interface FileScanResult {
  items: ScanItem[];
  /** Bad-checksum tokens in test fixtures, left out on purpose. */
  decoys: number;
}

function use(
  secret: string,
  username: string | undefined,
  source: CredentialSource,
  location: Location,
  helper?: string,
): SecretUse {
  const u: SecretUse = { secret, username, source, location, class: classifySecret(secret) };
  if (helper) u.helper = helper;
  return u;
}

/** Kind findings plus the pairing verdict for the surface the secret is sent to. */
function secretFindings(u: SecretUse, ctx: fixes.FixContext, surface?: Surface): Finding[] {
  const out = classFindings(u, ctx);
  if (surface && u.username !== undefined) {
    const fix = surface === 'rest' ? restFix(ctx) : fixes.usernameFix(ctx, u.class.kind);
    const pairing = pairingFinding(u, surface, u.location, ctx, fix);
    if (pairing) out.push(pairing);
  }
  return out;
}

/** REST wants the Atlassian email with an API token (facts §2, §8.1). */
function restFix(ctx: fixes.FixContext): Finding['fix'] {
  const host = ctx.origin.replace(/^[a-z]+:\/\//i, '');
  return {
    summary: `Use your Atlassian account email as the username for the REST API with this token${ctx.file?.endsWith('auth.json') ? ' (Composer uses it for API calls and switches to x-bitbucket-api-token-auth for git itself)' : ''}.`,
    commands: ctx.file?.endsWith('auth.json')
      ? [`composer config --global http-basic.${host} <email> <api-token>`]
      : [],
  };
}

function item(u: SecretUse, findings: Finding[]): ScanItem {
  return { secret: u.secret, kind: u.class.kind, username: u.username, location: u.location, findings };
}

function storeItems(path: string, text: string, o: FileScanOptions): ScanItem[] {
  return parseCredentialStore(text)
    .filter((e) => e.password && isBitbucketHost(e.host, o.hosts))
    .map((e) => {
      const u = use(e.password!, e.username, 'helper', { file: path, line: e.line, host: e.host }, 'store');
      const ctx = { origin: o.origin, file: path, username: e.username, kind: u.class.kind };
      return item(u, [storeEntryFinding(u, path, e.line, ctx), ...secretFindings(u, ctx, 'git')]);
    });
}

function netrcItems(path: string, text: string, o: FileScanOptions): ScanItem[] {
  return parseNetrc(text)
    .filter((e) => e.password && e.machine !== 'default' && isBitbucketHost(e.machine, o.hosts))
    .map((e) => {
      const u = use(e.password!, e.login, 'netrc', { file: path, line: e.line, host: e.machine });
      const ctx = { origin: o.origin, file: path, username: e.login, kind: u.class.kind };
      const surface = e.machine.startsWith('api.') ? 'rest' : 'git';
      return item(u, [netrcEntryFinding(u, path, e.line, ctx), ...secretFindings(u, ctx, surface)]);
    });
}

function composerItems(path: string, text: string, o: FileScanOptions): ScanItem[] | undefined {
  const creds = parseComposerAuth(text);
  if (!creds) return undefined;
  return creds
    .filter((c) => isBitbucketHost(c.host, o.hosts) && !isPlaceholder(c.secret))
    .map((c) => {
      const u = use(c.secret, c.username, 'file', {
        file: path,
        line: c.line,
        host: c.host,
        configKey: `${c.type}.${c.host}`,
      });
      const ctx = { origin: o.origin, file: path, username: c.username, kind: u.class.kind };
      return item(u, [
        finding(
          'secret-in-file',
          `${path} line ${c.line} holds a Bitbucket secret in Composer's ${c.type} section.`,
          u.location,
          fileFix(ctx),
          { use: u },
        ),
        // Composer sends http-basic credentials to the REST API; an OAuth consumer pair has no pairing rule.
        ...secretFindings(u, ctx, c.type === 'http-basic' ? 'rest' : undefined),
      ]);
    });
}

function fileFix(ctx: fixes.FixContext): Finding['fix'] {
  return {
    summary: `Move the secret out of ${ctx.file ?? 'the file'} into a secured variable or a credential helper, and revoke it if the file was ever committed or shared.`,
    commands: ['bbauth login'],
  };
}

function hitItem(path: string, h: TextHit, o: FileScanOptions): ScanItem {
  const loc: Location = { file: path, line: h.line };
  if (h.url) loc.url = h.url;
  if (h.host) loc.host = h.host;
  const username = h.via === 'url' ? h.username : undefined;
  const u = use(h.secret, username, 'file', loc);
  const ctx = { origin: o.origin, file: path, username, kind: u.class.kind };
  const out: Finding[] = [
    finding(
      'secret-in-file',
      `${path} line ${h.line} holds a Bitbucket ${h.via === 'url' || h.via === 'username-token' ? 'credentialed URL' : 'secret'}.`,
      loc,
      fileFix(ctx),
      { use: u },
    ),
  ];
  if (h.via === 'username-token') {
    out.push(
      finding(
        'token-in-username-field',
        `The URL on line ${h.line} has a token where the username goes; it shows in logs and command lines.`,
        loc,
        fixes.secretOutOfUrlFix(ctx),
        { use: u },
      ),
    );
  }
  out.push(...secretFindings(u, ctx, h.via === 'url' ? h.surface : undefined));
  return item(u, out);
}

/** Every Bitbucket secret in one file, as scan items. Pure; never throws on odd content. */
export function scanFileText(
  path: string,
  text: string,
  place: PlaceKind,
  o: FileScanOptions,
): FileScanResult {
  if (place === 'credential-store') return { items: storeItems(path, text, o), decoys: 0 };
  if (place === 'netrc') return { items: netrcItems(path, text, o), decoys: 0 };
  if (place === 'composer-auth') {
    const items = composerItems(path, text, o);
    if (items) return { items, decoys: 0 };
  }
  const fixture = isFixturePath(path);
  let decoys = 0;
  const items: ScanItem[] = [];
  for (const h of detectInText(text, o.hosts)) {
    if (o.skipLines?.has(h.line)) continue;
    if (fixture && h.via === 'token' && classifySecret(h.secret).checksum === 'invalid') {
      decoys++;
      continue;
    }
    items.push(hitItem(path, h, o));
  }
  return { items, decoys };
}
