/**
 * What the server's answers mean, as findings: the one set of "what the server says" rules, for doctor (per
 * remote, with the static-username retry and REST identity to narrow a refusal) and scan --verify (per place,
 * one request each). Pure: a subject and its evidence in, findings out.
 */
import type { SecretUse } from '../credential/use.js';
import { repositoryScopes } from '../probe/interpret.js';
import type { Evidence } from '../probe/evidence.js';
import { describeOutcome } from '../probe/outcome.js';
import type { Finding, Location } from '../model.js';
import { ACCESS_TOKEN_USERNAME, API_TOKEN_GIT_USERNAME } from '../token/usernames.js';
import { checkPairing } from '../credential/pairing.js';
import * as fixes from './advice.js';
import { finding } from './build.js';

/** One credential at one place, as it was sent. */
export interface ServerSubject {
  use: SecretUse;
  at: Location;
  /** The username sent with it (git's, or the email for the REST identity call). */
  username: string;
  /** Whether push permission matters here. */
  push: boolean;
  /**
   * The place is pushed to, but the machine needs fetch only (`--need fetch`, `bbauth.need`): a refused push is
   * then what a least-privilege token should answer, reported as info.
   */
  pushNotNeeded?: boolean;
  ctx: fixes.FixContext;
  /** `workspace/repo`, when the place names a repository. */
  repo?: string;
  /** The command that checks again (`bbauth doctor`, `bbauth scan --verify`). */
  rerun: string;
}

