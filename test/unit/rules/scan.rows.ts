/**
 * Scan's place rules (scanFileText, repoFindings, jenkinsFindings, extraHeaderItems) and scan --verify's
 * verifyFindings: file text in, findings out. Rows that produce each id, and near misses that must not.
 */
import {
  extraHeaderItems,
  foldOwnBackups,
  jenkinsFindings,
  parseGitConfigFile,
  parseJenkinsCredentials,
  parseJenkinsJob,
  placeOf,
  planVerify,
  repoFindings,
  scanFileText,
  verifyFindings,
  type Finding,
  type ProbeResult,
} from '../../helpers/core.js';
import { answer, EMAIL, ORIGIN, secrets } from '../../helpers/facts.js';
import type { Misses, Produces } from './rows.js';

const HOSTS = ['bitbucket.org', 'api.bitbucket.org'];
const OPTS = { hosts: HOSTS, origin: ORIGIN };
const api = secrets.api();
const access = secrets.access();
const app = secrets.app();

/** scanFileText on `text` at `path`, placed by the real placeOf. */
const inFile = (path: string, text: string) => (): Finding[] =>
  scanFileText(path, text, placeOf(path), OPTS).items.flatMap((i) => i.findings);

const BACKUPS = '/home/alice/.config/bbauth/backups';
/** scanFileText on a file, then the fold of bbauth's own backups. */
const scanned = (path: string, text: string) => (): Finding[] =>
  foldOwnBackups(scanFileText(path, text, placeOf(path), OPTS).items, BACKUPS).flatMap((i) => i.findings);

const GIT_CONFIG = '/w/web/.git/config';
const gitConfig = (url: string) => `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${url}\n`;
/** repoFindings over a repository's config file, parsed by the real on-disk parser. */
const inRepo = (text: string) => (): Finding[] =>
  repoFindings('/w/web', parseGitConfigFile(text, GIT_CONFIG, 'local'), HOSTS, ORIGIN).items.flatMap(
    (i) => i.findings,
  );
/** extraHeaderItems over a global config file. */
const inHeaders = (text: string) => (): Finding[] =>
  extraHeaderItems(parseGitConfigFile(text, '/home/alice/.gitconfig', 'global'), ORIGIN).flatMap(
    (i) => i.findings,
  );

const JENKINS = '/var/jenkins';
const CREDS = `${JENKINS}/credentials.xml`;
const JOB = `${JENKINS}/jobs/web/config.xml`;
const credentialsXml = (username: string, password = '{AQAAABAAAAAQ1234567890abcdef=}') =>
  [
    '<list>',
    '  <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>',
    '    <id>bb-cred</id>',
    `    <username>${username}</username>`,
    `    <password>${password}</password>`,
    '  </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>',
    '</list>',
  ].join('\n');
const jobXml = (url: string) =>
  [
    '<project><scm><userRemoteConfigs>',
    '  <hudson.plugins.git.UserRemoteConfig>',
    `    <url>${url}</url>`,
    '    <credentialsId>bb-cred</credentialsId>',
    '  </hudson.plugins.git.UserRemoteConfig>',
    '</userRemoteConfigs></scm></project>',
  ].join('\n');
const branchSourceXml = (server = '') =>
  [
    '<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject><sources><data>',
    '  <jenkins.branch.BranchSource>',
    '  <source class="com.cloudbees.jenkins.plugins.bitbucket.BitbucketSCMSource">',
    '    <id>3f1a</id>',
    server ? `    <serverUrl>${server}</serverUrl>` : '',
    '    <credentialsId>bb-cred</credentialsId>',
    '    <repoOwner>acme</repoOwner>',
    '    <repository>web</repository>',
    '  </source>',
    '  </jenkins.branch.BranchSource>',
    '</data></sources></org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>',
  ].join('\n');
