/**
 * Turns what doctor found into a fix plan. Pure: facts, findings and probe evidence in; plan and the secrets
 * it refers to out. The choice at its heart: which credential will git use afterwards — a secret already on
 * the machine that the server accepted, or a new token the user supplies.
 */
import { API_TOKEN_GIT_USERNAME, checkPairing } from '../credential/pairing.js';
import { pushMatters, type DoctorFacts, type RemoteFacts, type SecretUse } from '../doctor/facts.js';
import { NEED_CONFIG_KEY } from '../credential/need.js';
import { cleanRemoteUrl, gitUsernameFor } from '../findings/advice.js';
import type { CredentialKind, Finding } from '../model.js';
import { fingerprint, maskUrl } from '../redact.js';
import type { FixPlan, FixStep } from './plan-types.js';
import { provesDead } from '../findings/catalogue.js';
import { gcmWorkaroundSteps, setRemoteUrlStep } from '../steps/commands.js';
import { helperKind } from '../parse/credential-helpers.js';
import { classifySecret } from '../credential/secret-class.js';
import { judgeSecret } from '../credential/verdict.js';

export interface NewToken {
  secret: string;
  kind: CredentialKind;
}

/** A secret already on this machine, with what the server said when it was sent the way git should send it. */
export interface CheckedSecret {
  use: SecretUse;
  fetchOk: boolean;
  pushOk: boolean;
  /** Not asked online (--offline): judged by its shape only. */
  assumed?: boolean;
}

export interface PlanInput {
  facts: DoctorFacts;
  findings: readonly Finding[];
  checked: readonly CheckedSecret[];
  newToken?: NewToken;
  /** Convert Bitbucket HTTPS remotes to SSH instead of repairing their credentials. */
  toSsh?: boolean;
  /**
   * The helper the user chose (`--helper`). When it is not `store` and the store helper holds the host's
   * credentials in plain text, they move into it and the host gets it as its own helper.
   */
  helper?: string;
}

export interface PlannedFix {
  plan: FixPlan;
  /** secretRef → secret; in memory only. */
  secrets: Map<string, string>;
}

interface Working {
  use: SecretUse;
  kind: CredentialKind;
  pushOk: boolean;
}

/** A Bitbucket remote over HTTP(S): the kind whose credentials fix repairs. */
export const httpish = (r: RemoteFacts) =>
  r.bitbucket && (r.url.scheme === 'https' || r.url.scheme === 'http');

/** The best secret on this machine the server accepted (push-capable first, then earliest in git's order). */
function findWorking(checked: PlanInput['checked']): Working | undefined {
  let best: Working | undefined;
  for (const c of checked) {
    if (!c.fetchOk) continue;
    if (!best || (c.pushOk && !best.pushOk)) best = { use: c.use, kind: c.use.class.kind, pushOk: c.pushOk };
  }
  return best;
}

function sourceRef(use: SecretUse): string {
  if (use.source === 'url') return `url:${use.location.remote ?? ''}`;
  if (use.source === 'netrc') return `netrc:${use.location.file}:${use.location.line}`;
  if (use.source === 'extraheader') return `extraheader:${use.location.configKey}`;
  return `helper:${use.helper ?? ''}`;
}

/** `git@bitbucket.org:ws/repo.git` for a remote. */
export function sshUrlFor(facts: DoctorFacts, r: RemoteFacts): string {
  return `git@${new URL(facts.endpoints.bitbucketUrl).hostname}:${r.url.workspace}/${r.url.repo}.git`;
}

/**
 * A `git remote set-url` step for a remote, or the reason it must be done by hand: a URL written through a
 * url.*.insteadOf rule (rewriting the remote would break the alias), or one that is not workspace/repository.
 */
function setUrlStep(facts: DoctorFacts, r: RemoteFacts, to: string, why: string): FixStep | string {
  const raw = facts.config.find((e) => e.key === r.configKey)?.value;
  if (raw !== undefined && raw !== r.url.raw) {
    return `remote "${r.name}" is written through a url.*.insteadOf rule; fix that rule by hand (git config --get-regexp 'url\\..*insteadof').`;
  }
  if (!r.url.workspace || !r.url.repo) {
    return `remote "${r.name}" (${maskUrl(r.url.raw)}) is not a workspace/repository URL; fix it by hand.`;
  }
  const push = r.direction === 'push' && r.configKey.endsWith('.pushurl');
  return setRemoteUrlStep(r.name, to, { push, from: maskUrl(r.url.raw), why });
}

