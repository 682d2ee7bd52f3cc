/**
 * Doctor's offline rules about usernames and credential helpers (remoteFindings, hostFindings, diagnoseOffline):
 * rows that produce each id, and near misses that must not.
 */
import {
  bbUrl,
  credUrl,
  EMAIL,
  facts,
  GLOBAL_CONFIG,
  HOST,
  LOCAL_CONFIG,
  secrets,
} from '../../helpers/facts.js';
import { helped, offline, onHost, onRemote, origin, STATIC } from './doctor.js';
import type { Misses, Produces } from './rows.js';

/** What git-credential-libsecret prints (after GLib's prefix) when no session bus can be reached. */
const NO_SECRET_SERVICE = {
  code: 1,
  said: 'could not connect to Secret Service: Cannot autolaunch D-Bus without X11 $DISPLAY',
};
const api = secrets.api();
const access = secrets.access();
const app = secrets.app();

export const chainProduces: Produces[] = [
  {
    name: 'the only helper is osxkeychain, which is not installed',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('osxkeychain').unrunnable('osxkeychain').remote(bbUrl())),
    id: 'helper-not-runnable',
    severity: 'error',
    at: { remote: 'origin', helper: 'osxkeychain' },
    message: /git finds no git-credential-osxkeychain/,
  },
  {
    name: 'libsecret is missing, but store after it can answer',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('libsecret').helper('store').unrunnable('libsecret').remote(bbUrl())),
    id: 'helper-not-runnable',
    severity: 'warning',
    at: { remote: 'origin', helper: 'libsecret' },
  },
  {
    name: 'the only helper is libsecret, which is installed but finds no Secret Service (a headless server)',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('libsecret').unrunnable('libsecret', NO_SECRET_SERVICE).remote(bbUrl())),
    id: 'helper-not-runnable',
    severity: 'error',
    at: { remote: 'origin', helper: 'libsecret', configOrigin: GLOBAL_CONFIG },
    message:
      /^credential\.helper "libsecret" cannot work here: asked for a credential, git-credential-libsecret exits with status 1 and prints "could not connect to Secret Service: Cannot autolaunch D-Bus without X11 \$DISPLAY", so git skips it as if it held nothing and cannot keep a token there — and no other helper can answer\.$/,
  },
  {
    name: 'libsecret finds no Secret Service, but store after it can answer',
    rule: 'remoteFindings',
    run: onRemote(
      facts().helper('libsecret').helper('store').unrunnable('libsecret', NO_SECRET_SERVICE).remote(bbUrl()),
    ),
    id: 'helper-not-runnable',
    severity: 'warning',
    at: { remote: 'origin', helper: 'libsecret' },
    message: /cannot keep a token there\.$/,
  },
  {
    name: 'a keychain helper that fails without a word, outside a repository',
    rule: 'hostFindings',
    run: onHost(facts().outsideRepository().helper('osxkeychain').unrunnable('osxkeychain', { code: 1 })),
    id: 'helper-not-runnable',
    severity: 'error',
    at: { host: HOST, helper: 'osxkeychain' },
    message: /git-credential-osxkeychain exits with status 1, so git skips it/,
  },
  {
    name: 'a helper that holds nothing, and no terminal (cron, CI)',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').terminal(false).remote(bbUrl())),
    id: 'no-credential',
    severity: 'error',
    at: { remote: 'origin' },
    message: /no terminal to ask on/,
  },
  {
    // GCM applies URL-scoped settings only to matching URLs: validation off for another host leaves the trap.
    name: 'GCM with validation off only for another host',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('manager')
        .config('credential.https://example.com.bitbucketValidateStoredCredentials', 'false')
        .remote(bbUrl(STATIC)),
    ),
    id: 'gcm-validation-trap',
    severity: 'warning',
    at: { remote: 'origin' },
  },
  // Username and credential pairing
  {
    name: 'the email as git username with an API token',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').remote(credUrl(EMAIL, api))),
    id: 'email-as-git-username',
    severity: 'error',
    at: origin,
    secret: api,
  },
  {
    name: 'the email as username of the host helper outside a repository',
    rule: 'hostFindings',
    run: onHost(facts().outsideRepository().helper('store').hostHelperAnswer(api, EMAIL)),
    id: 'email-as-git-username',
    severity: 'error',
    at: { host: HOST, helper: 'store' },
    secret: api,
  },
  {
    name: 'x-token-auth with an API token',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').remote(credUrl('x-token-auth', api))),
    id: 'wrong-static-username',
    severity: 'error',
    at: origin,
    secret: api,
  },
  {
    name: 'x-bitbucket-api-token-auth with an access token',
    rule: 'remoteFindings',
    run: onRemote(helped(access, STATIC)),
    id: 'wrong-static-username',
    severity: 'error',
    at: { ...origin, helper: 'store' },
    secret: access,
  },
  {
    name: 'an access token with a personal username',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').remote(credUrl('alice', access))),
    id: 'access-token-username',
    severity: 'error',
    at: origin,
    secret: access,
  },
  {
    name: 'an API token sent as Bearer',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').bearerHeader(api).remote(bbUrl())),
    id: 'bearer-with-api-token',
    severity: 'error',
    at: { remote: 'origin', configKey: 'http.extraheader', configOrigin: GLOBAL_CONFIG },
    secret: api,
  },
  {
    name: 'the URL asks for alice, the store holds bob',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('store')
        .store([{ username: 'bob', password: api }])
        .remote(bbUrl('alice')),
    ),
    id: 'url-username-mismatch',
    severity: 'warning',
    at: origin,
    message: /asks for user "alice", but the stored Bitbucket credential is for "bob"/,
  },
  // Credential helpers and caches
  {
    name: 'no helper at all',
    rule: 'remoteFindings',
    run: onRemote(facts().remote(bbUrl(STATIC))),
    id: 'no-credential-helper',
    severity: 'warning',
    at: origin,
  },
  {
    name: 'a helper only for another host',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store', { url: 'https://github.com' }).remote(bbUrl(STATIC))),
    id: 'no-credential-helper',
    severity: 'warning',
    at: origin,
  },
  {
    name: 'an empty helper in the local config resets the global one',
    rule: 'remoteFindings',
    run: onRemote(
      facts().helper('store').helper('', { origin: LOCAL_CONFIG, scope: 'local' }).remote(bbUrl(STATIC)),
    ),
    id: 'no-credential-helper',
    severity: 'warning',
    at: { ...origin, configOrigin: LOCAL_CONFIG },
  },
  {
    name: 'outside a repository, no helper for the host',
    rule: 'hostFindings',
    run: onHost(facts().outsideRepository()),
    id: 'no-credential-helper',
    severity: 'warning',
    at: { host: HOST },
  },
  {
    // git sends the .netrc password (facts §11) and does not prompt while it works.
    name: 'no helper, but .netrc supplies a working token',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .netrc([{ login: STATIC, password: api }])
        .remote(bbUrl(STATIC)),
    ),
    id: 'no-credential-helper',
    severity: 'warning',
    at: origin,
    message: /git sends the \.netrc entry, but has nowhere to keep a new token/,
  },
  {
    name: 'a password in the URL while a helper is configured',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('osxkeychain').remote(credUrl(STATIC, api))),
    id: 'credential-in-url-overrides-helper',
    severity: 'warning',
    at: origin,
    secret: api,
    message: /git never asks osxkeychain/,
  },
  {
    name: 'Git Credential Manager for Bitbucket',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('manager').remote(bbUrl(STATIC))),
    id: 'gcm-validation-trap',
    severity: 'warning',
    at: { ...origin, helper: 'manager', configOrigin: GLOBAL_CONFIG },
  },
  {
    name: 'GCM by its Windows path, validation off in config but on in the environment',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('C:/Program Files/Git/mingw64/bin/git-credential-manager.exe')
        .gcmValidation('false')
        .gcmValidation('true', 'env')
        .remote(bbUrl(STATIC)),
    ),
    id: 'gcm-validation-trap',
    severity: 'warning',
    at: origin,
  },
  {
    name: 'store after GCM',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('manager').helper('store').remote(bbUrl(STATIC))),
    id: 'helper-order',
    severity: 'warning',
    at: { ...origin, helper: 'store' },
  },
  {
    name: 'git-credential-oauth before cache: a browser sign-in every time',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('oauth').helper('cache --timeout 7200').remote(bbUrl())),
    id: 'helper-order',
    severity: 'warning',
    at: { remote: 'origin', helper: 'oauth' },
    message: /git-credential-oauth \("oauth"\) comes before cache --timeout 7200/,
  },
  {
    name: 'git-credential-oauth alone: nothing keeps its token',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('/usr/bin/git-credential-oauth').remote(bbUrl())),
    id: 'helper-order',
    severity: 'warning',
    message: /keeps nothing and no helper before it stores what it gets/,
  },
  {
    name: 'a local empty helper hides the store file that holds the token',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('store')
        .helper('', { origin: LOCAL_CONFIG, scope: 'local' })
        .helper('osxkeychain', { origin: LOCAL_CONFIG, scope: 'local' })
        .store([{ username: STATIC, password: api }])
        .remote(bbUrl(STATIC)),
    ),
    id: 'helper-order',
    severity: 'warning',
    at: { ...origin, configOrigin: LOCAL_CONFIG },
  },
  {
    name: 'outside a repository the host chain is judged',
    rule: 'diagnoseOffline',
    run: offline(facts().outsideRepository().helper('store', { url: 'https://bitbucket.org/acme' })),
    id: 'no-credential-helper',
    severity: 'warning',
    at: { host: HOST },
  },
  // Not HTTPS
  {
    name: 'an SSH remote',
    rule: 'diagnoseOffline',
    run: offline(facts().remote('git@bitbucket.org:acme/web.git')),
    id: 'ssh-remote',
    severity: 'info',
    at: { remote: 'origin', configKey: 'remote.origin.url', url: 'git@bitbucket.org:acme/web.git' },
  },
  {
    name: 'nothing stored, and a Jenkins askpass script not asked',
    rule: 'remoteFindings',
    run: onRemote(
      facts().askPass('/var/jenkins/workspace/job@tmp/pass123.sh', { kind: 'jenkins' }).remote(bbUrl()),
    ),
    id: 'askpass-credential',
    severity: 'warning',
    at: { remote: 'origin', env: 'GIT_ASKPASS' },
    message: /Jenkins Git plugin's askpass script .*--ask-askpass/,
  },
  {
    name: 'core.askPass is reported without an environment variable',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('store')
        .askPass('/usr/lib/ssh/ksshaskpass', { source: 'core.askPass', kind: 'desktop' })
        .remote(bbUrl()),
    ),
    id: 'askpass-credential',
    severity: 'warning',
    at: { remote: 'origin', configKey: 'remote.origin.url' },
    message: /a desktop password dialog \(core\.askPass=/,
  },
  {
    name: 'asked: what the askpass program answered is named, as info',
    rule: 'remoteFindings',
    run: onRemote(
      facts().askPass('/opt/ask.sh').askPassAnswers({ secret: api, username: 'alice' }).remote(bbUrl()),
    ),
    id: 'askpass-credential',
    severity: 'info',
    secret: api,
    message: /answered username "alice"/,
  },
  {
    name: 'asked: an app password from the askpass program is judged like any other',
    rule: 'remoteFindings',
    run: onRemote(
      facts().askPass('/opt/ask.sh').askPassAnswers({ secret: app, username: 'alice' }).remote(bbUrl()),
    ),
    id: 'app-password',
    severity: 'error',
    secret: app,
  },
  {
    name: 'asked: a program that fails leaves git nothing, and no terminal',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .terminal(false)
        .askPass('/opt/ask.sh')
        .askPassAnswers({ why: "unable to read askpass response from '/opt/ask.sh'" })
        .remote(bbUrl()),
    ),
    id: 'no-credential',
    severity: 'error',
  },
  {
    name: 'asked: the failure is said, with the fall-back git takes',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .terminal(true)
        .askPass('/opt/ask.sh')
        .askPassAnswers({ why: 'could not read Username' })
        .remote(bbUrl()),
    ),
    id: 'askpass-credential',
    severity: 'warning',
    message: /gave git nothing .*could not read Username.*falls back to prompting on the terminal/,
  },
  {
    name: 'no helper, and the Jenkins plugin answers through askpass by design',
    rule: 'remoteFindings',
    run: onRemote(facts().askPass('/w/job@tmp/pass1.sh', { kind: 'jenkins' }).remote(bbUrl())),
    id: 'no-credential-helper',
    severity: 'info',
    message: /git asks the Jenkins Git plugin's askpass script/,
  },
];

