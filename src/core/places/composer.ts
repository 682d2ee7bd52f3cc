/**
 * Composer's auth.json (facts §8.1): `http-basic.<host>` {username, password} and `bitbucket-oauth.<host>`
 * {consumer-key, consumer-secret}. Composer sends http-basic credentials to the REST API, so an API token there
 * needs the Atlassian email as username (`rest-username-not-email`).
 */

export interface ComposerCredential {
  type: 'http-basic' | 'bitbucket-oauth';
  host: string;
  username?: string;
  secret: string;
  line: number;
}

function lineOfValue(text: string, value: string): number {
  const i = text.indexOf(JSON.stringify(value).slice(1, -1));
  if (i < 0) return 1;
  let line = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) line++;
  return line;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** Parses auth.json; undefined when it is not JSON (the caller falls back to the text detectors). */
export function parseComposerAuth(text: string): ComposerCredential[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const root = obj(doc);
  if (!root) return undefined;
  const out: ComposerCredential[] = [];
  for (const [host, v] of Object.entries(obj(root['http-basic']) ?? {})) {
    const e = obj(v);
    const password = e?.password;
    if (typeof password !== 'string' || password === '') continue;
    const username = typeof e?.username === 'string' ? e.username : undefined;
    out.push({
      type: 'http-basic',
      host: host.toLowerCase(),
      username,
      secret: password,
      line: lineOfValue(text, password),
    });
  }
  for (const [host, v] of Object.entries(obj(root['bitbucket-oauth']) ?? {})) {
    const e = obj(v);
    const secret = e?.['consumer-secret'];
    if (typeof secret !== 'string' || secret === '') continue;
    const key = typeof e?.['consumer-key'] === 'string' ? (e['consumer-key'] as string) : undefined;
    out.push({
      type: 'bitbucket-oauth',
      host: host.toLowerCase(),
      username: key,
      secret,
      line: lineOfValue(text, secret),
    });
  }
  return out;
}