/** jenkinsFindings for one credentials.xml and one job. */
const inJenkins = (creds: string, job: string) => (): Finding[] =>
  jenkinsFindings(
    parseJenkinsCredentials(creds).map((c) => ({ ...c, file: CREDS, home: JENKINS })),
    parseJenkinsJob(job).map((r) => ({ ...r, file: JOB, home: JENKINS })),
    HOSTS,
    ORIGIN,
  ).flatMap((i) => i.findings);

/** verifyFindings for the credential in a repository's remote URL, answered `r`. */
const verified = (url: string, r: ProbeResult) => (): Finding[] => {
  const items = repoFindings(
    '/w/web',
    parseGitConfigFile(gitConfig(url), GIT_CONFIG, 'local'),
    HOSTS,
    ORIGIN,
  ).items;
  return planVerify(items, ORIGIN).flatMap((t) => verifyFindings(t, r, ORIGIN));
};
const urlWith = (user: string, secret: string) =>
  `https://${encodeURIComponent(user)}:${encodeURIComponent(secret)}@bitbucket.org/acme/web.git`;
const at = {
  file: GIT_CONFIG,
  line: 4,
  remote: 'origin',
  configKey: 'remote.origin.url',
  repository: '/w/web',
};
const composer = (username: string, password: string) =>
  JSON.stringify({ 'http-basic': { 'bitbucket.org': { username, password } } }, null, 2);