/** The --to-ssh plan: every Bitbucket HTTPS remote to SSH; no token needed. */
function planToSsh(facts: DoctorFacts): PlannedFix {
  const steps: FixStep[] = [];
  const manual: string[] = [];
  for (const r of facts.remotes.filter(httpish)) {
    const step = setUrlStep(
      facts,
      r,
      sshUrlFor(facts, r),
      'SSH keys are not affected by the app-password retirement',
    );
    if (typeof step === 'string') manual.push(step);
    else steps.push(step);
  }
  const plan: FixPlan = { schemaVersion: 1, steps, needsToken: false, manual, verify: [] };
  if (facts.repository) plan.repository = facts.repository;
  return { plan, secrets: new Map() };
}

/**
 * Which credential git will use after the fix: the new token when one is given, else the best working secret on
 * this machine (push-capable where a remote pushes), else a new token is needed — or nothing, with no HTTPS
 * remote. `fix` asks this first, so it obtains and checks a new token before it plans, and plans once.
 */
export type CredentialChoice =
  | { choice: 'new-token'; token: NewToken }
  | { choice: 'working'; working: Working }
  | { choice: 'needs-token'; reason: string }
  | { choice: 'none' };

export function chooseCredential(input: Pick<PlanInput, 'facts' | 'checked' | 'newToken'>): CredentialChoice {
  if (input.newToken) return { choice: 'new-token', token: input.newToken };
  const remotes = input.facts.remotes.filter(httpish);
  const needPush = remotes.some((r) => pushMatters(input.facts, r));
  const working = findWorking(input.checked);
  if (working && (working.pushOk || !needPush)) return { choice: 'working', working };
  if (remotes.length === 0) return { choice: 'none' };
  return {
    choice: 'needs-token',
    reason: working
      ? 'the working credential cannot push; a token with write:repository:bitbucket is needed (if this machine only pulls: bbauth fix --need fetch)'
      : 'no credential on this machine is accepted by Bitbucket; a new API token is needed',
  };
}

/**
 * `--helper X` (not store) while the store helper answers for the host: X becomes the host's helper, every live
 * store entry for the host moves into it under its own username (so the remotes that ask for that username keep
 * working), and the host's lines leave the plain-text files.
 */
function moveOutOfStore(
  input: PlanInput,
  host: string,
  dead: ReadonlySet<string | undefined>,
  planned: readonly FixStep[],
  secrets: Map<string, string>,
): FixStep[] {
  const { facts, helper } = input;
  if (!helper || helperKind(helper) === 'store') return [];
  const storeAnswers = facts.remotes.some((r) => r.chain.helpers.some((h) => helperKind(h.name) === 'store'));
  const entries = facts.stores.flatMap((st) =>
    st.entries.filter((e) => e.host === host && e.password).map((e) => ({ file: st.path, e })),
  );
  if (!storeAnswers || entries.length === 0) return [];
  const out: FixStep[] = [
    {
      action: 'use-helper',
      origin: facts.endpoints.bitbucketUrl,
      helper,
      why: `the store helper keeps Bitbucket secrets in plain text; ${facts.endpoints.bitbucketUrl} gets ${helper} instead`,
    },
  ];
  const stored = new Set(planned.flatMap((s) => (s.action === 'store-credential' ? [s.username] : [])));
  for (const { file, e } of entries) {
    const secret = e.password!;
    const cls = classifySecret(secret);
    const isDead = dead.has(fingerprint(secret)) || judgeSecret(cls).dead;
    // Where a dead credential was, the credential git uses afterwards goes too (as the store helper's rewrite
    // would have done): a remote that asks for that username keeps working.
    const target = planned.find((s) => s.action === 'store-credential');
    if (
      isDead &&
      e.username &&
      !stored.has(e.username) &&
      target?.action === 'store-credential' &&
      !e.username.includes('@') &&
      checkPairing(target.kind, e.username, 'git').ok
    ) {
      stored.add(e.username);
      out.push({ ...target, username: e.username, why: `where the dead credential for ${e.username} was` });
    }
    if (e.username && !stored.has(e.username) && !isDead) {
      stored.add(e.username);
      out.push({
        action: 'store-credential',
        secretRef: `store:${file}:${e.line}`,
        fingerprint: fingerprint(secret),
        kind: cls.kind,
        username: e.username,
        why: `it moves from ${file} into ${helper}, under ${e.username} as before`,
      });
      secrets.set(`store:${file}:${e.line}`, secret);
    }
    if (!planned.some((s) => s.action === 'remove-file-entry' && s.file === file && s.line === e.line))
      out.push({
        action: 'remove-file-entry',
        file,
        line: e.line,
        what: 'credential-store',
        why: `the secret leaves the plain-text file (${helper} keeps it now)`,
      });
  }
  return out;
}

