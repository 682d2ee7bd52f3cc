/**
 * The rules for the credential-helper chain git runs for Bitbucket: none configured, Git Credential Manager's
 * validation trap, an order or reset that hides the stored token, a URL username that never finds it. Doctor
 * applies them to each remote and, outside a repository, to the host.
 */
import { classifySecret } from '../credential/secret-class.js';
import type { SecretUse } from '../credential/use.js';
import { hostOfOrigin, type Endpoints } from '../endpoints.js';
import type { HelperChain } from '../parse/credential-helpers.js';
import type { ConfigEntry } from '../parse/git-config.js';
import type { StoredCredential } from '../parse/credential-store.js';
import * as fixes from '../findings/advice.js';
import { finding } from '../findings/build.js';
import type { Finding, Location } from '../model.js';
import { helperKind, helperProgram } from '../parse/credential-helpers.js';
import { urlScopedEntries } from '../parse/url-match.js';
import { askPassLabel, type AskPass } from './askpass.js';

/**
 * A helper git skips as if it held nothing: its program is missing (no `failed`), or it runs and fails when asked
 * (`failed`: a keychain helper with no keyring to talk to, such as libsecret without a Secret Service).
 */
export interface UnusableHelper {
  name: string;
  failed?: { code: number; said?: string };
}

/** What the helper-chain rules look at: one remote, or the Bitbucket host itself outside a repository. */
/** What the chain rules read of the machine (doctor's facts fit). */
export interface ChainFacts {
  endpoints: Endpoints;
  config: readonly ConfigEntry[];
  stores: readonly { path: string; entries: readonly StoredCredential[] }[];
  /** Helper values git skips: it cannot run them, or they fail when asked. */
  unrunnable?: readonly UnusableHelper[];
  /** The askpass program git asks when no helper answers. */
  askPass?: AskPass;
  env?: { GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS?: string };
}

export interface ChainSubject {
  chain: HelperChain;
  candidates: SecretUse[];
  urlUsername?: string;
  urlHasPassword: boolean;
  at: Location;
  ctx: fixes.FixContext;
}