export const scanProduces: Produces[] = [
  {
    name: "a retired app password in bbauth's own backup of a fix",
    rule: 'foldOwnBackups',
    run: scanned(`${BACKUPS}/2026-12-01T10-00-00-000Z-42/file-0`, `https://alice:${app}@bitbucket.org\n`),
    id: 'bbauth-backup',
    severity: 'info',
    at: { file: `${BACKUPS}/2026-12-01T10-00-00-000Z-42` },
    message: /one Bitbucket secret/,
  },
  {
    name: 'a token assigned in .env',
    rule: 'scanFileText',
    run: inFile('/p/.env', `# deploy\nBITBUCKET_TOKEN=${api}\n`),
    id: 'secret-in-file',
    severity: 'warning',
    at: { file: '/p/.env', line: 2 },
    secret: api,
  },
  {
    name: 'Composer http-basic with the email',
    rule: 'scanFileText',
    run: inFile('/p/auth.json', composer(EMAIL, api)),
    id: 'secret-in-file',
    severity: 'warning',
    at: { file: '/p/auth.json', line: 5, configKey: 'http-basic.bitbucket.org' },
    secret: api,
  },
  {
    name: 'an unencrypted Jenkins password',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml(EMAIL, api), jobXml('git@bitbucket.org:acme/web.git')),
    id: 'secret-in-file',
    severity: 'warning',
    at: { file: CREDS, line: 4, configKey: 'credential bb-cred' },
    secret: api,
  },
  {
    name: 'Composer http-basic with a username, not the email',
    rule: 'scanFileText',
    run: inFile('/p/auth.json', composer('alice', api)),
    id: 'rest-username-not-email',
    severity: 'error',
    at: { file: '/p/auth.json', line: 5 },
    secret: api,
  },
  {
    name: '.netrc for the API host with a username',
    rule: 'scanFileText',
    run: inFile('/h/.netrc', `machine api.bitbucket.org\n  login alice\n  password ${api}\n`),
    id: 'rest-username-not-email',
    severity: 'error',
    at: { file: '/h/.netrc', line: 1, host: 'api.bitbucket.org' },
    secret: api,
  },
  {
    name: 'a curl URL to the API with a username',
    rule: 'scanFileText',
    run: inFile(
      '/p/deploy.sh',
      `curl ${urlWith('alice', api).replace('bitbucket.org/acme/web.git', 'api.bitbucket.org/2.0/user')}\n`,
    ),
    id: 'rest-username-not-email',
    severity: 'error',
    at: { file: '/p/deploy.sh', line: 1 },
  },
  {
    name: 'an access token as the username of a dependency URL',
    rule: 'scanFileText',
    run: inFile('/p/package.json', `{"dependencies":{"lib":"git+https://${access}@bitbucket.org/a/b.git"}}`),
    id: 'token-in-username-field',
    severity: 'warning',
    at: { file: '/p/package.json', line: 1 },
    secret: access,
  },
  {
    name: 'a credential-store file',
    rule: 'scanFileText',
    run: inFile(
      '/h/.git-credentials',
      `https://u:p@github.com\nhttps://x-token-auth:${access}@bitbucket.org\n`,
    ),
    id: 'plaintext-credential-store',
    severity: 'warning',
    at: { file: '/h/.git-credentials', line: 2, host: 'bitbucket.org' },
    secret: access,
  },
  {
    name: 'a .netrc for the git host',
    rule: 'scanFileText',
    run: inFile('/h/.netrc', `machine bitbucket.org login x-token-auth password ${access}\n`),
    id: 'secret-in-netrc',
    severity: 'warning',
    at: { file: '/h/.netrc', line: 1 },
    secret: access,
  },
  {
    name: 'a Jenkins job using an email credential for Bitbucket git',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml(EMAIL), jobXml('https://bitbucket.org/acme/web.git')),
    id: 'email-as-git-username',
    severity: 'error',
    at: { file: CREDS, line: 4, configKey: 'credential bb-cred' },
    message: /credential "bb-cred".*job\(s\) "web"/,
  },
  {
    name: 'a Branch Source job whose credential has the static git username',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml('x-bitbucket-api-token-auth'), branchSourceXml()),
    id: 'rest-username-not-email',
    severity: 'error',
    at: { file: CREDS, line: 4, configKey: 'credential bb-cred' },
    message: /Branch Source uses it for the REST API in job\(s\) "web"/,
  },
  {
    name: 'a remote URL with an app password in a repository config',
    rule: 'repoFindings',
    run: inRepo(gitConfig(urlWith('alice', app))),
    id: 'secret-in-remote-url',
    severity: 'error',
    at,
    secret: app,
  },
  {
    name: 'a remote URL with the token as username',
    rule: 'repoFindings',
    run: inRepo(gitConfig(`https://${api}@bitbucket.org/acme/web.git`)),
    id: 'token-in-username-field',
    severity: 'warning',
    at,
    secret: api,
  },
  {
    name: 'a Bearer API token in a global extraHeader',
    rule: 'extraHeaderItems',
    run: inHeaders(`[http]\n\textraHeader = Authorization: Bearer ${api}\n`),
    id: 'bearer-with-api-token',
    severity: 'error',
    at: { file: '/home/alice/.gitconfig', line: 2, configKey: 'http.extraheader' },
    secret: api,
  },
  {
    name: 'a Basic access-token header scoped to the host',
    rule: 'extraHeaderItems',
    run: inHeaders(
      `[http "https://bitbucket.org"]\n\textraHeader = Authorization: Basic ${Buffer.from(`x-token-auth:${access}`).toString('base64')}\n`,
    ),
    id: 'authorization-extraheader',
    severity: 'warning',
    at: { file: '/home/alice/.gitconfig', line: 2, configKey: 'http.https://bitbucket.org.extraheader' },
    secret: access,
  },
  {
    name: '410 for the URL app password',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', app), answer.retired()),
    id: 'app-password-retired',
    severity: 'error',
    at,
    secret: app,
  },
  {
    name: '401 for the URL token',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', api), answer.rejected()),
    id: 'credential-rejected',
    severity: 'error',
    at,
    message: /Bitbucket answered 401: leading cause: the token was created without scopes/,
  },
  {
    // The same rule as doctor's: a 5xx means nothing online was checked for this place.
    name: '502 for the URL token',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', api), answer.serverError(502)),
    id: 'network-unreachable',
    severity: 'warning',
    at,
    message: /Nothing online was checked: HTTP 502/,
  },
  {
    name: '403 scope for the URL token',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', api), answer.scope()),
    id: 'missing-scope',
    severity: 'error',
    at,
  },
  {
    name: '404 for the URL token',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', api), answer.noAccess(404)),
    id: 'no-repository-access',
    severity: 'error',
    at,
  },
  {
    name: '429 for the URL token',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', api), answer.rateLimited()),
    id: 'rate-limited',
    severity: 'warning',
    at,
  },
];

