/**
 * Jenkins homes (facts §8.2): `credentials.xml` holds "Username with password" credentials whose secrets are
 * encrypted, but whose usernames are not; `jobs/<name>/config.xml` binds a git SCM URL to a credentialsId. The
 * plain Git plugin sends the username as given, so an email username used for a Bitbucket git URL fails (401).
 * (The Bitbucket Branch Source plugin swaps in x-bitbucket-api-token-auth itself; its sources are not flagged.)
 */
import sax from 'sax';

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

/** One element of interest: the text of its direct children, and the line where each child opened. */
interface Found {
  fields: Map<string, { value: string; line: number }>;
}

/**
 * Every element whose name `wanted` accepts, with its direct children's text, read by a SAX parser (entities,
 * numeric character references and CDATA decoded as Jenkins' XStream writes them; linear time on any input). A
 * malformed file is read past the error, as far as it goes: a secret in a half-broken file is still on disk.
 */
function records(text: string, wanted: (name: string) => boolean): Found[] {
  const out: Found[] = [];
  const parser = sax.parser(true, { position: true });
  let depth = 0;
  let open: { depth: number; record: Found } | undefined;
  let field: { name: string; line: number; text: string } | undefined;
  parser.onopentag = (tag) => {
    depth++;
    if (!open) {
      if (wanted(tag.name)) open = { depth, record: { fields: new Map() } };
    } else if (depth === open.depth + 1) {
      field = { name: tag.name, line: parser.line + 1, text: '' };
    }
  };
  parser.ontext = parser.oncdata = (t) => {
    if (field) field.text += t;
  };
  parser.onclosetag = () => {
    if (open && field && depth === open.depth + 1) {
      if (!open.record.fields.has(field.name)) {
        open.record.fields.set(field.name, { value: field.text.trim(), line: field.line });
      }
      field = undefined;
    } else if (open && depth === open.depth) {
      out.push(open.record);
      open = undefined;
    }
    depth--;
  };
  parser.onerror = () => {
    // Go on past the error; sax leaves the error set until it is cleared.
    parser.error = null as unknown as Error;
  };
  parser.write(text).close();
  return out;
}

/** "Username with password" credentials in a credentials.xml. */
export function parseJenkinsCredentials(text: string): JenkinsCredential[] {
  const out: JenkinsCredential[] = [];
  for (const { fields } of records(text, (n) => n.includes('UsernamePassword'))) {
    const id = fields.get('id');
    if (!id) continue;
    const user = fields.get('username');
    const password = fields.get('password');
    const c: JenkinsCredential = { id: id.value, line: (user ?? id).line };
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
  for (const { fields } of records(text, (n) => n === 'hudson.plugins.git.UserRemoteConfig')) {
    const url = fields.get('url');
    if (!url) continue;
    const cred = fields.get('credentialsId');
    const r: JenkinsGitRemote = { url: url.value, line: (cred ?? url).line };
    if (cred) r.credentialsId = cred.value;
    out.push(r);
  }
  return out;
}
