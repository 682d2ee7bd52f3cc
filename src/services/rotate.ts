/**
 * `bbauth rotate`: a new token replaces an old one in every place on the machine that holds it — files scan
 * finds (remote URLs in .git/config, ~/.git-credentials, .netrc, Composer auth.json, token files, .env…) and
 * the credential helpers — after the new token has been checked online, all or nothing, backed up (`bbauth fix
 * --undo` restores the files), then verified with real git. The records retire the old token, so check-expiry
 * stops warning about it.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AbortError, UsageError } from '../core/errors.js';
import type { Endpoints } from '../core/endpoints.js';
import type { CredentialKind } from '../core/model.js';
import { checkNewToken } from '../core/credential/token-check.js';
import { classifySecret } from '../core/credential/secret-class.js';
import { parseRemoteUrl } from '../core/parse/remote-url.js';
import { fingerprint } from '../core/redact.js';
import { registerSecret } from '../core/secret-registry.js';
import { chooseOld, replaceSecret, type FoundSecret } from '../core/rotate.js';
import type { ScanItem } from '../core/scan/types.js';
import { approveCredential, fillCredential } from '../git/credential.js';
import { writeFileAtomic } from '../store/atomic.js';
import { findRecord, readRecords, updateRecords, upsertRecord } from '../store/records.js';
import { changeFiles } from './transaction.js';
import { verifyWithGit, type GitCheck } from './fix-verify.js';
import { DEFAULT_MAX_FILE_SIZE, scanItems } from './scan.js';
import { verifyToken } from './verify-token.js';
import { bitbucketRemote } from './login.js';

export interface RotateOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  /** The new token as received (prompt, stdin or BBAUTH_TOKEN); never from argv. */
  rawToken: string;
  /** The old token's fingerprint as bbauth prints it; without it, the only token of the new one's kind found. */
  old?: string;
  /** Where to look (default: HOME and the global git config). */
  paths: string[];
  email?: string;
  /** Show what would change; change nothing. */
  dryRun: boolean;
  now: Date;
}

export interface RotatePlace {
  /** `file` (with its line), or `helper` (with the username git stores it under). */
  kind: 'file' | 'helper';
  where: string;
  line?: number;
  username?: string;
}

export interface RotateResult {
  kind: CredentialKind;
  old: string;
  new: string;
  places: RotatePlace[];
  /** What checking the new token showed, request by request. */
  checks: string[];
  applied: boolean;
  backup?: string;
  /** Real git in each repository that held the old token, after the change. */
  verified: (GitCheck & { repository: string })[];
  notes: string[];
}

/** `https://bitbucket.org/ws/repo.git` for the first place that is a Bitbucket remote URL. */
function repoUrlOf(items: readonly ScanItem[], origin: string): string | undefined {
  for (const it of items) {
    const url = it.location.url && parseRemoteUrl(it.location.url);
    if (url && url.workspace && url.repo) return `${origin}/${url.workspace}/${url.repo}.git`;
  }
  return undefined;
}

/** What the helpers hand git for the host, asked the way git asks: with no username, then under each one in use. */
async function helperAnswers(
  usernames: Iterable<string | undefined>,
  opts: RotateOptions,
): Promise<{ username: string; secret: string }[]> {
  const { protocol, host } = new URL(opts.endpoints.bitbucketUrl);
  const out: { username: string; secret: string }[] = [];
  for (const u of new Set(usernames)) {
    const got = await fillCredential(
      `${protocol}//${u ? `${encodeURIComponent(u)}@` : ''}${host}/`,
      opts.cwd,
      opts.env,
    );
    if (got?.password && got.username && !out.some((a) => a.username === got.username))
      out.push({ username: got.username, secret: got.password });
  }
  return out;
}