/** Helper configuration: none, GCM's validation trap, order, username mismatch. */
export function chainFindings(facts: ChainFacts, s: ChainSubject): Finding[] {
  const out: Finding[] = [];
  const { chain, at, ctx } = s;
  if (chain.helpers.length === 0) {
    const askPass = facts.askPass;
    out.push(
      finding(
        'no-credential-helper',
        askPass
          ? `No credential.helper applies to ${ctx.origin}: git asks ${askPassLabel(askPass)} every time and keeps nothing it answers.`
          : s.candidates.some((c) => c.source === 'netrc')
            ? `No credential.helper applies to ${ctx.origin}: git sends the .netrc entry, but has nowhere to keep a new token, and when that entry is refused it prompts (or fails without a terminal).`
            : `No credential.helper applies to ${ctx.origin}: git prompts every time, and jobs without a terminal fail.`,
        chain.resetAt ? { ...at, configOrigin: chain.resetAt.origin } : at,
        fixes.helperFix(ctx),
        // The Git plugin hands each job its credential through askpass by design: no helper is needed there.
        askPass?.kind === 'jenkins' ? { severity: 'info' } : {},
      ),
    );
  }
  const unusable = (name: string) => facts.unrunnable?.find((u) => u.name === name);
  for (const h of chain.helpers) {
    const bad = unusable(h.name);
    if (!bad) continue;
    const alone = chain.helpers.every((o) => unusable(o.name));
    const rest = alone ? ' — and no other helper can answer' : '';
    out.push(
      finding(
        'helper-not-runnable',
        bad.failed
          ? `credential.helper "${h.name}" cannot work here: ${failure(h.name, bad.failed)}, so git skips it as if it held nothing and cannot keep a token there${rest}.`
          : `credential.helper "${h.name}" cannot run: ${missing(h.name)}, so git skips it as if it held nothing${rest}.`,
        { ...at, helper: h.name, configOrigin: h.origin },
        bad.failed ? fixes.keychainFix(ctx, h.name) : fixes.helperFix(ctx),
        { severity: alone ? 'error' : 'warning' },
      ),
    );
  }
  const gcm = chain.helpers.find((h) => helperKind(h.name) === 'gcm');
  if (gcm && !gcmValidationDisabled(facts)) {
    out.push(
      finding(
        'gcm-validation-trap',
        'Git Credential Manager validates stored Bitbucket credentials against /2.0/user with the git username, which fails for API tokens, so it discards them and prompts again on every command.',
        { ...at, helper: gcm.name, configOrigin: gcm.origin },
        fixes.gcmFix(ctx),
      ),
    );
  }
  const firstStorage = chain.helpers.findIndex((h) => ['store', 'cache'].includes(helperKind(h.name)));
  if (gcm && firstStorage > chain.helpers.indexOf(gcm)) {
    out.push(
      finding(
        'helper-order',
        `${chain.helpers[firstStorage]!.name} comes after Git Credential Manager, which answers (or prompts) first, so the stored token is never reached.`,
        { ...at, helper: chain.helpers[firstStorage]!.name },
        fixes.helperFix(ctx),
      ),
    );
  }
  const oauth = chain.helpers.findIndex((h) => helperKind(h.name) === 'oauth');
  if (oauth >= 0) {
    const storage = chain.helpers.findIndex(
      (h, i) => i < oauth && helperKind(h.name) !== 'oauth' && helperKind(h.name) !== 'other',
    );
    if (storage < 0) {
      const after = chain.helpers.find(
        (h, i) =>
          i > oauth &&
          ['store', 'cache', 'osxkeychain', 'libsecret', 'wincred', 'gcm'].includes(helperKind(h.name)),
      );
      out.push(
        finding(
          'helper-order',
          after
            ? `git-credential-oauth ("${chain.helpers[oauth]!.name}") comes before ${after.name}: it answers first, so every git command signs in through a browser again and the token ${after.name} keeps is never reached (and without a browser, as in CI or on a server, git fails).`
            : `git-credential-oauth ("${chain.helpers[oauth]!.name}") keeps nothing and no helper before it stores what it gets: every git command signs in through a browser again (and without a browser, as in CI or on a server, git fails).`,
          { ...at, helper: chain.helpers[oauth]!.name, configOrigin: chain.helpers[oauth]!.origin },
          fixes.oauthOrderFix(chain.helpers[oauth]!.name),
        ),
      );
    }
  }
  const host = hostOfOrigin(ctx.origin);
  const storedHere = facts.stores.some((st) => st.entries.some((e) => e.host === host && e.password));
  if (chain.resetAt && storedHere && !chain.helpers.some((h) => helperKind(h.name) === 'store')) {
    out.push(
      finding(
        'helper-order',
        `An empty credential.helper in ${chain.resetAt.origin} resets the helper list, so the token saved in the credential-store file is never used.`,
        { ...at, configOrigin: chain.resetAt.origin },
        fixes.helperFix(ctx),
      ),
    );
  }
  const helperUse = s.candidates.find((c) => c.source === 'helper');
  if (s.urlUsername && !s.urlHasPassword && !helperUse) {
    const others = facts.stores.flatMap((st) =>
      st.entries.filter((e) => e.host === host && e.password && e.username !== s.urlUsername),
    );
    if (others.length > 0) {
      out.push(
        finding(
          'url-username-mismatch',
          `The remote URL asks for user "${s.urlUsername}", but the stored Bitbucket credential is for "${others[0]!.username ?? '(none)'}"; git looks credentials up by URL username, so it never finds it.`,
          at,
          fixes.usernameFix(
            { ...ctx, username: others[0]!.username },
            classifySecret(others[0]!.password!).kind,
          ),
        ),
      );
    }
  }
  return out;
}

/** Why git cannot run a helper whose program is missing, in git's words where it has them. */
function missing(name: string): string {
  const p = helperProgram(name);
  return p.via === 'git'
    ? `git finds no ${p.program} on its exec-path or PATH ("'${p.program.slice(4)}' is not a git command")`
    : `${p.via === 'path' ? p.path : name} is missing or not executable`;
}

/** What a helper did when asked about a host that exists nowhere (its first line of stderr, when it printed one). */
function failure(name: string, failed: NonNullable<UnusableHelper['failed']>): string {
  const p = helperProgram(name);
  const program = p.via === 'git' ? p.program : name;
  return failed.said
    ? `asked for a credential, ${program} exits with status ${failed.code} and prints "${failed.said}"`
    : `asked for a credential, ${program} exits with status ${failed.code}`;
}

/** GCM's validation setting as it applies to the Bitbucket URL (git's URL matching; the env variable wins). */
function gcmValidationDisabled(facts: ChainFacts): boolean {
  const env = facts.env?.GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS;
  if (env !== undefined) return /^(0|false|no|off)$/i.test(env);
  const entries = urlScopedEntries(
    facts.config,
    'credential',
    'bitbucketValidateStoredCredentials',
    `${facts.endpoints.bitbucketUrl}/`,
  );
  const last = entries[entries.length - 1];
  return last !== undefined && /^(0|false|no|off)$/i.test(last.value ?? '');
}
