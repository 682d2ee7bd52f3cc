/**
 * Offline rules: everything doctor can say from shapes, checksums, usernames and configuration alone, before a
 * single request. Pure: facts in, findings out.
 */
import { classifySecret, isTokenLike } from '../credential/secret-class.js';
import { chainFindings } from '../places/helper-chain.js';
import type { Finding, Location } from '../model.js';
import { maskUrl } from '../redact.js';
import { reachesAskPass, type DoctorFacts, type RemoteFacts, type SecretUse } from './facts.js';
import { askPassFinding } from '../places/askpass.js';
import * as fixes from '../findings/advice.js';
import { classFindings, finding, pairingFinding } from '../findings/build.js';
import { extraHeaderFindings } from '../places/extra-header.js';
import { fixContext } from './context.js';
import { hostOfOrigin } from '../endpoints.js';
import { netrcEntryFinding, storeEntryFinding } from '../places/credential-files.js';
import { secretInUrlFindings, tokenInUsernameFinding } from '../places/remote-url.js';

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
      ...secretInUrlFindings(
        use,
        remote.name,
        ctx,
        remote.chain.helpers.map((h) => h.name),
      ),
    );
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
    out.push(tokenInUsernameFinding(remote.name, at, ctx));
  }
  const askPass = reachesAskPass(facts, remote);
  if (facts.askPass && (askPass || remote.askPassAnswer)) {
    out.push(
      askPassFinding({
        askPass: facts.askPass,
        remote: remote.name,
        ...(remote.askPassAnswer ? { answer: remote.askPassAnswer } : {}),
        terminal: facts.terminal !== false,
        at,
        ctx,
      }),
    );
  }
  if (remote.candidates.length === 0 && facts.terminal === false && !askPass) {
    out.push(
      finding(
        'no-credential',
        `git has no credential for remote "${remote.name}" and no terminal to ask on, so \`git fetch\` and \`git push\` fail ("could not read Username … terminal prompts disabled").`,
        at,
        fixes.storeTokenFix(),
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
      out.push(storeEntryFinding(use, store.path, e.line, ctx), ...classFindings(use, ctx));
    }
  }
  const hostname = new URL(origin).hostname;
  for (const rc of facts.netrc) {
    for (const e of rc.entries) {
      // .netrc names hosts without ports (curl matches the hostname alone).
      if (e.machine !== hostname || !e.password) continue;
      const use = fileUse(e.password, e.login, { file: rc.path, line: e.line, host });
      const ctx = { origin, file: rc.path, username: e.login, kind: use.class.kind };
      out.push(netrcEntryFinding(use, rc.path, e.line, ctx), ...classFindings(use, ctx));
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

/** Offline findings for every place doctor looked: each Bitbucket remote (or the host), then the files. */
export function diagnoseOffline(facts: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  for (const remote of facts.remotes) if (remote.bitbucket) out.push(...remoteFindings(facts, remote));
  if (!facts.remotes.some((r) => r.bitbucket && r.url.scheme !== 'ssh')) out.push(...hostFindings(facts));
  out.push(...fileFindings(facts));
  return out;
}
