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

/** How many distinct element names may go unclosed before the file is taken as not Jenkins' XML. */
const MAX_UNCLOSED = 64;

/**
 * Each `<name …>body</name>` whose name `wanted` accepts, in linear time on any input: the opening tag is matched
 * with bounded quantifiers that stop at the next `<`, the closing tag found with indexOf from the body on, and a
 * name once found unclosed is not searched for again (a lazy `[\s\S]*?` regex rescans the rest of the file
 * from every opening tag).
 */
function* elements(
  text: string,
  wanted: (name: string) => boolean,
): Generator<{ body: string; bodyStart: number }> {
  const unclosed = new Set<string>();
  const open = /<([\w.$]{1,200})(?:\s[^<>]{0,4096})?>/g;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const name = m[1]!;
    if (!wanted(name) || unclosed.has(name)) continue;
    const bodyStart = m.index + m[0].length;
    const close = text.indexOf(`</${name}>`, bodyStart);
    if (close < 0) {
      unclosed.add(name);
      if (unclosed.size > MAX_UNCLOSED) return;
      continue;
    }
    yield { body: text.slice(bodyStart, close), bodyStart };
    open.lastIndex = close + name.length + 3;
  }
}

/** "Username with password" credentials in a credentials.xml. */
export function parseJenkinsCredentials(text: string): JenkinsCredential[] {
  const out: JenkinsCredential[] = [];
  for (const { body, bodyStart: start } of elements(text, (n) => n.includes('UsernamePassword'))) {
    const id = tag(body, 'id');
    if (!id) continue;
    const user = tag(body, 'username');
    const password = tag(body, 'password');
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
  for (const { body, bodyStart: start } of elements(
    text,
    (n) => n === 'hudson.plugins.git.UserRemoteConfig',
  )) {
    const url = tag(body, 'url');
    if (!url) continue;
    const cred = tag(body, 'credentialsId');
    const r: JenkinsGitRemote = { url: url.value, line: lineAt(text, start + (cred ?? url).index) };
    if (cred) r.credentialsId = cred.value;
    out.push(r);
  }
  return out;
}
