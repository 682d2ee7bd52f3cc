/**
 * Doctor's online rules (onlineFindings over the real planProbes targets) and the report's raise rule: what
 * the server answered → findings. Rows that produce each id, and near misses that must not.
 */
import type { Finding, ProbeEvidence } from '../../helpers/core.js';
import {
  answer,
  bbUrl,
  credUrl,
  doctorReport,
  EMAIL,
  facts,
  HOST,
  NETRC_PATH,
  online,
  secrets,
  type FakeFacts,
} from '../../helpers/facts.js';
import { helped, origin, STATIC } from './doctor.js';
import type { Misses, Produces } from './rows.js';

const api = secrets.api();
const access = secrets.access();
const app = secrets.app();
const pw = secrets.password();
const cut = secrets.truncated('api-token', 3);

const onServer = (b: FakeFacts, ev: ProbeEvidence) => (): Finding[] => online(b.build(), ev);
const reported = (b: FakeFacts, ev: ProbeEvidence) => (): Finding[] =>
  doctorReport(b.build(), ev).report.findings;
const { ok, retired, rejected, scope, noAccess, rateLimited, serverError, network, portal } = answer;
const fetchOnly = (secret: string, username = STATIC) =>
  facts().helper('store').remote(bbUrl(username), { direction: 'fetch', helperAnswer: { secret, username } });

