/**
 * git-credential-store's file (`~/.git-credentials`, `$XDG_CONFIG_HOME/git/credentials`, `--file`): one URL per
 * line, `https://user:pass@host[/path]`, user and password percent-encoded. Lines git cannot read as a URL are
 * skipped, as git-credential-store does.
 */
import { credentialFromUrl } from './credential-url.js';

export interface StoredCredential {
  /** 1-based line number. */
  line: number;
  protocol: string;
  /** Port included (`bitbucket.org:8443`). */
  host: string;
  /** Only present when stored with useHttpPath. */
  path?: string;
  username?: string;
  password?: string;
}

/** Parses a credential-store file; never throws. */
export function parseCredentialStore(text: string): StoredCredential[] {
  const out: StoredCredential[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const c = credentialFromUrl(line);
    if (!c || c.protocol === undefined || c.host === undefined || c.host === '') continue;
    const entry: StoredCredential = { line: i + 1, protocol: c.protocol, host: c.host };
    if (c.path !== undefined) entry.path = c.path;
    if (c.username !== undefined) entry.username = c.username;
    if (c.password !== undefined) entry.password = c.password;
    out.push(entry);
  }
  return out;
}
