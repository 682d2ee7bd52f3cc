/**
 * bbauth explain's rules over log lines: rows that produce the ids only a log can show (SSH and GCM failures) and
 * near misses one step away (the same words in another sense) that must not.
 */
import { explainLog } from '../../../src/core/explain.js';
import type { Misses, Produces } from './rows.js';

const explain = (log: string) => () => explainLog(log, 'build.log').findings;

export const explainProduces: Produces[] = [
  {
    name: 'ssh refuses every key',
    rule: 'explainLog',
    run: explain(
      'Cloning into app...\ngit@bitbucket.org: Permission denied (publickey).\nfatal: Could not read from remote repository.\n',
    ),
    id: 'ssh-key-rejected',
    severity: 'error',
    at: { file: 'build.log', line: 2 },
  },
  {
    name: 'known_hosts holds the old RSA key',
    rule: 'explainLog',
    run: explain(
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n',
    ),
    id: 'ssh-host-key-changed',
    severity: 'error',
    at: { line: 2 },
  },
  {
    name: 'GCM cannot write an OAuth token to Windows Credential Manager',
    rule: 'explainLog',
    run: explain('fatal: Failed to write item to store. [0x6f7]\n'),
    id: 'gcm-credential-too-large',
    severity: 'error',
  },
];

export const explainMisses: Misses[] = [
  {
    name: 'a file permission error is not an SSH key',
    rule: 'explainLog',
    run: explain('error: cannot open .git/FETCH_HEAD: Permission denied\n'),
    not: 'ssh-key-rejected',
  },
  {
    name: 'a host key added for the first time is not a changed one',
    rule: 'explainLog',
    run: explain("Warning: Permanently added 'bitbucket.org' (ED25519) to the list of known hosts.\n"),
    not: 'ssh-host-key-changed',
  },
  {
    name: 'a GCM line that stored fine',
    rule: 'explainLog',
    run: explain(
      'info: credential-manager: stored credential for https://bitbucket.org (0x6f8 bytes free)\n',
    ),
    not: 'gcm-credential-too-large',
  },
];
