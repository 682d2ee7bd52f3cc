/**
 * `bbauth login`: refuse a bad token before storing anything, check it online the way git will use it, store
 * it through git's credential helpers with the username its kind needs, and record metadata (never the secret).
 */
import { checkPairing, looksLikeEmail } from '../core/credential/pairing.js';
import { UsageError } from '../core/errors.js';
import type { Endpoints } from '../core/endpoints.js';
import { parseExpiryDate } from '../core/expiry-date.js';
import type { CredentialKind } from '../core/model.js';
import { remotesFrom } from '../core/parse/git-config.js';
import { effectiveRemoteUrls } from '../core/parse/insteadof.js';
import { originOf, parseRemoteUrl } from '../core/parse/remote-url.js';
import { fingerprint } from '../core/redact.js';
import { registerSecret } from '../core/secret-registry.js';
import { checkNewToken } from '../core/credential/token-check.js';
import type { Reading } from '../core/probe/interpret.js';
import { readGitConfig, setConfig } from '../git/config.js';
import { describeNeed, NEED_CONFIG_KEY, resolveNeed, type NeedChoice } from '../core/credential/need.js';
import type { ConfigEntry } from '../core/parse/git-config.js';
import { updateRecords, upsertRecord } from '../store/records.js';
import { isFault } from '../core/probe/outcome.js';
import { storeToken, type HelperOption } from './store-token.js';
import { verifyToken } from './verify-token.js';

export interface LoginOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  endpoints: Endpoints;
  /** The token as received (prompt, stdin or BBAUTH_TOKEN); never from argv. */
  rawToken: string;
  /** Store the token for git under this Bitbucket username instead of x-bitbucket-api-token-auth. */
  username?: string;
  email?: string;
  expires?: string;
  /** `--need fetch|push`: remembered in the repository (git config bbauth.need). */
  need?: string;
  helper?: string;
  offline: boolean;
  /** `--url`: a clone URL to check the token against when there is no repository here. */
  url?: string;
  /** Asks for that URL on a terminal when nothing else could check the token (Enter: none). */
  askUrl?: () => Promise<string | undefined>;
  now: Date;
  chooseHelper?: (options: HelperOption[]) => Promise<string>;
}

export interface LoginResult {
  stored: boolean;
  fingerprint: string;
  kind: CredentialKind;
  username?: string;
  helpers: string[];
  verdict: Reading['verdict'] | 'offline';
  checks: string[];
  scopesSeen: string[];
  scopesMissing: string[];
  expires?: string;
  /** What access the machine needs, as login judged the token. */
  need: NeedChoice;
  /** The check proved the token cannot push (accepted because only fetch is needed). */
  pushRefused?: boolean;
  notes: string[];
  /** Why nothing was stored, when stored is false. */
  refusal?: string;
}

/** First Bitbucket HTTPS remote of the repository in cwd, as a clean repo URL, plus URL usernames seen. */
export async function bitbucketRemote(cwd: string, env: NodeJS.ProcessEnv, endpoints: Endpoints) {
  const config = await readGitConfig(cwd, env);
  const origin = new URL(endpoints.bitbucketUrl).origin;
  const usernames: { remote: string; username: string }[] = [];
  let repoUrl: string | undefined;
  // Whether a Bitbucket remote is pushed to (undefined: none at all), for the default need.
  let pushes: boolean | undefined;
  for (const r of remotesFrom(config)) {
    const urls = effectiveRemoteUrls(r, config);
    for (const raw of urls.fetch) {
      const url = parseRemoteUrl(raw);
      if (originOf(url) !== origin || !url.workspace || !url.repo) continue;
      repoUrl ??= `${origin}/${url.workspace}/${url.repo}.git`;
      pushes ??= false;
      if (url.username) usernames.push({ remote: r.name, username: url.username });
    }
    if (urls.push.some((raw) => originOf(parseRemoteUrl(raw)) === origin)) pushes = true;
  }
  const inRepository = config.some((e) => e.scope === 'local');
  return { repoUrl, usernames, config, pushes, inRepository };
}

/** `https://bitbucket.org/ws/repo.git` from a clone URL given on the command line; refuses one with a secret in it. */
function cloneUrlOf(raw: string, endpoints: Endpoints): string {
  const url = parseRemoteUrl(raw.trim());
  const origin = new URL(endpoints.bitbucketUrl).origin;
  if (url.password)
    throw new UsageError(
      '--url must not carry a password or token: it would be visible in `ps` and shell history.',
      [`Pass the URL without it, e.g. ${origin}/<workspace>/<repo>.git, and the token on stdin.`],
    );
  if (originOf(url) !== origin || !url.workspace || !url.repo)
    throw new UsageError(`--url ${raw} is not a repository URL on ${origin}.`, [
      `Pass the HTTPS clone URL shown on the repository page, e.g. ${origin}/<workspace>/<repo>.git.`,
    ]);
  return `${origin}/${url.workspace}/${url.repo}.git`;
}