/** Builds the plan. */
export function planFixes(input: PlanInput): PlannedFix {
  if (input.toSsh) return planToSsh(input.facts);
  const { facts, findings } = input;
  const secrets = new Map<string, string>();
  const steps: FixStep[] = [];
  const manual: string[] = [];
  const remotes = facts.remotes.filter(httpish);
  const working = findWorking(input.checked);
  const ids = new Set(findings.map((f) => f.id));

  // 1. The credential git will use afterwards.
  const choice = chooseCredential(input);
  const needsToken = choice.choice === 'needs-token';
  const needsTokenReason = needsToken ? choice.reason : undefined;
  let target: { kind: CredentialKind; username: string } | undefined;
  if (choice.choice === 'new-token') {
    secrets.set('new-token', choice.token.secret);
    target = { kind: choice.token.kind, username: gitUsernameFor(choice.token.kind) };
    steps.push({
      action: 'store-credential',
      secretRef: 'new-token',
      fingerprint: fingerprint(choice.token.secret),
      kind: choice.token.kind,
      username: target.username,
      why: 'the new token replaces every stale entry for the host in the credential helper',
    });
  } else if (choice.choice === 'working') {
    const { working } = choice;
    target = { kind: working.kind, username: gitUsernameFor(working.kind) };
    const inHelperAlready = working.use.source === 'helper' && working.use.username === target.username;
    if (!inHelperAlready) {
      const ref = sourceRef(working.use);
      secrets.set(ref, working.use.secret);
      steps.push({
        action: 'store-credential',
        secretRef: ref,
        fingerprint: fingerprint(working.use.secret),
        kind: working.kind,
        username: target.username,
        why: `the ${working.use.source === 'helper' ? 'stored' : working.use.source} credential works; it moves into the credential helper under ${target.username}`,
      });
    }
  }

  // 2. Remote URLs: no secret, the username that fits the credential.
  const username = target?.username ?? API_TOKEN_GIT_USERNAME;
  const kind = target?.kind ?? 'api-token';
  for (const r of remotes) {
    const wrongUser = r.url.username !== undefined && r.url.username !== username;
    if (!r.url.password && !wrongUser) continue;
    const to = cleanRemoteUrl(
      { origin: facts.endpoints.bitbucketUrl, workspace: r.url.workspace, repo: r.url.repo },
      kind,
    );
    const why = r.url.password
      ? 'the secret leaves the URL (git asks the credential helper instead)'
      : `git must ask the helper for ${username}`;
    const step = setUrlStep(facts, r, to, why);
    if (typeof step === 'string') manual.push(step);
    else steps.push(step);
  }

  // 3. Places that would keep sending a stale or misplaced secret.
  for (const f of findings) {
    if (
      f.id === 'authorization-extraheader' &&
      f.location.configKey &&
      f.location.configOrigin?.startsWith('file:')
    ) {
      const file = f.location.configOrigin.slice('file:'.length);
      if (
        !steps.some((s) => s.action === 'unset-config' && s.key === f.location.configKey && s.file === file)
      ) {
        steps.push({
          action: 'unset-config',
          key: f.location.configKey,
          file,
          why: 'a fixed Authorization header overrides the credential helper',
        });
      }
    }
  }
  const deadFingerprints = new Set(
    findings.filter((f) => provesDead(f.id)).map((f) => f.credential?.fingerprint),
  );
  const host = new URL(facts.endpoints.bitbucketUrl).host;
  const hostname = new URL(facts.endpoints.bitbucketUrl).hostname;
  for (const rc of facts.netrc) {
    for (const e of rc.entries) {
      // .netrc names hosts without ports (curl matches the hostname alone).
      if (e.machine !== hostname || !e.password) continue;
      const moved =
        working?.use.source === 'netrc' &&
        working.use.secret === e.password &&
        steps.some((s) => s.action === 'store-credential');
      if (deadFingerprints.has(fingerprint(e.password)) || moved || input.newToken) {
        steps.push({
          action: 'remove-file-entry',
          file: rc.path,
          line: e.line,
          what: 'netrc',
          why: 'curl sends .netrc credentials before git asks the helper',
        });
      }
    }
  }
  if (!target || !steps.some((s) => s.action === 'store-credential')) {
    // Nothing is re-stored, so git's helper erase will not clean dead store entries: remove them directly.
    for (const st of facts.stores) {
      for (const e of st.entries) {
        if (e.host === host && e.password && deadFingerprints.has(fingerprint(e.password))) {
          steps.push({
            action: 'remove-file-entry',
            file: st.path,
            line: e.line,
            what: 'credential-store',
            why: 'a dead secret git keeps sending',
          });
        }
      }
    }
  }
  steps.push(...moveOutOfStore(input, host, deadFingerprints, steps, secrets));
  // Plain-text files that keep a Bitbucket secret after the fix: only their owner may read them. (git's store
  // helper writes 0600 itself when it rewrites the file; this is for the file nothing else will rewrite.)
  const removed = new Set(
    steps.flatMap((s) => (s.action === 'remove-file-entry' ? [`${s.file}:${s.line}`] : [])),
  );
  const files = [
    ...facts.stores.map((f) => ({ ...f, keeps: f.entries.filter((e) => e.host === host && e.password) })),
    ...facts.netrc.map((f) => ({
      ...f,
      keeps: f.entries.filter((e) => e.machine === hostname && e.password),
    })),
  ];
  for (const f of files) {
    const kept = f.keeps.filter((e) => !removed.has(`${f.path}:${e.line}`));
    if (kept.length > 0 && f.mode !== undefined && (f.mode & 0o077) !== 0) {
      steps.push({
        action: 'restrict-file-mode',
        file: f.path,
        from: f.mode,
        why: `it keeps a Bitbucket secret in plain text and is readable by others (mode ${f.mode.toString(8)}); only you should read it`,
      });
    }
  }
  // `--need` is remembered in the repository, so later runs (and the helper) judge tokens the same way.
  const remembered = facts.config.filter((e) => e.key === NEED_CONFIG_KEY && e.scope === 'local').at(-1);
  if (facts.need.source === 'flag' && facts.repository && remembered?.value !== facts.need.value) {
    steps.push({
      action: 'set-config',
      key: NEED_CONFIG_KEY,
      value: facts.need.value,
      scope: 'local',
      why:
        facts.need.value === 'fetch'
          ? 'this repository only fetches: a read-only token is enough, and later runs judge it so'
          : 'this repository pushes: later runs expect a token that can push',
    });
  }
  if (ids.has('gcm-validation-trap')) {
    steps.push(...gcmWorkaroundSteps());
  }
  if (ids.has('no-repository-access')) {
    manual.push(
      'the account cannot see a repository (no-repository-access): ask a workspace admin for access, or fix the repository name.',
    );
  }
  if (ids.has('helper-order'))
    manual.push(
      'credential helpers are in an order that hides the stored token (helper-order): see `bbauth doctor`.',
    );

  const plan: FixPlan = {
    schemaVersion: 1,
    steps: needsToken ? steps.filter((s) => s.action !== 'store-credential') : steps,
    needsToken,
    manual,
    verify: remotes
      .map((r) => ({ remote: r.name, push: pushMatters(facts, r) }))
      .filter((v, i, a) => a.findIndex((x) => x.remote === v.remote) === i),
  };
  if (needsTokenReason) plan.needsTokenReason = needsTokenReason;
  if (facts.repository) plan.repository = facts.repository;
  return { plan, secrets };
}
