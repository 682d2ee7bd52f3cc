/**
 * Offline rules: everything doctor can say from shapes, checksums, usernames and configuration alone, before a
 * single request. Pure: facts in, findings out.
 */
import { classifySecret, isTokenLike } from '../credential/secret-class.js';
import { helperKind } from '../parse/credential-helpers.js';
import type { Finding, Location } from '../model.js';
import { maskUrl } from '../redact.js';
import type { DoctorFacts, RemoteFacts, SecretUse } from './facts.js';
import * as fixes from '../findings/advice.js';
import { classFindings, finding, pairingFinding } from '../findings/build.js';
import { extraHeaderFindings } from '../extra-header.js';
import { fixContext, hostOfOrigin } from './context.js';
import { judgeSecret } from '../credential/verdict.js';

/** Username/kind pairing for git, and secrets in the wrong place (URL, extra header). */
function useFindings(remote: RemoteFacts, use: SecretUse, ctx: fixes.FixContext): Finding[] {
  const out: Finding[] = [];
  const at = use.location;
  if (use.source === 'extraheader') out.push(...extraHeaderFindings(use, at, ctx));
  if (use.source !== 'extraheader' || use.scheme === 'basic') {
    const pairing = pairingFinding(use, 'git', at, ctx);
    if (pairing) out.push(pairing);
  }

  if (use.source === 'url') {
    out.push(
      finding(
        'secret-in-remote-url',
        `The URL of remote "${remote.name}" carries a secret: it shows in \`git remote -v\`, .git/config, shell history and CI logs.`,
        at,
        fixes.secretOutOfUrlFix(ctx),
        { use, severity: judgeSecret(use.class).dead ? 'error' : 'warning' },
      ),
    );
    if (remote.chain.helpers.length > 0) {
      out.push(
        finding(
          'credential-in-url-overrides-helper',
          `Because the URL carries a password, git never asks ${remote.chain.helpers.map((h) => h.name).join(', ')}; a new token stored there is ignored.`,
          at,
          fixes.secretOutOfUrlFix(ctx),
          { use },
        ),
      );
    }
  }
  return out;
}

/** What the helper-chain rules look at: one remote, or the Bitbucket host itself outside a repository. */
interface ChainSubject {
  chain: RemoteFacts['chain'];
  candidates: SecretUse[];
  urlUsername?: string;
  urlHasPassword: boolean;
  at: Location;
  ctx: fixes.FixContext;
}

/** Helper configuration: none, GCM's validation trap, order, username mismatch. */
function chainFindings(facts: DoctorFacts, s: ChainSubject): Finding[] {
  const out: Finding[] = [];
  const { chain, at, ctx } = s;
  if (chain.helpers.length === 0) {
    out.push(
      finding(
        'no-credential-helper',
        `No credential.helper applies to ${ctx.origin}: git prompts every time, and jobs without a terminal fail.`,
        chain.resetAt ? { ...at, configOrigin: chain.resetAt.origin } : at,
        fixes.helperFix(ctx),
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
          fixes.usernameFix({ ...ctx, username: others[0]!.username }, 'api-token'),
        ),
      );
    }
  }
  return out;
}

/** Outside a repository: the Bitbucket host's helper chain and what it holds. */
export function hostFindings(facts: DoctorFacts): Finding[] {
  const origin = facts.endpoints.bitbucketUrl;
  const at: Location = { host: hostOfOrigin(origin) };
  const ctx: fixes.FixContext = { origin };
  const out = chainFindings(facts, {
    chain: facts.hostChain,
    candidates: facts.hostCandidates,
    urlHasPassword: false,
    at,
    ctx,
  });
  for (const use of facts.hostCandidates) {
    const useCtx = { ...ctx, username: use.username, kind: use.class.kind };
    out.push(...classFindings(use, useCtx));
    const pairing = pairingFinding(use, 'git', use.location, useCtx);
    if (pairing) out.push(pairing);
  }
  return out;
}