/** Runs login; a refused token returns stored=false with the reason (nothing was changed). */
export async function runLogin(opts: LoginOptions): Promise<LoginResult> {
  const check = checkNewToken(opts.rawToken);
  if (!check.ok) throw new UsageError(`not storing this token: ${check.message}`, check.nextSteps);
  const { secret } = check;
  registerSecret(secret);
  const kind = check.class.kind;
  const notes = [...check.notes];
  let expires: string | undefined;
  if (opts.expires) {
    const parsed = parseExpiryDate(opts.expires, opts.now);
    expires = parsed.date;
    notes.push(...parsed.warnings);
  }
  if (opts.username !== undefined) {
    const pairing = checkPairing(kind, opts.username, 'git');
    if (!pairing.ok || opts.username.trim() === '' || /[\s:@/]/.test(opts.username)) {
      throw new UsageError(
        `--username "${opts.username}" cannot be used for git with this ${kind === 'access-token' ? 'access token' : 'API token'}: ${pairing.reason ?? 'it is not a Bitbucket username'}.`,
        [
          kind === 'access-token'
            ? 'Access tokens only work with x-token-auth: leave --username out.'
            : 'Pass your Bitbucket username (Personal settings → Bitbucket profile), or leave --username out for x-bitbucket-api-token-auth; the email goes in --email.',
        ],
      );
    }
  }
  if (opts.email && !looksLikeEmail(opts.email)) {
    throw new UsageError(`--email must be your Atlassian account email, got "${opts.email}".`);
  }
  const remote = await bitbucketRemote(opts.cwd, opts.env, opts.endpoints);
  const need = resolveNeed(opts.need, remote.config, remote.pushes);
  const email = opts.email ?? opts.env.BBAUTH_EMAIL;
  // Something must check the token, or login must not say it is good: the repository here, a clone URL, or REST
  // with the email. `--offline` (alias --no-verify) is the explicit way to store it unchecked.
  let url = opts.url !== undefined ? cloneUrlOf(opts.url, opts.endpoints) : undefined;
  if (!opts.offline && !remote.repoUrl && !url && !email && opts.askUrl) {
    const asked = await opts.askUrl();
    if (asked) url = cloneUrlOf(asked, opts.endpoints);
  }
  const repoUrl = remote.repoUrl ?? url;
  if (!opts.offline && !repoUrl && !email) {
    throw new UsageError(
      'nothing here to check this token against (no repository with a Bitbucket remote, no --url, no --email); nothing was stored.',
      [
        `--url ${opts.endpoints.bitbucketUrl}/<workspace>/<repo>.git: check it against a repository you will clone`,
        '--email you@example.com: check it against the REST API',
        '--no-verify: store it without any check',
      ],
    );
  }
  const result: LoginResult = {
    stored: false,
    fingerprint: fingerprint(secret),
    kind,
    helpers: [],
    verdict: 'offline',
    checks: [],
    scopesSeen: [],
    scopesMissing: [],
    need,
    notes,
  };
  if (expires) result.expires = expires;
  let pushWorked = false;
  if (!opts.offline) {
    const v = await verifyToken(secret, kind, opts.endpoints, {
      ...(opts.username ? { username: opts.username } : {}),
      // Asked even where only fetch is needed: the records then know the token is read-only, and the helper
      // can say so in a repository that pushes.
      push: true,
      ...(repoUrl ? { repoUrl } : {}),
      ...(email ? { email } : {}),
    });
    Object.assign(result, {
      verdict: v.verdict,
      checks: v.lines,
      scopesSeen: v.scopesSeen,
      scopesMissing: v.scopesMissing,
    });
    // Only Bitbucket's own no is the token's failure; a fault (no answer, 429, 5xx, a portal) checked nothing.
    const fetchFailed =
      v.probes.fetch && v.probes.fetch.outcome.kind !== 'ok' && !isFault(v.probes.fetch.outcome.kind);
    // As fix: a token that cannot push is refused where the machine needs push, and is right where it only pulls.
    const pushRefused =
      v.probes.push?.outcome.kind === 'missing-scope' || v.probes.push?.outcome.kind === 'no-access';
    if (v.verdict === 'dead' || fetchFailed || (pushRefused && need.value === 'push')) {
      result.refusal =
        v.verdict === 'dead'
          ? 'Bitbucket refused this token (most likely created without scopes, revoked or expired); nothing was stored.'
          : fetchFailed
            ? 'this token cannot fetch the repository; nothing was stored.'
            : `this token can fetch but not push (${pushRefusal(v.probes.push!.outcome.kind)}), and this repository pushes; nothing was stored. If this machine only pulls, a read-only token is right: bbauth login --need fetch.`;
      return result;
    }
    pushWorked = v.probes.push?.outcome.kind === 'ok';
    if (pushRefused) {
      result.pushRefused = true;
      notes.push(
        `read-only (${pushRefusal(v.probes.push!.outcome.kind)}): right for a machine that only pulls, as this one (${describeNeed(need)}).`,
      );
    }
    if (v.verdict === 'unverified') {
      // Nothing answered the check: neither stored as checked nor refused as bad. --offline stores it unchecked.
      result.refusal = `the token was not checked: ${v.lines.at(-1) ?? 'Bitbucket did not answer'}; nothing was stored. Run again when Bitbucket answers, or with --offline to store it unchecked.`;
      return result;
    }
  }
  const stored = await storeToken({
    cwd: opts.cwd,
    env: opts.env,
    endpoints: opts.endpoints,
    secret,
    kind,
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.helper ? { helper: opts.helper } : {}),
    ...(opts.chooseHelper ? { chooseHelper: opts.chooseHelper } : {}),
  });
  notes.push(...stored.notes);
  if (opts.need !== undefined) notes.push(await rememberNeed(opts, need, remote));
  for (const u of remote.usernames) {
    if (u.username !== stored.username) {
      notes.push(
        `remote "${u.remote}" asks for user "${u.username}", so git will not find the token stored for ${stored.username}: run \`bbauth fix\` to rewrite the URL.`,
      );
    }
  }
  const host = new URL(opts.endpoints.bitbucketUrl).host;
  await updateRecords((file) => {
    const record = upsertRecord(
      file,
      secret,
      {
        fingerprint: result.fingerprint,
        kind,
        host,
        usernames: [stored.username],
        ...(email ? { email } : {}),
        ...(expires ? { expires } : {}),
        scopesSeen: result.scopesSeen,
        scopesMissing: result.scopesMissing,

        ...(result.verdict === 'works' || result.verdict === 'partial'
          ? { lastVerified: opts.now.toISOString() }
          : {}),
        source: 'login',
        storedIn: stored.helpers,
        ...(stored.configured
          ? {
              configuredHelper: {
                key: `credential.${opts.endpoints.bitbucketUrl}.helper`,
                value: stored.configured,
              },
            }
          : {}),
      },
      opts.now,
    );
    // What the check proved about push, for git-credential-bbauth in other repositories.
    if (result.pushRefused) record.pushRefused = opts.now.toISOString();
    else if (pushWorked) delete record.pushRefused;
  }, opts.env);
  return { ...result, stored: true, username: stored.username, helpers: stored.helpers };
}