export const onlineProduces: Produces[] = [
  {
    name: 'an app password in the URL answered 410',
    rule: 'onlineFindings',
    run: onServer(facts().helper('store').remote(credUrl('alice', app)), { fetch: retired() }),
    id: 'app-password-retired',
    severity: 'error',
    at: origin,
    secret: app,
  },
  {
    name: 'the helper keeps answering an app password that gets 410',
    rule: 'onlineFindings',
    run: onServer(helped(app, 'alice'), { fetch: retired() }),
    id: 'stale-cached-credential',
    severity: 'error',
    at: { ...origin, helper: 'store' },
    secret: app,
    message: /credential helper \(store\).*never after a 410/,
  },
  {
    name: 'a .netrc token refused with either username',
    rule: 'onlineFindings',
    run: onServer(
      facts()
        .netrc([{ login: 'alice', password: api }])
        .remote(bbUrl('alice')),
      {
        fetch: rejected(),
        staticUser: rejected(),
      },
    ),
    id: 'stale-cached-credential',
    severity: 'error',
    at: { remote: 'origin', file: NETRC_PATH, line: 1 },
    secret: api,
    message: /^The \.netrc entry/,
  },
  {
    // unscoped-token has no rule of its own: it is the leading cause named inside credential-rejected.
    name: 'git and REST both refuse a checksum-valid API token (unscoped)',
    rule: 'onlineFindings',
    run: onServer(helped(api, 'alice').email(), {
      fetch: rejected(),
      staticUser: rejected(),
      identity: rejected(),
    }),
    id: 'credential-rejected',
    severity: 'error',
    at: { ...origin, helper: 'store' },
    secret: api,
    message: /created without scopes \("Create API token" instead of "Create API token with scopes"\)/,
  },
  {
    name: 'git refuses, no email to ask REST with',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: rejected() }),
    id: 'credential-rejected',
    severity: 'error',
    at: origin,
    message: /leading cause: the token was created without scopes.*Pass --email/,
  },
  {
    name: 'git refuses, REST accepts the token for the email',
    rule: 'onlineFindings',
    run: onServer(helped(api, 'alice').email(), {
      fetch: rejected(),
      staticUser: rejected(),
      identity: ok(),
    }),
    id: 'credential-rejected',
    severity: 'error',
    message: /the REST API accepts this token for your email, but git refuses it/,
  },
  {
    name: 'refused as alice, accepted as the static username',
    rule: 'onlineFindings',
    run: onServer(helped(api, 'alice'), { fetch: rejected(), staticUser: ok() }),
    id: 'credential-rejected',
    severity: 'error',
    message: /refused the token with username "alice" but accepts it with x-bitbucket-api-token-auth/,
  },
  {
    name: 'an access token refused with x-token-auth',
    rule: 'onlineFindings',
    run: onServer(helped(access, 'x-token-auth'), { fetch: rejected() }),
    id: 'credential-rejected',
    severity: 'error',
    message: /revoked, has expired, or belongs to another repository/,
  },
  {
    name: 'an account password refused',
    rule: 'onlineFindings',
    run: onServer(facts().helper('store').remote(credUrl('alice', pw)), { fetch: rejected() }),
    id: 'credential-rejected',
    severity: 'error',
    secret: pw,
    message: /account passwords stopped working for git in 2022/,
  },
  {
    name: '403 scope on a remote used for push',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: scope() }),
    id: 'missing-scope',
    severity: 'error',
    at: origin,
    secret: api,
    message: /needs read:repository:bitbucket and write:repository:bitbucket \(fetch needs the first/,
  },
  {
    name: '403 scope on a fetch-only remote',
    rule: 'onlineFindings',
    run: onServer(fetchOnly(api), { fetch: scope() }),
    id: 'missing-scope',
    severity: 'error',
    message: /the token needs read:repository:bitbucket\.$/,
  },
  {
    name: '403 scope for an access token',
    rule: 'onlineFindings',
    run: onServer(helped(access, 'x-token-auth'), { fetch: scope() }),
    id: 'missing-scope',
    severity: 'error',
    message: /needs repository and repository:write/,
  },
  {
    name: 'fetch works, push 403 scope',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: ok(), push: scope() }),
    id: 'push-not-permitted',
    severity: 'error',
    at: origin,
    secret: api,
    message: /the token lacks write:repository:bitbucket/,
  },
  {
    name: 'fetch works, push 403 without scope text (read-only permission)',
    rule: 'onlineFindings',
    run: onServer(helped(access, 'x-token-auth'), { fetch: ok(), push: noAccess(403) }),
    id: 'push-not-permitted',
    severity: 'error',
    message: /read-only permission/,
  },
  {
    name: 'fetch works, push 403 scope, on a machine that only fetches (--need fetch): info, not an error',
    rule: 'onlineFindings',
    run: onServer(helped(api).need('fetch'), { fetch: ok(), push: scope() }),
    id: 'push-not-permitted',
    severity: 'info',
    at: origin,
    secret: api,
    message: /all this machine needs/,
  },
  {
    name: 'a read-only access token remembered as fetch-only (git config bbauth.need fetch): info',
    rule: 'onlineFindings',
    run: onServer(helped(access, 'x-token-auth').config('bbauth.need', 'fetch'), {
      fetch: ok(),
      push: noAccess(403),
    }),
    id: 'push-not-permitted',
    severity: 'info',
    message: /read-only permission.*only fetches/,
  },
  {
    name: 'the repository answers 404',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: noAccess(404) }),
    id: 'no-repository-access',
    severity: 'error',
    at: origin,
    secret: api,
    message: /acme\/web answers 404/,
  },
  {
    name: '429',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: rateLimited(30) }),
    id: 'rate-limited',
    severity: 'warning',
    at: origin,
    secret: api,
  },
  {
    name: 'DNS failure through a proxy',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: network('dns', HOST, 'http://proxy:3128') }),
    id: 'network-unreachable',
    severity: 'warning',
    at: { ...origin, host: HOST },
    message: /dns error reaching bitbucket\.org via proxy http:\/\/proxy:3128/,
  },
  {
    name: "a captive portal's 200 text/html where the ref advertisement should be",
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: portal() }),
    id: 'unexpected-response',
    severity: 'warning',
    message:
      /200 came back, but not from Bitbucket's git endpoint \(content-type text\/html; charset=utf-8: "Hotel Wi-Fi Please log in"\)/,
  },
  {
    name: "a portal's 302 to its login page where the ref advertisement should be",
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: answer.redirect('https://portal.example/login') }),
    id: 'unexpected-response',
    severity: 'warning',
    message:
      /302 came back, but not from Bitbucket's git endpoint .*a redirect to https:\/\/portal\.example\/login/,
  },
  {
    name: '502 from the server',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: serverError(502) }),
    id: 'network-unreachable',
    severity: 'warning',
    message: /HTTP 502 server error/,
  },
  {
    name: 'a working-looking URL token refused: secret-in-remote-url is raised to error',
    rule: 'buildReport',
    run: reported(facts().helper('store').remote(credUrl(STATIC, api)), { fetch: rejected() }),
    id: 'secret-in-remote-url',
    severity: 'error',
    at: origin,
    secret: api,
  },
];

