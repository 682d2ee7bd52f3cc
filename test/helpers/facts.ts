/**
 * A builder for doctor's facts, in the spirit of changesets' `FakeFullState`: sensible defaults (a repository
 * at REPO, bitbucket.org, no helpers, nothing stored) that a table row overrides one call at a time. Remote URLs
 * are parsed with the real parseRemoteUrl, helper chains come from the real helpersFor over the config entries
 * the row added, secrets are classified with the real classifySecret, and probe answers with the real
 * classifyResponse. Tokens are minted at run time (deterministically) and never written down.
 */
import {
  authorizationHeaders,
  classifySecret,
  helpersFor,
  normalizeKey,
  originOf,
  parseRemoteUrl,
  pushesToBitbucket,
  reachesAskPass,
  resolveNeed,
  withoutCredentials,
  type ConfigEntry,
  type AskPass,
  type DoctorFacts,
  type EmailGuess,
  type Location,
  type NetrcEntry,
  type RemoteFacts,
  type SecretUse,
  type StoredCredential,
} from './core.js';

export const ORIGIN = 'https://bitbucket.org';
export const API_ORIGIN = 'https://api.bitbucket.org';
export const HOST = 'bitbucket.org';
export const NOW = new Date('2026-11-23T12:00:00Z');
export const REPO = '/home/alice/web';
export const LOCAL_CONFIG = 'file:.git/config';
export const GLOBAL_CONFIG = 'file:/home/alice/.gitconfig';
export const STORE_PATH = '/home/alice/.git-credentials';
export const NETRC_PATH = '/home/alice/.netrc';
export const EMAIL = 'alice@example.com';

export * from './secrets.js';
export * from './evidence.js';

// ---------------------------------------------------------------------------------------------------------
// Secret uses

/** A secret as git would send it, classified by the real classifier. */
export function use(secret: string, o: Partial<Omit<SecretUse, 'secret' | 'class'>> = {}): SecretUse {
  const u: SecretUse = {
    secret,
    source: o.source ?? 'helper',
    location: o.location ?? {},
    class: classifySecret(secret),
  };
  if (o.username !== undefined) u.username = o.username;
  if (o.helper !== undefined) u.helper = o.helper;
  else if (u.source === 'helper') u.helper = 'store';
  if (o.scheme !== undefined) u.scheme = o.scheme;
  return u;
}

// ---------------------------------------------------------------------------------------------------------
// Doctor facts

export interface RemoteOptions {
  name?: string;
  direction?: RemoteFacts['direction'];
  /** Default `remote.<name>.url`, or `.pushurl` for a push-only entry. */
  configKey?: string;
  /** The value as written in the config when a url.*.insteadOf rule rewrote it into `url`. */
  writtenAs?: string;
  /** What the credential helper answers for this remote (only asked when a helper applies). */
  helperAnswer?: { secret: string; username?: string };
  /** Replace the derived candidates entirely. */
  candidates?: SecretUse[];
}

interface RemoteSpec extends RemoteOptions {
  url: string;
}

/** Builds DoctorFacts the way gatherDoctorFacts would from the config, stores and answers a row gives it. */
export class FakeFacts {
  private readonly entries: ConfigEntry[] = [];
  private readonly remoteSpecs: RemoteSpec[] = [];
  private readonly storeFiles: { path: string; entries: StoredCredential[] }[] = [];
  private readonly netrcFiles: { path: string; entries: NetrcEntry[] }[] = [];
  private hostAnswer?: { secret: string; username?: string };
  private emailGuess?: EmailGuess;
  private envVars: DoctorFacts['env'] = {};
  private inRepository = true;
  private canPrompt?: boolean;
  private needFlag?: string;
  private askPassSet?: { program: string; source: AskPass['source']; kind: AskPass['kind'] };
  private askPassReply?: { secret: string; username?: string } | { why: string };
  private unusableHelpers: NonNullable<DoctorFacts['unrunnable']> = [];

  constructor(private readonly origin = ORIGIN) {}

  /** A raw config entry (key normalised as `git config --list` prints it). */
  config(key: string, value: string | undefined, origin = GLOBAL_CONFIG, scope = 'global'): this {
    this.entries.push({ key: normalizeKey(key), value, origin, scope });
    return this;
  }

  /** `credential[.<url>].helper = name`; an empty name resets the list, as in git. */
  helper(name: string, o: { url?: string; origin?: string; scope?: string } = {}): this {
    return this.config(o.url ? `credential.${o.url}.helper` : 'credential.helper', name, o.origin, o.scope);
  }

  /** `http[.<url>].extraHeader = value`. */
  extraHeader(value: string, o: { url?: string; origin?: string; scope?: string } = {}): this {
    return this.config(o.url ? `http.${o.url}.extraHeader` : 'http.extraHeader', value, o.origin, o.scope);
  }

  /** An `Authorization: Basic` header for username:secret. */
  basicHeader(username: string, secret: string, o: { url?: string; origin?: string } = {}): this {
    const value = Buffer.from(`${username}:${secret}`).toString('base64');
    return this.extraHeader(`Authorization: Basic ${value}`, o);
  }