function gcmValidationDisabled(facts: DoctorFacts): boolean {
  const env = facts.env?.GCM_BITBUCKET_VALIDATE_STORED_CREDENTIALS;
  if (env !== undefined) return /^(0|false|no|off)$/i.test(env);
  const entries = facts.config.filter((e) =>
    /^credential\.(.*\.)?bitbucketvalidatestoredcredentials$/i.test(e.key),
  );
  const last = entries[entries.length - 1];
  return last !== undefined && /^(0|false|no|off)$/i.test(last.value ?? '');
}

/** Where a remote lives, masked. */
export function remoteLocation(facts: DoctorFacts, remote: RemoteFacts): Location {
  const loc: Location = { remote: remote.name, url: maskUrl(remote.url.raw), configKey: remote.configKey };
  if (facts.repository) loc.repository = facts.repository;
  if (remote.configOrigin) loc.configOrigin = remote.configOrigin;
  return loc;
}

/** Findings for one remote, offline. */
export function remoteFindings(facts: DoctorFacts, remote: RemoteFacts): Finding[] {
  const at = remoteLocation(facts, remote);
  if (remote.url.scheme === 'ssh') {
    return [
      finding(
        'ssh-remote',
        `Remote "${remote.name}" uses SSH; the app-password retirement does not affect it.`,
        at,
        {
          summary:
            'Nothing to do for HTTPS credentials. `ssh -T git@bitbucket.org` checks that your key is accepted.',
          commands: [],
        },
      ),
    ];
  }
  const ctx = fixContext(facts, remote);
  const out: Finding[] = [];
  if (remote.url.username && isTokenLike(remote.url.username)) {
    out.push(
      finding(
        'token-in-username-field',
        `The URL of remote "${remote.name}" has a token where the username goes; git sends it in the clear in logs, and transfer.credentialsInUrl does not catch it.`,
        at,
        fixes.secretOutOfUrlFix(ctx),
      ),
    );
  }
  for (const use of remote.candidates) {
    const useCtx = { ...ctx, username: use.username, kind: use.class.kind };
    out.push(...classFindings(use, useCtx), ...useFindings(remote, use, useCtx));
  }
  out.push(
    ...chainFindings(facts, {
      chain: remote.chain,
      candidates: remote.candidates,
      urlUsername: remote.url.username,
      urlHasPassword: Boolean(remote.url.password),
      at,
      ctx,
    }),
  );
  return out;
}

/** Plain-text stores and .netrc entries for the Bitbucket host (with or without a repository). */
export function fileFindings(facts: DoctorFacts): Finding[] {
  const origin = facts.endpoints.bitbucketUrl;
  const host = hostOfOrigin(origin);
  const out: Finding[] = [];
  for (const store of facts.stores) {
    for (const e of store.entries) {
      if (e.host !== host || !e.password) continue;
      const use = fileUse(e.password, e.username, { file: store.path, line: e.line, host, helper: 'store' });
      const ctx = { origin, file: store.path, username: e.username, kind: use.class.kind };
      out.push(
        finding(
          'plaintext-credential-store',
          `${store.path} line ${e.line} holds a Bitbucket secret in plain text.`,
          use.location,
          fixes.storeFileFix(ctx),
          { use },
        ),
        ...classFindings(use, ctx),
      );
    }
  }
  const hostname = new URL(origin).hostname;
  for (const rc of facts.netrc) {
    for (const e of rc.entries) {
      // .netrc names hosts without ports (curl matches the hostname alone).
      if (e.machine !== hostname || !e.password) continue;
      const use = fileUse(e.password, e.login, { file: rc.path, line: e.line, host });
      const ctx = { origin, file: rc.path, username: e.login, kind: use.class.kind };
      out.push(
        finding(
          'secret-in-netrc',
          `${rc.path} line ${e.line} holds a Bitbucket secret; curl and git both read it.`,
          use.location,
          fixes.netrcFix(ctx),
          { use },
        ),
        ...classFindings(use, ctx),
      );
    }
  }
  return out;
}

function fileUse(secret: string, username: string | undefined, location: Location): SecretUse {
  return {
    secret,
    username,
    source: location.helper ? 'helper' : 'netrc',
    helper: location.helper,
    location,
    class: classifySecret(secret),
  };
}