/** Findings for the answers about one subject: git's fetch (and push), or the REST identity call alone. */
export function serverFindings(s: ServerSubject, ev: Evidence): Finding[] {
  const first = ev.fetch ?? ev.identity;
  if (!first) return [];
  const rest = !ev.fetch;
  const { use, at, ctx } = s;
  const evidence = describeOutcome(first.status, first.outcome);
  const opts = { use, evidence };
  const { read, write } = repositoryScopes(use.class.kind);
  const access = use.class.kind === 'access-token';
  // git keeps re-sending what a helper or .netrc hands it; a file elsewhere is only a copy.
  const cached = use.source === 'helper' || use.source === 'netrc';
  const stale = () =>
    finding(
      'stale-cached-credential',
      `${use.source === 'netrc' ? 'The .netrc entry' : `The credential helper (${use.helper ?? 'unknown'})`} keeps handing git a credential Bitbucket refuses; git erases a stored credential only after a 401, never after a 410, so it stays stuck.`,
      at,
      fixes.replaceCredentialFix(ctx, 'Erase it and store a new API token.'),
      opts,
    );
  const out: Finding[] = [];
  switch (first.outcome.kind) {
    case 'ok':
      if ((s.push || s.pushNotNeeded) && ev.push && ev.push.outcome.kind !== 'ok') {
        const scope = ev.push.outcome.kind === 'missing-scope';
        const refused = scope
          ? `the token lacks ${access ? `the ${write} scope` : write}`
          : 'the account has read-only permission on this repository';
        const pushEvidence = { use, evidence: describeOutcome(ev.push.status, ev.push.outcome) };
        if (!s.push) {
          out.push(
            finding(
              'push-not-permitted',
              `Fetch works and push is refused (${refused}): that is all this machine needs, since it only fetches.`,
              at,
              {
                summary: `Nothing to do while it only pulls. If it must push one day: ${scope ? `a token with ${write}` : 'write permission on the repository'}, and \`bbauth fix --need push\`.`,
                commands: [],
              },
              { ...pushEvidence, severity: 'info' },
            ),
          );
          break;
        }
        const fix = scope
          ? fixes.scopeFix(ctx, access ? [write] : [read, write])
          : {
              summary:
                'Ask a workspace admin for write permission on the repository, or push with an account that has it.',
              commands: [],
            };
        out.push(
          finding(
            'push-not-permitted',
            `Fetch works but push is refused: ${refused}.`,
            at,
            {
              ...fix,
              summary: `${fix.summary} If this machine only pulls, a read-only token is right: \`bbauth fix --need fetch\` remembers that.`,
            },
            pushEvidence,
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
      if (!(ev.staticUser?.outcome.kind === 'ok' && !checkPairing(use.class.kind, s.username, 'git').ok)) {
        out.push(rejected(s, ev, rest, opts));
      }
      if (cached && ev.staticUser?.outcome.kind !== 'ok') out.push(stale());
      break;
    case 'missing-scope': {
      const needed = rest ? ['read:user:bitbucket'] : [read, ...(s.push ? [write] : [])];
      out.push(
        finding(
          'missing-scope',
          `Bitbucket answered 403 "credentials lack one or more required privilege scopes": the token needs ${needed.join(' and ')}${s.push && !rest ? ' (fetch needs the first, push both)' : ''}.`,
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
          `The credential is valid, but ${s.repo ?? 'the repository'} answers ${first.outcome.status}: this account cannot see it, or the repository moved or was renamed.`,
          at,
          {
            summary:
              'Check the workspace and repository name in the URL, and ask a workspace admin for access.',
            commands: ctx.remote
              ? [`git remote -v`, `git remote set-url ${ctx.remote} ${fixes.cleanRemoteUrl(ctx)}`]
              : [],
          },
          opts,
        ),
      );
      break;
    case 'rate-limited': {
      const wait = first.outcome.retryAfterSeconds;
      const unchecked = rest ? 'the REST identity check' : s.push ? 'fetch and push' : 'fetch';
      out.push(
        finding(
          'rate-limited',
          `Bitbucket rate-limited the check (HTTP 429${wait !== undefined ? `, asking to wait ${wait} s: longer than this run waits` : ''}); ${unchecked} stayed unchecked, and the credential was not judged.`,
          at,
          {
            summary: `Run \`${s.rerun}\` again ${wait !== undefined && wait > 60 ? `in ${Math.ceil(wait / 60)} minutes` : 'in a minute'}.`,
            commands: [s.rerun],
          },
          opts,
        ),
      );
      break;
    }
    case 'not-bitbucket':
      out.push(
        finding(
          'unexpected-response',
          `${first.outcome.status} came back, but not from Bitbucket's ${rest ? 'REST API' : 'git endpoint'} (content-type ${first.outcome.contentType || 'none'}${first.outcome.message ? `: "${first.outcome.message}"` : ''}): a captive portal, a proxy's page or a wrong URL answered. The credential stayed unchecked.`,
          at,
          {
            summary:
              'Log in to the network (hotel, train and office portals), check the proxy, and check --bitbucket-url / --api-url; then run again, or use --offline.',
            commands: [`${s.rerun.replace(/ --verify$/, '')} --offline`],
          },
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
          { ...at, host: first.outcome.kind === 'network' ? first.outcome.host : undefined },
          {
            summary: 'Check the network or the proxy (HTTPS_PROXY, NO_PROXY), or run with --offline.',
            commands: [`${s.rerun.replace(/ --verify$/, '')} --offline`],
          },
          opts,
        ),
      );
      break;
  }
  return out;
}

function rejected(
  s: ServerSubject,
  ev: Evidence,
  rest: boolean,
  opts: { use: SecretUse; evidence: string },
): Finding {
  const kind = s.use.class.kind;
  if (ev.staticUser?.outcome.kind === 'ok') {
    return finding(
      'credential-rejected',
      kind === 'access-token'
        ? `Bitbucket refused the access token with username "${s.username}" but accepts it with ${ACCESS_TOKEN_USERNAME}: access tokens work only with that username.`
        : `Bitbucket refused the token with username "${s.username}" but accepts it with ${API_TOKEN_GIT_USERNAME}: the username is not this token's Bitbucket username.`,
      s.at,
      fixes.usernameFix(s.ctx, kind),
      opts,
    );
  }
  let why: string;
  if (kind === 'api-token') {
    const id = ev.identity?.outcome.kind;
    why = rest
      ? 'the REST API refuses this checksum-valid API token for this email: most likely it was created without scopes ("Create API token" instead of "Create API token with scopes"); otherwise it was revoked, has expired, or belongs to another account.'
      : id === 'rejected'
        ? 'git and the REST API both refuse this checksum-valid API token: most likely it was created without scopes ("Create API token" instead of "Create API token with scopes"); otherwise it was revoked, has expired, or belongs to another account.'
        : id === 'ok' || id === 'missing-scope'
          ? 'the REST API accepts this token for your email, but git refuses it: check the username and that the token belongs to the account that owns this repository.'
          : 'leading cause: the token was created without scopes ("classic"); otherwise it was revoked, has expired, or belongs to another account. Pass --email so doctor can tell these apart.';
  } else if (kind === 'access-token') {
    why =
      s.username === ACCESS_TOKEN_USERNAME
        ? 'the access token was revoked, has expired, or belongs to another repository.'
        : `access tokens need the username ${ACCESS_TOKEN_USERNAME}.`;
  } else {
    why = 'the secret is wrong, revoked or expired (account passwords stopped working for git in 2022).';
  }
  return finding(
    'credential-rejected',
    `Bitbucket answered 401: ${why}`,
    s.at,
    fixes.replaceCredentialFix(s.ctx, 'Create a new API token.'),
    opts,
  );
}
