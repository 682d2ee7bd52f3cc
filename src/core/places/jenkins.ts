/**
 * Jenkins homes (facts §8.2): `credentials.xml` holds "Username with password" credentials whose secrets are
 * encrypted, but whose usernames are not; `jobs/<name>/config.xml` binds a git SCM URL to a credentialsId. The
 * plain Git plugin sends the username as given, so an email username used for a Bitbucket git URL fails (401).
 * (The Bitbucket Branch Source plugin swaps in x-bitbucket-api-token-auth itself; its sources are not flagged.)
 */

export interface JenkinsCredential {
  id: string;
  username?: string;
  /** Present only when stored unencrypted (e.g. written by configuration-as-code). */
  password?: string;
  line: number;
}

export interface JenkinsGitRemote {
  url: string;
  credentialsId?: string;
  line: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < offset; j = text.indexOf('\n', j + 1)) line++;
  return line;
}

function xmlDecode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function tag(block: string, name: string): { value: string; index: number } | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(block);
  return m ? { value: xmlDecode(m[1]!), index: m.index } : undefined;
}

/** "Username with password" credentials in a credentials.xml. */
export function parseJenkinsCredentials(text: string): JenkinsCredential[] {
  const out: JenkinsCredential[] = [];
  const re = /<([\w.$]*UsernamePassword[\w.$]*)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g;
  for (const m of text.matchAll(re)) {
    const body = m[2]!;
    const id = tag(body, 'id');
    if (!id) continue;
    const user = tag(body, 'username');
    const password = tag(body, 'password');
    const start = m.index + m[0].indexOf(body);
    const c: JenkinsCredential = { id: id.value, line: lineAt(text, start + (user ?? id).index) };
    if (user) c.username = user.value;
    // `{AQAA…}` is Jenkins' encrypted form; anything else is a plain secret on disk.
    if (password && password.value !== '' && !/^\{[A-Za-z0-9+/=]+\}$/.test(password.value)) {
      c.password = password.value;
    }
    out.push(c);
  }
  return out;
}

/** The plain Git plugin's remotes (`UserRemoteConfig`) of a job's config.xml. */
export function parseJenkinsJob(text: string): JenkinsGitRemote[] {
  const out: JenkinsGitRemote[] = [];
  const re = /<hudson\.plugins\.git\.UserRemoteConfig>([\s\S]*?)<\/hudson\.plugins\.git\.UserRemoteConfig>/g;
  for (const m of text.matchAll(re)) {
    const body = m[1]!;
    const url = tag(body, 'url');
    if (!url) continue;
    const cred = tag(body, 'credentialsId');
    const start = m.index + m[0].indexOf(body);
    const r: JenkinsGitRemote = { url: url.value, line: lineAt(text, start + (cred ?? url).index) };
    if (cred) r.credentialsId = cred.value;
    out.push(r);
  }
  return out;
}