function pushRefusal(kind: string): string {
  return kind === 'missing-scope'
    ? 'it lacks write:repository:bitbucket'
    : 'read-only permission on the repository';
}

/** Writes `bbauth.need` into the repository's config, so doctor, status, fix and the helper judge alike. */
async function rememberNeed(
  opts: LoginOptions,
  need: NeedChoice,
  remote: { config: ConfigEntry[]; inRepository: boolean },
): Promise<string> {
  if (!remote.inRepository)
    return `--need ${need.value} applies to this run only: outside a repository there is nowhere to remember it.`;
  const current = remote.config.filter((e) => e.key === NEED_CONFIG_KEY && e.scope === 'local').at(-1);
  if (current?.value !== need.value)
    await setConfig({ scope: 'local' }, NEED_CONFIG_KEY, need.value, {
      cwd: opts.cwd,
      env: opts.env,
      replaceAll: true,
    });
  return `remembered for this repository: ${describeNeed(need)} (git config ${NEED_CONFIG_KEY} ${need.value}).`;
}

/** Guard used by the CLI: a token must never arrive as a command-line argument. */
export function ensureNoTokenInArgv(positionals: readonly string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(
      'bbauth login takes no arguments; a token on the command line would be visible in `ps` and shell history.',
      [
        'Paste it at the hidden prompt, pipe it with --with-token (e.g. `bbauth login --with-token < token.txt`), or set BBAUTH_TOKEN.',
      ],
    );
  }
}
