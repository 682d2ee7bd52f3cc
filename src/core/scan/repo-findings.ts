/**
 * A repository's remotes, read from its config files (with includes) instead of one git process each. Only
 * remotes that carry a secret are findings here: scan answers "where is a credential", while helper setup per
 * repository is doctor's job. The rules are the remote-URL place rules doctor applies (places/remote-url.ts).
 */
import { looksLikeEmail } from '../credential/pairing.js';
import { classifySecret, isTokenLike } from '../credential/secret-class.js';
import { secretInUrlFindings, tokenInUsernameFinding } from '../places/remote-url.js';
import { classFindings, finding, pairingFinding } from '../findings/build.js';
import * as fixes from '../findings/advice.js';
import type { Finding, Location } from '../model.js';
import { remotesFrom } from '../parse/git-config.js';
import { effectiveRemoteUrls } from '../parse/insteadof.js';
import { parseRemoteUrl } from '../parse/remote-url.js';
import { maskUrl } from '../redact.js';
import type { SecretUse } from '../credential/use.js';
import type { FileConfigEntry } from './git-config-file.js';
import type { JenkinsCredential, JenkinsGitRemote } from '../places/jenkins.js';
import { isBitbucketHost, isPlaceholder } from './text-detect.js';
import type { ScanItem } from './types.js';

export interface RepoScan {
  items: ScanItem[];
  /** `file:line` of config entries already reported, so the text detectors do not report them again. */
  covered: Set<string>;
}

/** Finds the config entry a remote URL came from: its own key, or the insteadOf rule that rewrote it. */
function sourceEntry(
  entries: readonly FileConfigEntry[],
  name: string,
  raw: string,
  url: string,
): FileConfigEntry | undefined {
  const own = entries.find(
    (e) => (e.key === `remote.${name}.url` || e.key === `remote.${name}.pushurl`) && e.value === raw,
  );
  if (raw === url || !own) return own;
  return (
    entries.find(
      (e) =>
        /^url\..*\.(push)?insteadof$/.test(e.key) && url.startsWith(e.key.slice(4, e.key.lastIndexOf('.'))),
    ) ?? own
  );
}

/** Findings for every credential-carrying Bitbucket remote of one repository. */
export function repoFindings(
  repository: string,
  entries: readonly FileConfigEntry[],
  hosts: readonly string[],
  origin: string,
): RepoScan {
  const items: ScanItem[] = [];
  const covered = new Set<string>();
  for (const r of remotesFrom(entries)) {
    const { fetch, push } = effectiveRemoteUrls(r, entries);
    const raws = [...r.urls, ...r.pushUrls];
    for (const [i, effective] of [...new Set([...fetch, ...push])].entries()) {
      const url = parseRemoteUrl(effective);
      if ((url.scheme !== 'https' && url.scheme !== 'http') || !isBitbucketHost(url.host, hosts)) continue;
      const raw = raws.find((x) => x === effective) ?? raws[Math.min(i, raws.length - 1)] ?? effective;
      const entry = sourceEntry(entries, r.name, raw, effective);
      const at: Location = {
        repository,
        remote: r.name,
        url: maskUrl(effective),
        configKey: entry ? maskUrl(entry.key) : `remote.${r.name}.url`,
      };
      if (entry)
        Object.assign(at, {
          configOrigin: entry.origin,
          file: entry.origin.replace(/^file:/, ''),
          line: entry.line,
        });
      const ctx: fixes.FixContext = { origin, remote: r.name };
      if (url.workspace) ctx.workspace = url.workspace;
      if (url.repo) ctx.repo = url.repo;
      const hasPassword = url.password !== undefined && url.password !== '' && !isPlaceholder(url.password);
      const tokenUser = !hasPassword && url.username !== undefined && isTokenLike(url.username);
      if (!hasPassword && !tokenUser) continue;
      if (entry) covered.add(`${at.file}:${entry.line}`);
      const secret = hasPassword ? url.password! : url.username!;
      const u: SecretUse = {
        secret,
        username: hasPassword ? url.username : undefined,
        source: 'url',
        location: at,
        class: classifySecret(secret),
      };
      const useCtx = { ...ctx, username: u.username, kind: u.class.kind };
      const out: Finding[] = [];
      if (tokenUser) out.push(tokenInUsernameFinding(r.name, at, useCtx, u));
      out.push(...classFindings(u, useCtx));
      const pairing = pairingFinding(u, 'git', at, useCtx);
      if (pairing) out.push(pairing);
      if (hasPassword) out.push(...secretInUrlFindings(u, r.name, useCtx));
      items.push({ secret, kind: u.class.kind, username: u.username, location: at, findings: out });
    }
  }
  return { items, covered };
}