  /** An `Authorization: Bearer` header. */
  bearerHeader(secret: string, o: { url?: string; origin?: string } = {}): this {
    return this.extraHeader(`Authorization: Bearer ${secret}`, o);
  }

  /** GCM's `bitbucketValidateStoredCredentials`, as git config or as GCM's environment variable. */
  gcmValidation(value: string, via: 'config' | 'env' = 'config'): this {
    if (via === 'env') {
      this.envVars = { GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS: value };
      return this;
    }
    return this.config('credential.bitbucketValidateStoredCredentials', value);
  }

  /** A remote (fetch and push unless told), written in the local config. */
  remote(url: string, o: RemoteOptions = {}): this {
    const name = o.name ?? 'origin';
    const direction = o.direction ?? 'both';
    const configKey = o.configKey ?? `remote.${name}.${direction === 'push' ? 'pushurl' : 'url'}`;
    this.config(configKey, o.writtenAs ?? url, LOCAL_CONFIG, 'local');
    this.remoteSpecs.push({ ...o, url, name, direction, configKey });
    return this;
  }

  /** A credential-store file; entries default to host bitbucket.org, lines numbered from 1. */
  store(
    entries: { username?: string; password?: string; host?: string }[],
    path = STORE_PATH,
    mode?: number,
  ): this {
    this.storeFiles.push({
      path,
      ...(mode !== undefined ? { mode } : {}),
      entries: entries.map((e, i) => {
        const s: StoredCredential = { line: i + 1, protocol: 'https', host: e.host ?? HOST };
        if (e.username !== undefined) s.username = e.username;
        if (e.password !== undefined) s.password = e.password;
        return s;
      }),
    });
    return this;
  }

  /** A .netrc file; machine defaults to bitbucket.org, each entry on its own line from 1. */
  netrc(entries: { machine?: string; login?: string; password?: string }[], path = NETRC_PATH): this {
    this.netrcFiles.push({
      path,
      entries: entries.map((e, i) => {
        const n: NetrcEntry = { line: i + 1, machine: e.machine ?? HOST };
        if (e.login !== undefined) n.login = e.login;
        if (e.password !== undefined) n.password = e.password;
        return n;
      }),
    });
    return this;
  }

  /** What the host's helper answers outside a repository (or with no HTTPS Bitbucket remote). */
  hostHelperAnswer(secret: string, username?: string): this {
    this.hostAnswer = username === undefined ? { secret } : { secret, username };
    return this;
  }

  email(value = EMAIL, source: EmailGuess['source'] = 'flag'): this {
    this.emailGuess = { value, source };
    return this;
  }

  /** Whether git could prompt on a terminal (a cron job or CI step cannot). */
  /** `--need fetch|push`, as the flag would give it. */
  need(value: string): this {
    this.needFlag = value;
    return this;
  }

  terminal(yes: boolean): this {
    this.canPrompt = yes;
    return this;
  }

  /**
   * A helper value git skips: its program is not installed, or (with `failed`) it runs and fails when asked, as
   * libsecret does with no Secret Service.
   */
  unrunnable(name: string, failed?: { code: number; said?: string }): this {
    this.unusableHelpers.push(failed ? { name, failed } : { name });
    return this;
  }

  /** An askpass program git would run for the password (GIT_ASKPASS unless told). */
  askPass(program: string, o: { source?: AskPass['source']; kind?: AskPass['kind'] } = {}): this {
    this.askPassSet = { program, source: o.source ?? 'GIT_ASKPASS', kind: o.kind ?? 'program' };
    return this;
  }

  /** What the askpass program answered when doctor asked it (`--ask-askpass`), at every remote that reaches it. */
  askPassAnswers(reply: { secret: string; username?: string } | { why: string }): this {
    this.askPassReply = reply;
    return this;
  }

  outsideRepository(): this {
    this.inRepository = false;
    return this;
  }

  build(): DoctorFacts {
    const hostname = new URL(this.origin).hostname;
    const remotes = this.remoteSpecs.map((s) => this.buildRemote(s, hostname));
    const hostChain = helpersFor(`${this.origin}/`, this.entries);
    const hostCandidates: SecretUse[] = [];
    const anyHttps = remotes.some((r) => r.bitbucket && r.url.scheme !== 'ssh');
    if (!anyHttps && this.hostAnswer && hostChain.helpers.length > 0) {
      const helper = hostChain.helpers.map((h) => h.name).join(', ');
      hostCandidates.push(
        use(this.hostAnswer.secret, {
          ...(this.hostAnswer.username !== undefined ? { username: this.hostAnswer.username } : {}),
          source: 'helper',
          helper,
          location: { host: new URL(this.origin).host, helper },
        }),
      );
    }
    const facts: DoctorFacts = {
      cwd: REPO,
      endpoints: { bitbucketUrl: this.origin, apiUrl: API_ORIGIN },
      config: [...this.entries],
      remotes,
      hostChain,
      hostCandidates,
      stores: this.storeFiles,
      netrc: this.netrcFiles,
      env: this.envVars,
      need: resolveNeed(this.needFlag, this.entries, pushesToBitbucket(remotes)),
      now: NOW,
    };
    if (this.inRepository) facts.repository = REPO;
    if (this.emailGuess) facts.email = this.emailGuess;
    if (this.canPrompt !== undefined) facts.terminal = this.canPrompt;
    if (this.unusableHelpers.length > 0) facts.unrunnable = [...this.unusableHelpers];
    if (this.askPassSet) {
      facts.askPass = { ...this.askPassSet };
      if (this.askPassReply) for (const r of remotes) this.answerAskPass(facts, r, this.askPassReply);
    }
    return facts;
  }