export const chainMisses: Misses[] = [
  {
    name: 'a helper git can run',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').remote(bbUrl())),
    not: 'helper-not-runnable',
  },
  {
    // A keychain that answers the made-up host with nothing works: it is empty for Bitbucket, not broken.
    name: 'libsecret with a Secret Service that holds nothing, and no terminal',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('libsecret').terminal(false).remote(bbUrl())),
    not: 'helper-not-runnable',
    still: ['no-credential'],
  },
  {
    name: 'nothing stored, but a terminal git can prompt on',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').terminal(true).remote(bbUrl())),
    not: 'no-credential',
  },
  {
    name: 'nothing stored, no terminal, but an askpass program answers',
    rule: 'remoteFindings',
    run: onRemote(
      facts().helper('store').terminal(false).askPass('/usr/share/code/askpass.sh').remote(bbUrl()),
    ),
    not: 'no-credential',
  },
  {
    name: 'a helper that answers comes before the askpass program',
    rule: 'remoteFindings',
    run: onRemote(helped(api).askPass('/opt/ask.sh')),
    not: 'askpass-credential',
  },
  {
    name: 'a password in the URL: git never asks the askpass program',
    rule: 'remoteFindings',
    run: onRemote(facts().askPass('/opt/ask.sh').remote(credUrl(STATIC, api))),
    not: 'askpass-credential',
    still: ['secret-in-remote-url'],
  },
  {
    name: 'no helper, askpass from VS Code: a helper is still worth having (the warning stays)',
    rule: 'remoteFindings',
    run: onRemote(facts().askPass('/x/extensions/git/dist/askpass.sh', { kind: 'vscode' }).remote(bbUrl())),
    not: 'no-credential',
    still: ['no-credential-helper', 'askpass-credential'],
  },
  {
    name: 'no terminal, and the helper holds a token',
    rule: 'remoteFindings',
    run: onRemote(helped(api).terminal(false)),
    not: 'no-credential',
  },
  {
    name: 'the Bitbucket username with an API token',
    rule: 'remoteFindings',
    run: onRemote(helped(api, 'alice')),
    not: 'email-as-git-username',
  },
  {
    name: 'the static username with an API token',
    rule: 'remoteFindings',
    run: onRemote(helped(api)),
    not: 'wrong-static-username',
  },
  {
    name: 'x-token-auth with an access token',
    rule: 'remoteFindings',
    run: onRemote(helped(access, 'x-token-auth')),
    not: 'access-token-username',
  },
  {
    name: 'x-bitbucket-api-token-auth with an access token is the other id',
    rule: 'remoteFindings',
    run: onRemote(helped(access, STATIC)),
    not: 'access-token-username',
    still: ['wrong-static-username'],
  },
  {
    name: 'the helper answered for the URL username',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('store')
        .store([{ username: 'bob', password: api }])
        .remote(bbUrl('alice'), { helperAnswer: { secret: api, username: 'alice' } }),
    ),
    not: 'url-username-mismatch',
  },
  {
    name: 'the store holds the URL username',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('store')
        .store([{ username: 'alice', password: api }])
        .remote(bbUrl('alice')),
    ),
    not: 'url-username-mismatch',
  },
  {
    name: 'a helper scoped to the Bitbucket origin',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store', { url: 'https://bitbucket.org' }).remote(bbUrl(STATIC))),
    not: 'no-credential-helper',
  },
  {
    name: 'a password in the URL and no helper',
    rule: 'remoteFindings',
    run: onRemote(facts().remote(credUrl(STATIC, api))),
    not: 'credential-in-url-overrides-helper',
    still: ['secret-in-remote-url', 'no-credential-helper'],
  },
  {
    name: 'GCM with validation off in config',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('manager').gcmValidation('false').remote(bbUrl(STATIC))),
    not: 'gcm-validation-trap',
  },
  {
    name: 'GCM with validation off in the environment',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('manager-core').gcmValidation('0', 'env').remote(bbUrl(STATIC))),
    not: 'gcm-validation-trap',
  },
  {
    name: 'store before GCM',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('store').helper('manager').remote(bbUrl(STATIC))),
    not: 'helper-order',
    still: ['gcm-validation-trap'],
  },
  {
    name: 'cache before git-credential-oauth, as its README sets it up',
    rule: 'remoteFindings',
    run: onRemote(facts().helper('cache --timeout 7200').helper('oauth').remote(bbUrl())),
    not: 'helper-order',
  },
  {
    name: 'a reset followed by store again',
    rule: 'remoteFindings',
    run: onRemote(
      facts()
        .helper('osxkeychain')
        .helper('', { origin: LOCAL_CONFIG, scope: 'local' })
        .helper('store', { origin: LOCAL_CONFIG, scope: 'local' })
        .store([{ username: STATIC, password: api }])
        .remote(bbUrl(STATIC)),
    ),
    not: 'helper-order',
  },
  {
    name: 'an SSH remote on another host is not Bitbucket',
    rule: 'diagnoseOffline',
    run: offline(facts().helper('store').remote('git@github.com:acme/web.git')),
    not: 'ssh-remote',
  },
  {
    name: 'an HTTPS remote',
    rule: 'diagnoseOffline',
    run: offline(facts().helper('store').remote(bbUrl(STATIC))),
    not: 'ssh-remote',
  },
  {
    name: 'a helper for the repository path: the host chain is not judged while a remote is',
    rule: 'diagnoseOffline',
    run: offline(facts().helper('store', { url: 'https://bitbucket.org/acme' }).remote(bbUrl(STATIC))),
    not: 'no-credential-helper',
  },
];