/** `jobs/a/jobs/b/config.xml` under a Jenkins home → `a/b`, the job's full name. */
function jobName(file: string, home: string): string {
  const rel = file.startsWith(`${home}/`) ? file.slice(home.length + 1) : file;
  return rel
    .replace(/^jobs\//, '')
    .replace(/\/config\.xml$/, '')
    .split('/jobs/')
    .join('/');
}

function namesOf(jobs: readonly string[]): string {
  const unique = [...new Set(jobs)].sort();
  const shown = unique
    .slice(0, 5)
    .map((j) => `"${j}"`)
    .join(', ');
  return unique.length > 5 ? `${shown} and ${unique.length - 5} more` : shown;
}

/** How to set a credential's username, in Jenkins' UI and as Configuration as Code. */
function jenkinsAdvice(id: string, username: string): string {
  return (
    `In Jenkins, edit credential "${id}" (Manage Jenkins → Credentials → ${id} → Update) and set its username to ${username}. ` +
    `As Configuration as Code: credentials.system.domainCredentials[].credentials: - usernamePassword: {scope: GLOBAL, id: "${id}", username: "${username}", password: "\${BITBUCKET_API_TOKEN}"}.`
  );
}

const STATIC_USERNAMES = new Set(['x-bitbucket-api-token-auth', 'x-token-auth']);

/**
 * Each Jenkins credential whose username does not fit a plugin that uses it for Bitbucket, once per credential,
 * naming its jobs: the Git plugin sends the username to git (an email fails, 401); Branch Source sends it to the
 * REST API (only the Atlassian email works with an API token; it picks the git username itself).
 */
function jenkinsUsernameFindings(
  credentials: readonly (JenkinsCredential & { file: string; home: string })[],
  remotes: readonly (JenkinsGitRemote & { file: string; home: string })[],
  hosts: readonly string[],
): ScanItem[] {
  const items: ScanItem[] = [];
  for (const cred of credentials) {
    if (cred.username === undefined) continue;
    const uses = remotes.filter((r) => {
      if (r.home !== cred.home || r.credentialsId !== cred.id) return false;
      const url = parseRemoteUrl(r.url);
      return isBitbucketHost(url.host, hosts) && url.scheme !== 'ssh';
    });
    const gitJobs = uses.filter((r) => r.plugin === 'git').map((r) => jobName(r.file, r.home));
    const sourceJobs = uses.filter((r) => r.plugin === 'branch-source').map((r) => jobName(r.file, r.home));
    const at: Location = { file: cred.file, line: cred.line, configKey: `credential ${cred.id}` };
    const email = looksLikeEmail(cred.username);
    if (email && gitJobs.length > 0) {
      const shared =
        sourceJobs.length > 0
          ? ` The Branch Source job(s) ${namesOf(sourceJobs)} need the email in it: give the Git plugin jobs a credential of their own.`
          : '';
      items.push({
        location: at,
        findings: [
          finding(
            'email-as-git-username',
            `Jenkins credential "${cred.id}" has the username ${cred.username}, and the Git plugin sends it to git for Bitbucket in job(s) ${namesOf(gitJobs)}: git over HTTPS refuses the email with an API token (401).${shared}`,
            at,
            { summary: jenkinsAdvice(cred.id, 'x-bitbucket-api-token-auth'), commands: [] },
          ),
        ],
      });
    }
    if (!email && sourceJobs.length > 0) {
      const fixed = STATIC_USERNAMES.has(cred.username);
      items.push({
        location: at,
        findings: [
          finding(
            'rest-username-not-email',
            `Jenkins credential "${cred.id}" has the username ${cred.username}, and Bitbucket Branch Source uses it for the REST API in job(s) ${namesOf(sourceJobs)}: with an API token the REST API takes only the Atlassian email${fixed ? ' (Branch Source picks x-bitbucket-api-token-auth for checkouts itself)' : ', unless this credential is an OAuth consumer (its key and secret)'}.`,
            at,
            { summary: jenkinsAdvice(cred.id, '<your Atlassian account email>'), commands: [] },
            fixed ? {} : { severity: 'warning' },
          ),
        ],
      });
    }
  }
  return items;
}

/** Jenkins: usernames that do not fit the plugin using them, and unencrypted passwords. */
export function jenkinsFindings(
  credentials: readonly (JenkinsCredential & { file: string; home: string })[],
  remotes: readonly (JenkinsGitRemote & { file: string; home: string })[],
  hosts: readonly string[],
  origin: string,
): ScanItem[] {
  const items = jenkinsUsernameFindings(credentials, remotes, hosts);
  // An unencrypted password in credentials.xml is a secret on disk like any other.
  for (const c of credentials) {
    if (!c.password) continue;
    const at: Location = { file: c.file, line: c.line, configKey: `credential ${c.id}` };
    const u: SecretUse = {
      secret: c.password,
      username: c.username,
      source: 'file',
      location: at,
      class: classifySecret(c.password),
    };
    if (u.class.kind === 'unknown' && !/bitbucket/i.test(c.id)) continue;
    const ctx = { origin, file: c.file, username: c.username, kind: u.class.kind };
    items.push({
      secret: c.password,
      kind: u.class.kind,
      location: at,
      findings: [
        finding(
          'secret-in-file',
          `${c.file} line ${c.line} holds the Jenkins credential "${c.id}" unencrypted.`,
          at,
          {
            summary:
              'Re-enter the credential in Jenkins so it is stored encrypted, and revoke the exposed one.',
            commands: [],
          },
          { use: u },
        ),
        ...classFindings(u, ctx),
      ],
    });
  }
  return items;
}
