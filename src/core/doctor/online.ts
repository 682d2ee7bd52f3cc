/**
 * Doctor's online rules: which credentials to ask about (once per distinct secret, username and repository),
 * and what the answers mean as findings. The requests themselves follow the one probe planner (probe/plan.ts)
 * in its `diagnose` mode.
 */
import { API_TOKEN_GIT_USERNAME, ACCESS_TOKEN_USERNAME, checkPairing } from '../credential/pairing.js';
import type { Finding } from '../model.js';
import { describeOutcome } from '../probe/outcome.js';
import type { Evidence } from '../probe/evidence.js';
import type { ProbeSubject } from '../probe/plan.js';
import { repositoryScopes } from '../probe/interpret.js';
import { judgeSecret } from '../credential/verdict.js';
import { fixContext } from './context.js';
import type { DoctorFacts, RemoteFacts, SecretUse } from './facts.js';
import * as fixes from '../findings/advice.js';
import { finding } from '../findings/build.js';

export interface ProbeTarget {
  key: string;
  /** The repository URL without credentials: `https://bitbucket.org/ws/repo.git`. */
  repoUrl: string;
  use: SecretUse;
  /** The username git would send. */
  username: string;
  /** Whether push permission matters (a push URL or a remote used for both). */
  push: boolean;
  remotes: RemoteFacts[];
}

/** One target per distinct (secret, username, repository) across all remotes. */
export function planProbes(facts: DoctorFacts): ProbeTarget[] {
  const targets = new Map<string, ProbeTarget>();
  for (const remote of facts.remotes) {
    if (!remote.bitbucket || remote.url.scheme === 'ssh' || !remote.url.workspace || !remote.url.repo)
      continue;
    const origin = facts.endpoints.bitbucketUrl;
    const repoUrl = `${origin}/${remote.url.workspace}/${remote.url.repo}.git`;
    for (const use of remote.candidates) {
      if (!judgeSecret(use.class, use).worthProbing) continue;
      const username = use.username ?? remote.url.username ?? fixes.gitUsernameFor(use.class.kind);
      const key = `${use.secret}\u0000${username}\u0000${repoUrl}`;
      const existing = targets.get(key);
      const push = remote.direction !== 'fetch';
      if (existing) {
        existing.push ||= push;
        existing.remotes.push(remote);
      } else targets.set(key, { key, repoUrl, use, username, push, remotes: [remote] });
    }
  }
  return [...targets.values()];
}

/** The planner's view of a target. */
export function probeSubject(target: ProbeTarget, facts: DoctorFacts): ProbeSubject {
  const s: ProbeSubject = {
    kind: target.use.class.kind,
    username: target.username,
    repoUrl: target.repoUrl,
    push: target.push,
  };
  if (facts.email) s.email = facts.email.value;
  return s;
}

/** Findings from what the server answered for one target; attached to every remote that uses it. */
export function onlineFindings(facts: DoctorFacts, target: ProbeTarget, ev: Evidence): Finding[] {
  const out: Finding[] = [];
  for (const remote of target.remotes) out.push(...findingsForRemote(facts, target, ev, remote));
  return out;
}

