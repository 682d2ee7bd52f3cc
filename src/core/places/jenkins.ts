/**
 * Jenkins homes (facts §8.2): `credentials.xml` holds "Username with password" credentials whose secrets are
 * encrypted, but whose usernames are not; `jobs/<name>/config.xml` binds a git SCM URL to a credentialsId. The
 * plain Git plugin sends the username as given, so an email username used for a Bitbucket git URL fails (401). The
 * Bitbucket Branch Source plugin (a multibranch job's `BitbucketSCMSource`) is the other way round: it calls the REST
 * API with the credential, which needs the Atlassian email, and swaps in x-bitbucket-api-token-auth for checkouts.
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
  /** `git`: the Git plugin (a job's or a Pipeline's GitSCM); `branch-source`: Bitbucket Branch Source. */
  plugin: 'git' | 'branch-source';
}

/** One element of interest: the text of its direct children, and the line where each child opened. */
interface Found {
  name: string;
  fields: Map<string, { value: string; line: number }>;
}

/**
 * Every element whose name `wanted` accepts, with its direct children's text, read by a SAX parser (entities,
 * numeric character references and CDATA decoded as Jenkins' XStream writes them; linear time on any input). A
 * malformed file is read past the error, as far as it goes: a secret in a half-broken file is still on disk.
 */
function records(text: string, wanted: (name: string, className: string | undefined) => boolean): Found[] {
  const out: Found[] = [];
  const parser = sax.parser(true, { position: true });
  let depth = 0;
  let open: { depth: number; record: Found } | undefined;
  let field: { name: string; line: number; text: string } | undefined;
  parser.onopentag = (tag) => {
    depth++;
    if (!open) {
      const cls = tag.attributes.class;
      const className = typeof cls === 'string' ? cls : undefined;
      // XStream writes a field of a declared type as `<source class="…BitbucketSCMSource">`: the class is the type.
      if (wanted(tag.name, className))
        open = { depth, record: { name: className ?? tag.name, fields: new Map() } };
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

const GIT_REMOTE = 'hudson.plugins.git.UserRemoteConfig';
const BRANCH_SOURCE = 'com.cloudbees.jenkins.plugins.bitbucket.BitbucketSCMSource';

/**
 * A job's config.xml: the Git plugin's remotes (`UserRemoteConfig`, in a freestyle job or a Pipeline's SCM) and a
 * multibranch job's Bitbucket Branch Source (`BitbucketSCMSource`: server, owner, repository; bitbucket.org when
 * no server is named).
 */
export function parseJenkinsJob(text: string): JenkinsGitRemote[] {
  const out: JenkinsGitRemote[] = [];
  const wanted = (n: string, cls: string | undefined): boolean =>
    n === GIT_REMOTE || n === BRANCH_SOURCE || cls === BRANCH_SOURCE;
  for (const { name, fields } of records(text, wanted)) {
    const cred = fields.get('credentialsId');
    let url: { value: string; line: number } | undefined;
    if (name === GIT_REMOTE) url = fields.get('url');
    else {
      const owner = fields.get('repoOwner');
      const repo = fields.get('repository');
      const server = fields.get('serverUrl')?.value.replace(/\/+$/, '') || 'https://bitbucket.org';
      if (owner && repo) url = { value: `${server}/${owner.value}/${repo.value}.git`, line: owner.line };
    }
    if (!url) continue;
    const r: JenkinsGitRemote = {
      url: url.value,
      line: (cred ?? url).line,
      plugin: name === GIT_REMOTE ? 'git' : 'branch-source',
    };
    if (cred) r.credentialsId = cred.value;
    out.push(r);
  }
  return out;
}
