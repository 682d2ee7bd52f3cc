/**
 * `fix --all`'s Composer steps. Pure. Composer's auth.json keeps `http-basic.<host>` {username, password}, which
 * Composer sends to Bitbucket's REST API: an API token there needs the Atlassian email as username. An entry that
 * holds a dead or replaced secret is rewritten to the email and the machine's token; without either, the user is
 * told what to put there.
 */
import { basename } from 'node:path';
import { classifySecret } from '../credential/secret-class.js';
import { judgeSecret } from '../credential/verdict.js';
import { provesDead } from '../findings/catalogue.js';
import { fingerprint } from '../redact.js';
import type { ScanItem } from '../scan/types.js';
import type { FixStep } from './plan-types.js';
import type { NewToken } from './plan.js';

/** Composer auth.json entries for the host that hold a dead or replaced secret: rewritten to email + token. */
export function composerSteps(
  items: readonly ScanItem[],
  replaced: ReadonlySet<string>,
  token: NewToken | undefined,
  email: string | undefined,
  refOf: (secret: string) => string,
): { steps: FixStep[]; manual: string[] } {
  const steps: FixStep[] = [];
  const manual: string[] = [];
  for (const it of items) {
    const file = it.location.file;
    const key = it.location.configKey;
    if (!file || basename(file) !== 'auth.json' || !key?.startsWith('http-basic.') || !it.secret) continue;
    const stale =
      replaced.has(it.secret) ||
      judgeSecret(classifySecret(it.secret)).dead ||
      it.findings.some((f) => provesDead(f.id));
    if (!stale || it.secret === token?.secret) continue;
    const host = key.slice('http-basic.'.length);
    if (!token || token.kind !== 'api-token') {
      manual.push(
        `${file}: Composer's http-basic entry for ${host} holds a dead secret; put your Atlassian email and an API token there (composer config --global --auth http-basic.${host} <email> <token>, typed at the prompt).`,
      );
      continue;
    }
    if (!email) {
      manual.push(
        `${file}: Composer's http-basic entry for ${host} holds a dead secret, and Composer's REST calls need your Atlassian email with the token: run again with --email <your email>.`,
      );
      continue;
    }
    steps.push({
      action: 'rewrite-composer-auth',
      file,
      host,
      username: email,
      secretRef: refOf(token.secret),
      fingerprint: fingerprint(token.secret),
      why: "Composer sends http-basic to Bitbucket's REST API, which takes the Atlassian email with an API token; its git clones get the token from the credential helper, whichever way the Composer version asks",
    });
  }
  return { steps, manual };
}