export const onlineMisses: Misses[] = [
  {
    // One probe target serves both remotes; the fetch-only mirror is not hurt by the refused push.
    name: 'a fetch-only mirror sharing the token of a push remote whose push is refused',
    rule: 'onlineFindings',
    run: () =>
      onServer(
        helped(api).remote(bbUrl(STATIC), {
          name: 'mirror',
          direction: 'fetch',
          helperAnswer: { secret: api, username: STATIC },
        }),
        { fetch: ok(), push: scope() },
      )().filter((f) => f.location.remote === 'mirror'),
    not: 'push-not-permitted',
  },
  {
    name: 'an app password that still fetches',
    rule: 'onlineFindings',
    run: onServer(helped(app, 'alice'), { fetch: ok(), push: ok() }),
    not: 'app-password-retired',
  },
  {
    name: 'a URL secret is not cached: 410 is not stale',
    rule: 'onlineFindings',
    run: onServer(facts().helper('store').remote(credUrl('alice', app)), { fetch: retired() }),
    not: 'stale-cached-credential',
    still: ['app-password-retired'],
  },
  {
    name: 'the stored token works with the static username',
    rule: 'onlineFindings',
    run: onServer(helped(api, 'alice'), { fetch: rejected(), staticUser: ok() }),
    not: 'stale-cached-credential',
    still: ['credential-rejected'],
  },
  {
    // No rule emits unscoped-token: the very evidence that fits it is reported as credential-rejected.
    name: 'git and REST both refuse a checksum-valid API token',
    rule: 'onlineFindings',
    run: onServer(helped(api, 'alice').email(), {
      fetch: rejected(),
      staticUser: rejected(),
      identity: rejected(),
    }),
    not: 'unscoped-token',
    still: ['credential-rejected'],
  },
  {
    name: 'the email username already flagged offline, token fine as the static username',
    rule: 'onlineFindings',
    run: onServer(helped(api, EMAIL), { fetch: rejected(), staticUser: ok() }),
    not: 'credential-rejected',
  },
  {
    name: 'a damaged token is never probed',
    rule: 'onlineFindings',
    run: onServer(helped(cut), { fetch: rejected() }),
    not: 'credential-rejected',
  },
  {
    name: 'a Bearer API token is never probed',
    rule: 'onlineFindings',
    run: onServer(facts().helper('store').bearerHeader(api).remote(bbUrl()), { fetch: rejected() }),
    not: 'credential-rejected',
  },
  {
    name: '403 without the scope text',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: noAccess(403) }),
    not: 'missing-scope',
    still: ['no-repository-access'],
  },
  {
    name: 'fetch and push both work',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: ok(), push: ok() }),
    not: 'push-not-permitted',
  },
  {
    name: 'fetch-only remote, push never asked',
    rule: 'onlineFindings',
    run: onServer(fetchOnly(api), { fetch: ok() }),
    not: 'push-not-permitted',
  },
  {
    name: '401 is not a permission problem',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: rejected() }),
    not: 'no-repository-access',
  },
  {
    name: '502 is not a rate limit',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: serverError(503) }),
    not: 'rate-limited',
    still: ['network-unreachable'],
  },
  {
    name: "Bitbucket's own 200 ref advertisement is not an unexpected response",
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: ok(), push: ok() }),
    not: 'unexpected-response',
  },
  {
    name: '429 is not the network',
    rule: 'onlineFindings',
    run: onServer(helped(api), { fetch: rateLimited() }),
    not: 'network-unreachable',
    still: ['rate-limited'],
  },
  {
    name: 'an SSH remote is never probed',
    rule: 'onlineFindings',
    run: onServer(facts().remote('git@bitbucket.org:acme/web.git'), { fetch: network() }),
    not: 'network-unreachable',
  },
  {
    name: 'a URL token that works stays a warning',
    rule: 'buildReport',
    run: reported(facts().helper('store').remote(credUrl(STATIC, api)), { fetch: ok(), push: ok() }),
    not: 'credential-rejected',
    still: ['secret-in-remote-url'],
  },
];