export const scanMisses: Misses[] = [
  {
    name: "bbauth's backup copy is not reported as a leak (no app-password error for it)",
    rule: 'foldOwnBackups',
    run: scanned(`${BACKUPS}/b1/file-0`, `https://alice:${app}@bitbucket.org\n`),
    not: 'app-password',
    still: ['bbauth-backup'],
  },
  {
    name: 'a folder that only looks like the backups folder is scanned as any other',
    rule: 'foldOwnBackups',
    run: scanned(`${BACKUPS}-old/b1/.git-credentials`, `https://alice:${app}@bitbucket.org\n`),
    not: 'bbauth-backup',
    still: ['app-password'],
  },
  {
    name: 'a placeholder, not a secret',
    rule: 'scanFileText',
    run: inFile('/p/bitbucket-pipelines.yml', 'script:\n  - export BITBUCKET_TOKEN=${BB_TOKEN}\n'),
    not: 'secret-in-file',
  },
  {
    name: 'a credentialed URL for another host',
    rule: 'scanFileText',
    run: inFile('/p/Dockerfile', 'RUN git clone https://alice:s3cretPassw0rd@github.com/a/b.git\n'),
    not: 'secret-in-file',
  },
  {
    name: 'Composer http-basic with the email',
    rule: 'scanFileText',
    run: inFile('/p/auth.json', composer(EMAIL, api)),
    not: 'rest-username-not-email',
  },
  {
    name: 'the git host in .netrc is not REST',
    rule: 'scanFileText',
    run: inFile('/h/.netrc', `machine bitbucket.org login alice password ${api}\n`),
    not: 'rest-username-not-email',
  },
  {
    name: 'a Jenkins credential with the static username',
    rule: 'jenkinsFindings',
    run: inJenkins(
      credentialsXml('x-bitbucket-api-token-auth'),
      jobXml('https://bitbucket.org/acme/web.git'),
    ),
    not: 'email-as-git-username',
  },
  {
    name: 'a Branch Source job whose credential has the email',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml(EMAIL), branchSourceXml()),
    not: 'rest-username-not-email',
  },
  {
    name: 'a Branch Source job on a Bitbucket Data Center server',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml('x-bitbucket-api-token-auth'), branchSourceXml('https://git.example.com')),
    not: 'rest-username-not-email',
  },
  {
    name: 'a Branch Source job with an email credential is not a git username problem',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml(EMAIL), branchSourceXml()),
    not: 'email-as-git-username',
  },
  {
    name: 'a Jenkins job over SSH',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml(EMAIL), jobXml('git@bitbucket.org:acme/web.git')),
    not: 'email-as-git-username',
  },
  {
    name: 'an encrypted Jenkins password',
    rule: 'jenkinsFindings',
    run: inJenkins(credentialsXml(EMAIL), jobXml('git@bitbucket.org:acme/web.git')),
    not: 'secret-in-file',
  },
  {
    name: 'a remote URL with only a username',
    rule: 'repoFindings',
    run: inRepo(gitConfig('https://x-bitbucket-api-token-auth@bitbucket.org/acme/web.git')),
    not: 'secret-in-remote-url',
  },
  {
    name: 'a header scoped to another host',
    rule: 'extraHeaderItems',
    run: inHeaders(`[http "https://github.com"]\n\textraHeader = Authorization: Bearer ${api}\n`),
    not: 'authorization-extraheader',
  },
  {
    name: 'a header cleared by a later empty value',
    rule: 'extraHeaderItems',
    run: inHeaders(`[http]\n\textraHeader = Authorization: Bearer ${api}\n\textraHeader =\n`),
    not: 'bearer-with-api-token',
  },
  {
    name: '200 for the URL token',
    rule: 'verifyFindings',
    run: verified(urlWith('alice', api), answer.ok()),
    not: 'credential-rejected',
  },
];