function findingsForRemote(
  facts: DoctorFacts,
  target: ProbeTarget,
  ev: Evidence,
  remote: RemoteFacts,
): Finding[] {
  const { use } = target;
  const ctx = { ...fixContext(facts, remote), username: target.username, kind: use.class.kind };
  const at = { ...use.location, remote: remote.name };
  const up = ev.fetch;
  const { read, write } = repositoryScopes(use.class.kind);
  const access = use.class.kind === 'access-token';
  if (!up) return [];
  const evidence = describeOutcome(up.status, up.outcome);
  const opts = { use, evidence };
  const out: Finding[] = [];
  const cached = use.source === 'helper' || use.source === 'netrc';
  const stale = () =>
    finding(
      'stale-cached-credential',
      `${use.source === 'netrc' ? 'The .netrc entry' : `The credential helper (${use.helper ?? 'unknown'})`} keeps handing git a credential Bitbucket refuses; git erases a stored credential only after a 401, never after a 410, so it stays stuck.`,
      at,
      fixes.replaceCredentialFix(ctx, 'Erase it and store a new API token.'),
      opts,
    );
  switch (up.outcome.kind) {
    case 'ok':
      // A fetch-only remote that shares the credential is not hurt by a refused push.
      if (ev.push && ev.push.outcome.kind !== 'ok' && remote.direction !== 'fetch') {
        const scope = ev.push.outcome.kind === 'missing-scope';
        out.push(
          finding(
            'push-not-permitted',
            scope
              ? `Fetch works but push is refused: the token lacks ${access ? `the ${write} scope` : write}.`
              : 'Fetch works but push is refused: the account has read-only permission on this repository.',
            at,
            scope
              ? fixes.scopeFix(ctx, access ? [write] : [read, write])
              : {
                  summary:
                    'Ask a workspace admin for write permission on the repository, or push with an account that has it.',
                  commands: [],
                },
            { use, evidence: describeOutcome(ev.push.status, ev.push.outcome) },
          ),
        );
      }
      break;
    case 'retired':
      out.push(
        finding(
          'app-password-retired',
          'Bitbucket answered HTTP 410 (CHANGE-3222): this is an app password, and app passwords are gone.',
          at,
          fixes.replaceCredentialFix(ctx, 'Replace it with an API token.'),
          opts,
        ),
      );
      if (cached) out.push(stale());
      break;
    case 'rejected':
      // A username the offline rules already flagged (email, wrong static name) needs no second finding
      // when the static username proved the token itself is fine.
      if (!(
        ev.staticUser?.outcome.kind === 'ok' && !checkPairing(use.class.kind, target.username, 'git').ok
      )) {
        out.push(rejected(target, ev, at, ctx, opts));
      }
      if (cached && ev.staticUser?.outcome.kind !== 'ok') out.push(stale());
      break;
    case 'missing-scope': {
      const needed = [read, ...(target.push ? [write] : [])];
      out.push(
        finding(
          'missing-scope',
          `Bitbucket answered 403 "credentials lack one or more required privilege scopes": the token needs ${needed.join(' and ')}${target.push ? ' (fetch needs the first, push both)' : ''}.`,
          at,
          fixes.scopeFix(ctx, needed),
          opts,
        ),
      );
      break;
    }
    case 'no-access':
      out.push(
        finding(
          'no-repository-access',
          `The credential is valid, but ${remote.url.workspace}/${remote.url.repo} answers ${up.outcome.status}: this account cannot see it, or the repository moved or was renamed.`,
          at,
          {
            summary:
              'Check the workspace and repository name in the URL, and ask a workspace admin for access.',
            commands: [`git remote -v`, `git remote set-url ${remote.name} ${fixes.cleanRemoteUrl(ctx)}`],
          },
          opts,
        ),
      );
      break;
    case 'rate-limited':
      out.push(
        finding(
          'rate-limited',
          'Bitbucket rate-limited the check (HTTP 429); the credential stayed unchecked.',
          at,
          { summary: 'Run doctor again in a minute.', commands: ['bbauth doctor'] },
          opts,
        ),
      );
      break;
    case 'network':
    case 'server-error':
    case 'unexpected':
      out.push(
        finding(
          'network-unreachable',
          `Nothing online was checked: ${evidence}. Offline findings still stand.`,
          { ...at, host: up.outcome.kind === 'network' ? up.outcome.host : undefined },
          {
            summary: 'Check the network or the proxy (HTTPS_PROXY, NO_PROXY), or run with --offline.',
            commands: ['bbauth doctor --offline'],
          },
          opts,
        ),
      );
      break;
  }
  return out;
}

function rejected(
  target: ProbeTarget,
  ev: Evidence,
  at: Finding['location'],
  ctx: fixes.FixContext,
  opts: { use: SecretUse; evidence: string },
): Finding {
  const kind = target.use.class.kind;
  if (ev.staticUser?.outcome.kind === 'ok') {
    return finding(
      'credential-rejected',
      `Bitbucket refused the token with username "${target.username}" but accepts it with ${API_TOKEN_GIT_USERNAME}: the username is not this token's Bitbucket username.`,
      at,
      fixes.usernameFix(ctx, kind),
      opts,
    );
  }
  let why: string;
  if (kind === 'api-token') {
    const id = ev.identity?.outcome.kind;
    why =
      id === 'rejected'
        ? 'git and the REST API both refuse this checksum-valid API token: most likely it was created without scopes ("Create API token" instead of "Create API token with scopes"); otherwise it was revoked, has expired, or belongs to another account.'
        : id === 'ok' || id === 'missing-scope'
          ? 'the REST API accepts this token for your email, but git refuses it: check the username and that the token belongs to the account that owns this repository.'
          : 'leading cause: the token was created without scopes ("classic"); otherwise it was revoked, has expired, or belongs to another account. Pass --email so doctor can tell these apart.';
  } else if (kind === 'access-token') {
    why =
      target.username === ACCESS_TOKEN_USERNAME
        ? 'the access token was revoked, has expired, or belongs to another repository.'
        : `access tokens need the username ${ACCESS_TOKEN_USERNAME}.`;
  } else {
    why = 'the secret is wrong, revoked or expired (account passwords stopped working for git in 2022).';
  }
  return finding(
    'credential-rejected',
    `Bitbucket answered 401: ${why}`,
    at,
    fixes.replaceCredentialFix(ctx, 'Create a new API token.'),
    opts,
  );
}

/**
 * The probe that answered for `use` on `remote`, if any. Targets are per distinct credential, and gathering
 * builds one SecretUse per remote, so the match is by remote and secret, never by object identity.
 */
export function probeFor<P extends { target: ProbeTarget }>(
  probes: readonly P[],
  remote: RemoteFacts,
  use: SecretUse,
): P | undefined {
  return probes.find(
    (p) =>
      p.target.remotes.includes(remote) &&
      p.target.use.secret === use.secret &&
      p.target.use.source === use.source,
  );
}