  private buildRemote(s: RemoteSpec, hostname: string): RemoteFacts {
    const url = parseRemoteUrl(s.url);
    const httpish = url.scheme === 'https' || url.scheme === 'http';
    const bitbucket =
      url.scheme === 'ssh' ? url.host === hostname : httpish && originOf(url) === new URL(this.origin).origin;
    const name = s.name!;
    const configKey = s.configKey!;
    const r: RemoteFacts = {
      name,
      direction: s.direction!,
      url,
      configKey,
      configOrigin: LOCAL_CONFIG,
      bitbucket,
      chain: helpersFor(httpish ? withoutCredentials(url, url.username) : s.url, this.entries),
      candidates: [],
    };
    if (s.candidates) r.candidates = s.candidates;
    else if (bitbucket && httpish) r.candidates = this.candidatesFor(r, s);
    return r;
  }

  private answerAskPass(
    facts: DoctorFacts,
    r: RemoteFacts,
    reply: { secret: string; username?: string } | { why: string },
  ): void {
    if (!r.bitbucket || r.url.scheme === 'ssh' || !reachesAskPass(facts, r)) return;
    if ('why' in reply) {
      r.askPassAnswer = { answered: false, why: reply.why };
      return;
    }
    const base: Location = { remote: r.name, configKey: r.configKey };
    if (this.inRepository) base.repository = REPO;
    const u = use(reply.secret, {
      ...(reply.username !== undefined ? { username: reply.username } : {}),
      source: 'askpass',
      location: base,
    });
    r.candidates.push(u);
    r.askPassAnswer = { answered: true, use: u };
  }

  /** git's order: extra headers, the URL's password (then nothing else), .netrc, the helper. */
  private candidatesFor(r: RemoteFacts, s: RemoteSpec): SecretUse[] {
    const base: Location = { remote: r.name, configKey: r.configKey };
    if (this.inRepository) base.repository = REPO;
    const out: SecretUse[] = authorizationHeaders(this.entries, withoutCredentials(r.url)).map((h) =>
      use(h.secret, {
        ...(h.username !== undefined ? { username: h.username } : {}),
        source: 'extraheader',
        scheme: h.scheme,
        location: {
          ...base,
          configKey: h.entry.key,
          configOrigin: h.entry.origin,
          ...(h.entry.scope ? { configScope: h.entry.scope } : {}),
        },
      }),
    );
    if (r.url.password) {
      out.push(
        use(r.url.password, {
          ...(r.url.username !== undefined ? { username: r.url.username } : {}),
          source: 'url',
          location: base,
        }),
      );
      return out;
    }
    const rc = this.netrcFiles
      .map((f) => ({
        f,
        e:
          f.entries.find(
            (x) => x.machine === r.url.host && x.password && (!r.url.username || x.login === r.url.username),
          ) ?? f.entries.find((x) => x.machine === 'default' && x.password),
      }))
      .find((x) => x.e);
    if (rc?.e) {
      out.push(
        use(rc.e.password!, {
          ...(rc.e.login !== undefined ? { username: rc.e.login } : {}),
          source: 'netrc',
          location: { file: rc.f.path, line: rc.e.line, host: r.url.host },
        }),
      );
    }
    if (s.helperAnswer && r.chain.helpers.length > 0) {
      const helper = r.chain.helpers.map((h) => h.name).join(', ');
      out.push(
        use(s.helperAnswer.secret, {
          ...(s.helperAnswer.username !== undefined ? { username: s.helperAnswer.username } : {}),
          source: 'helper',
          helper,
          location: { ...base, helper },
        }),
      );
    }
    return out;
  }
}

/** A fresh builder: `facts().helper('store').remote(url).build()`. */
export function facts(origin = ORIGIN): FakeFacts {
  return new FakeFacts(origin);
}

/** `https://<userinfo>@bitbucket.org/acme/web.git`, or without userinfo. */
export function bbUrl(userinfo?: string, path = 'acme/web'): string {
  return `${ORIGIN.replace('://', `://${userinfo ? `${userinfo}@` : ''}`)}/${path}.git`;
}

/** `https://user:secret@bitbucket.org/acme/web.git`, both percent-encoded as git expects. */
export function credUrl(username: string, secret: string, path = 'acme/web'): string {
  return bbUrl(`${encodeURIComponent(username)}:${encodeURIComponent(secret)}`, path);
}
