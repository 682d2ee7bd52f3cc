/**
 * `bbauth rotate`: a new token replaces an old one in every place on the machine that holds it — files scan
 * finds (remote URLs in .git/config, ~/.git-credentials, .netrc, Composer auth.json, token files, .env…) and
 * the credential helpers — after the new token has been checked online, all or nothing, backed up (`bbauth fix
 * --undo` restores the files), then verified with real git. The records retire the old token, so check-expiry
 * stops warning about it.
 */
import { access, mkdir, readFile } from 'node:fs/promises';
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
import { removeDebris, writeFileAtomic } from '../store/atomic.js';
import { configDir } from '../store/config-dir.js';
import { acquirePidLock } from '../store/pid-lock.js';
import { findRecord, readRecords, updateRecords, upsertRecord } from '../store/records.js';
import { createBackup, removeIncompleteBackups, restoreBackup } from './fix-backup.js';
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

/** The usernames whose helper answer for the host is `secret`. */
async function helperUsernames(
  usernames: Iterable<string | undefined>,
  secret: string,
  opts: RotateOptions,
): Promise<string[]> {
  const { protocol, host } = new URL(opts.endpoints.bitbucketUrl);
  const out: string[] = [];
  for (const u of new Set(usernames)) {
    const got = await fillCredential(
      `${protocol}//${u ? `${encodeURIComponent(u)}@` : ''}${host}/`,
      opts.cwd,
      opts.env,
    );
    if (got?.password === secret && got.username && !out.includes(got.username)) out.push(got.username);
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
  // What the helpers hold, asked the way git asks: with no username, and under each username in use.
  const usernames = [
    undefined,
    ...items.map((i) => i.username),
    ...records.credentials.flatMap((r) => r.usernames),
  ];
  const { protocol, host } = new URL(opts.endpoints.bitbucketUrl);
  const helperAnswer = await fillCredential(`${protocol}//${host}/`, opts.cwd, opts.env);
  const found = new Map<string, FoundSecret>();
  const add = (secret: string, k: CredentialKind, place: string) => {
    const f = found.get(secret) ?? { secret, kind: k, places: [] };
    f.places.push(place);
    found.set(secret, f);
  };
  for (const it of items)
    add(it.secret!, it.kind ?? 'unknown', `${it.location.file}:${it.location.line ?? 1}`);
  if (helperAnswer?.password) {
    add(helperAnswer.password, classifySecret(helperAnswer.password).kind, 'the credential helper');
  }
  const choice = chooseOld([...found.values()], next, kind, opts.old);
  if (!choice.ok) throw new UsageError(choice.message, choice.nextSteps);
  const old = choice.old.secret;

  const oldItems = items.filter((i) => i.secret === old);
  const helperUsers = await helperUsernames(usernames, old, opts);
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

  const dir = configDir(opts.env);
  const lockPath = join(dir, 'fix.lock');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = await acquirePidLock(lockPath);
  if ('heldBy' in lock)
    throw new AbortError(
      `another bbauth fix or rotate is running (process ${lock.heldBy}); nothing was changed.`,
      [`Wait for it to finish. If it is not running, delete ${lockPath}.`],
    );
  try {
    const files = [...new Set(oldItems.map((i) => i.location.file!))];
    for (const f of files)
      if (basename(f) === 'config' && (await exists(join(dirname(f), 'config.lock'))))
        throw new AbortError(
          `${join(dirname(f), 'config.lock')} is held by another git; nothing was changed.`,
          ['Wait for that git to finish (or delete the lock if none is running), then run again.'],
        );
    // As fix does: what a killed run left goes first.
    await removeDebris([dir, ...files.map((f) => dirname(f))]);
    await removeIncompleteBackups(opts.env);
    result.backup = await createBackup(files, opts.cwd, opts.env, opts.now);
    const done: string[] = [];
    try {
      for (const f of files) {
        const { text, count } = replaceSecret(await readFile(f, 'utf8'), old, next);
        if (count > 0) await writeFileAtomic(f, text);
      }
      for (const u of helperUsers) {
        await approveCredential(
          { protocol: protocol.replace(':', ''), host, username: u, password: next },
          opts.cwd,
          opts.env,
        );
        done.push(u);
      }
    } catch (e) {
      const { restored } = await restoreBackup(result.backup, { onlyChanged: true });
      for (const u of done)
        await approveCredential(
          { protocol: protocol.replace(':', ''), host, username: u, password: old },
          opts.cwd,
          opts.env,
        );
      delete result.backup;
      throw new AbortError(
        `rotation failed (${e instanceof Error ? e.message : String(e)}); rolled back: ${[...restored, ...done.map((u) => `the helper entry for ${u}`)].join(', ') || 'nothing had changed'}.`,
      );
    }
  } finally {
    await lock.release();
  }
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
