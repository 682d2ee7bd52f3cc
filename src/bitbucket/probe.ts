/**
 * The few requests doctor sends: the same smart-HTTP advertisement request git makes (so the answer is the one
 * git would get), and the REST identity call. Secrets travel only in the Authorization header.
 */
import { NetworkError, request } from '../net/request.js';
import { classifyResponse, type Expected, type ProbeResult } from '../core/probe/outcome.js';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

function basic(username: string, secret: string): string {
  return `Basic ${Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')}`;
}

async function send(
  url: string,
  authorization: string | undefined,
  label: string,
  extra: Record<string, string>,
  expected: Expected,
): Promise<ProbeResult> {
  try {
    const res = await request({
      url,
      headers: { ...(authorization ? { authorization } : {}), ...extra },
      retries: 2,
      maxRetryWaitMs: 10_000,
    });
    return {
      outcome: classifyResponse(res.status, res.headers, res.body, expected, res.truncated),
      status: res.status,
      request: label,
      attempts: res.attempts,
    };
  } catch (error) {
    if (error instanceof NetworkError) {
      const { kind: errorKind, host, proxy, detail } = error;
      return { outcome: { kind: 'network', errorKind, host, proxy, detail }, request: label, attempts: 1 };
    }
    throw error;
  }
}

/**
 * Asks the git endpoint for its ref advertisement, exactly as `git fetch` (upload-pack) or `git push`
 * (receive-pack) would. `repoUrl` is the remote URL without credentials, e.g. https://bitbucket.org/ws/repo.git.
 */
export function probeGit(
  repoUrl: string,
  service: GitService,
  username: string,
  secret: string,
): Promise<ProbeResult> {
  const base = repoUrl.replace(/\/+$/, '');
  const url = `${base}/info/refs?service=${service}`;
  return send(
    url,
    basic(username, secret),
    `GET ${new URL(url).pathname}?service=${service} as ${username}`,
    {
      'git-protocol': 'version=2',
    },
    'git',
  );
}

/** REST identity probe: GET <api>/2.0/user with Basic email:token (facts §2). */
export function probeUser(apiUrl: string, email: string, secret: string): Promise<ProbeResult> {
  return send(`${apiUrl}/2.0/user`, basic(email, secret), `GET /2.0/user as ${email}`, {}, 'json');
}
