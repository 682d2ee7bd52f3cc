/**
 * The few REST endpoints bbauth needs (`/2.0/user`, `/2.0/repositories/{ws}/{slug}`, `/2.0/user/workspaces`), the
 * cross-workspace endpoints Bitbucket removed on 2026-04-14 (410 CHANGE-2770, facts §11), and the admin token
 * listing of the Atlassian User Management API. Pure: request facts in, reply out.
 */
import { findRepo } from './auth.js';
import { authenticateRest, jsonError, type RestNeed, type RestReply } from './rest-auth.js';
import { accountIds, type EmulatorState } from './state.js';

export interface RestOutcome {
  reply: RestReply;
  tokenId?: string;
  username?: string;
}

const json = (value: unknown, headers: Record<string, string> = {}): RestReply => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(value),
});

function basicUsername(authorization: string | undefined): string | undefined {
  const m = /^basic\s+(\S+)/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
}

/** Answers one REST request on the API listener. `gitUrl` builds clone links. */
export function handleRest(
  state: EmulatorState,
  now: Date,
  req: { method: string; path: string; search?: string; authorization?: string; gitUrl: string },
): RestOutcome {
  const username = basicUsername(req.authorization);
  const admin = /^\/users\/([^/]+)\/manage\/api-tokens\/?$/.exec(req.path);
  if (admin && req.method === 'GET') return { reply: adminTokens(state, req.authorization, admin[1]!) };
  if (req.method !== 'GET') return { reply: jsonError(405, 'Method not allowed'), username };

  const run = (
    need: RestNeed,
    ok: (auth: Extract<ReturnType<typeof authenticateRest>, { ok: true }>) => unknown,
  ) => {
    const auth = authenticateRest(state, now, req.authorization, need);
    if (!auth.ok) return { reply: auth.reply, tokenId: auth.tokenId, username };
    auth.token.lastAccess = now.toISOString();
    return { reply: json(ok(auth), auth.headers), tokenId: auth.token.id, username };
  };

  const removedHere = state.settings?.removedEndpoints?.includes(req.path.replace(/\/+$/, ''));
  if (removedHere || isRemovedEndpoint(req.path, req.search ?? ''))
    return { reply: removedEndpoint(), username };
  if (req.path === '/2.0/user' || req.path === '/2.0/user/') {
    return run({ granular: ['read:user:bitbucket'], legacy: 'forbidden' }, ({ account }) => {
      const a = account!;
      const ids = accountIds(a);
      return {
        type: 'user',
        username: a.username,
        display_name: a.displayName ?? a.username,
        uuid: ids.uuid,
        account_id: ids.accountId,
        nickname: a.username,
      };
    });
  }
  const repoPath = /^\/2\.0\/repositories\/([^/]+)\/([^/]+)\/?$/.exec(req.path);
  if (repoPath) {
    const [ws, slug] = [decodeURIComponent(repoPath[1]!), decodeURIComponent(repoPath[2]!)];
    const repo = findRepo(state, ws, slug) ?? null;
    const need = {
      granular: ['read:repository:bitbucket'],
      legacy: 'repository',
      repo,
      repoName: `${ws}/${slug}`,
    };
    return run(need, () => ({
      type: 'repository',
      full_name: `${ws}/${slug}`,
      name: slug,
      slug,
      is_private: true,
      workspace: { type: 'workspace', slug: ws },
      project: repo!.project ? { type: 'project', key: repo!.project } : undefined,
      mainbranch: { type: 'branch', name: 'main' },
      links: { clone: [{ name: 'https', href: `${req.gitUrl}/${ws}/${slug}.git` }] },
    }));
  }
  if (req.path === '/2.0/user/workspaces' || req.path === '/2.0/user/workspaces/') {
    return run({ granular: ['read:workspace:bitbucket'], legacy: null }, ({ account, token }) => {
      const slugs = new Set<string>();
      for (const r of state.repositories) {
        if (account ? r.permissions[account.username] : token.resource?.workspace === r.workspace) {
          slugs.add(r.workspace);
        }
      }
      const values = [...slugs].map((slug) => ({
        type: 'workspace_access',
        workspace: { type: 'workspace', slug, name: slug },
      }));
      return { pagelen: 10, page: 1, size: values.length, values };
    });
  }
  return { reply: jsonError(404, `Resource not found: ${req.path}`), username };
}

/** `GET /users/{account_id}/manage/api-tokens` with the admin key as Bearer (facts §9). */
function adminTokens(state: EmulatorState, authorization: string | undefined, accountId: string): RestReply {
  const key = state.settings?.adminKey;
  if (!key || authorization !== `Bearer ${key}`) return jsonError(401, 'Unauthorized');
  const account = state.accounts.find((a) => accountIds(a).accountId === decodeURIComponent(accountId));
  if (!account) return jsonError(404, 'User not found');
  return json(
    state.tokens
      .filter((t) => t.kind === 'api-token' && t.account === account.username && !t.revoked)
      .map((t) => ({
        label: t.id,
        id: t.id,
        createdAt: t.createdAt ?? null,
        expiry: t.expires ?? null,
        lastAccess: t.lastAccess ?? null,
      })),
  );
}

/** `GET /2.0/workspaces`, `GET /2.0/repositories?role=…`, `GET /2.0/user/permissions/*`: gone since 2026-04-14. */
function isRemovedEndpoint(path: string, search: string): boolean {
  const p = path.replace(/\/+$/, '');
  if (p === '/2.0/workspaces' || p.startsWith('/2.0/user/permissions/')) return true;
  return p === '/2.0/repositories' && new URLSearchParams(search).has('role');
}

/** Bitbucket's answer for a removed endpoint (facts §11): 410 naming CHANGE-2770, whoever asks. */
function removedEndpoint(): RestReply {
  return jsonError(
    410,
    'CHANGE-2770 - Functionality has been deprecated. This API endpoint has been removed; see https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-2770',
  );
}