/** Checks, plans and (unless --dry-run) carries out the rotation. */
export async function runRotate(opts: RotateOptions): Promise<RotateResult> {
  const check = checkNewToken(opts.rawToken);
  if (!check.ok) throw new UsageError(`not rotating to this token: ${check.message}`, check.nextSteps);
  const next = check.secret;
  registerSecret(next);
  const kind = check.class.kind;
  const notes = [...check.notes];

  const items = (
    await scanItems({
      paths: opts.paths,
      env: opts.env,
      endpoints: opts.endpoints,
      excludes: [],
      maxFileSize: DEFAULT_MAX_FILE_SIZE,
    })
  ).filter((it) => it.secret !== undefined && it.location.file !== undefined);
  const records = await readRecords(opts.env);
  const answers = await helperAnswers(
    [undefined, ...items.map((i) => i.username), ...records.credentials.flatMap((r) => r.usernames)],
    opts,
  );
  const { protocol, host } = new URL(opts.endpoints.bitbucketUrl);
  const found = new Map<string, FoundSecret>();
  const add = (secret: string, k: CredentialKind, place: string) => {
    const f = found.get(secret) ?? { secret, kind: k, places: [] };
    f.places.push(place);
    found.set(secret, f);
  };
  for (const it of items)
    add(it.secret!, it.kind ?? 'unknown', `${it.location.file}:${it.location.line ?? 1}`);
  for (const a of answers)
    add(a.secret, classifySecret(a.secret).kind, `the credential helper (username ${a.username})`);
  const choice = chooseOld([...found.values()], next, kind, opts.old);
  if (!choice.ok) throw new UsageError(choice.message, choice.nextSteps);
  const old = choice.old.secret;

  const oldItems = items.filter((i) => i.secret === old);
  const helperUsers = answers.filter((a) => a.secret === old).map((a) => a.username);
  const places: RotatePlace[] = [
    ...oldItems.map((i): RotatePlace => ({
      kind: 'file',
      where: i.location.file!,
      ...(i.location.line ? { line: i.location.line } : {}),
    })),
    ...helperUsers.map((u): RotatePlace => ({ kind: 'helper', where: 'credential helper', username: u })),
  ];
  const oldRecord = findRecord(records, old);

  // The new token is checked before anything changes, against a repository the old one was used for.
  // (Only a helper holds it: the repository bbauth runs in.)
  const repoUrl =
    repoUrlOf(oldItems, opts.endpoints.bitbucketUrl) ??
    (await bitbucketRemote(opts.cwd, opts.env, opts.endpoints)).repoUrl;
  const email = opts.email ?? opts.env.BBAUTH_EMAIL ?? oldRecord?.email;
  if (!repoUrl && !email)
    throw new UsageError(
      'cannot check the new token: no repository URL holds the old one, and no email is known.',
      ['Pass --email <your Atlassian email> so the REST API can check it, then run again.'],
    );
  const v = await verifyToken(next, kind, opts.endpoints, {
    push: true,
    ...(repoUrl ? { repoUrl } : {}),
    ...(email ? { email } : {}),
  });
  const result: RotateResult = {
    kind,
    old: fingerprint(old),
    new: fingerprint(next),
    places,
    checks: v.lines,
    applied: false,
    verified: [],
    notes,
  };
  const fetchFailed = v.probes.fetch !== undefined && v.probes.fetch.outcome.kind !== 'ok';
  if (v.verdict === 'dead' || v.verdict === 'unverified' || fetchFailed)
    throw new AbortError(
      `the new token ${fingerprint(next)} does not work (${v.lines.at(-1) ?? v.verdict}); nothing was changed.`,
      ['Check that it was copied in full and has the scopes the old one had, then run again.'],
    );
  if (v.probes.push && v.probes.push.outcome.kind !== 'ok')
    notes.push('the new token cannot push: right for machines that only pull.');
  if (opts.dryRun) return result;

  const files = [...new Set(oldItems.map((i) => i.location.file!))];
  // git writes .git/config under its lock; rotate writes it directly, so it waits for no other git.
  for (const f of files)
    if (basename(f) === 'config' && (await exists(join(dirname(f), 'config.lock'))))
      throw new AbortError(
        `${join(dirname(f), 'config.lock')} is held by another git; nothing was changed.`,
        ['Wait for that git to finish (or delete the lock if none is running), then run again.'],
      );
  const scheme = protocol.replace(':', '');
  result.backup = await changeFiles(files, opts, async (tx) => {
    for (const f of files) {
      const { text, count } = replaceSecret(await readFile(f, 'utf8'), old, next);
      if (count > 0) await writeFileAtomic(f, text);
    }
    for (const u of helperUsers) {
      await approveCredential({ protocol: scheme, host, username: u, password: next }, opts.cwd, opts.env);
      tx.onRollback(async () => {
        await approveCredential({ protocol: scheme, host, username: u, password: old }, opts.cwd, opts.env);
        return `the helper entry for ${u} put back`;
      });
    }
  });
  result.applied = true;
  const stamp = opts.now.toISOString();
  await updateRecords((file) => {
    const before = findRecord(file, old);
    upsertRecord(
      file,
      next,
      {
        fingerprint: fingerprint(next),
        kind,
        host,
        usernames: [...new Set([...(before?.usernames ?? []), ...helperUsers])],
        ...(email ? { email } : {}),
        ...(before?.label ? { label: before.label } : {}),
        source: 'rotate',
        lastVerified: stamp,
      },
      opts.now,
    );
    const retired =
      before ??
      upsertRecord(file, old, { fingerprint: fingerprint(old), kind: choice.old.kind, host }, opts.now);
    retired.retired = stamp;
    retired.replacedBy = fingerprint(next);
  }, opts.env);
  // Real git, in each repository whose URL held the old token.
  for (const it of oldItems) {
    if (!it.location.repository || !it.location.remote) continue;
    const [c] = await verifyWithGit(
      [{ remote: it.location.remote, push: false }],
      it.location.repository,
      opts.env,
    );
    if (c) result.verified.push({ ...c, repository: it.location.repository });
  }
  return result;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
