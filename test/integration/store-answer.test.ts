/**
 * Differential test: doctor's in-process answer for store-only helper chains must equal what real
 * `git credential fill` returns, for the same files and questions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { answerFromStores } from '../../src/core/doctor/store-answer.js';
import { parseCredentialStore } from '../../src/core/parse/credential-store.js';
import { parseCredentialMessage } from '../../src/core/parse/credential-protocol.js';

let sb: Sandbox;
const main = () => join(sb.home, '.git-credentials');
const xdg = () => join(sb.home, '.config', 'git', 'credentials');
const extra = () => join(sb.home, 'extra-creds');

beforeAll(() => {
  sb = createSandbox();
  sb.write(
    main(),
    [
      'https://alice:a1@bitbucket.org',
      'https://x-bitbucket-api-token-auth:static1@bitbucket.org',
      'https://bob:b1@bitbucket.org/acme/web.git',
      'http://carol:c1@127.0.0.1:8080',
      'not a url line',
      'https://dave:d1@example.com',
    ].join('\n') + '\n',
  );
  sb.write(xdg(), 'https://erin:e1@bitbucket.org\nhttps://alice:a2@bitbucket.org\n');
  sb.write(extra(), 'https://frank:f1@bitbucket.org\n');
});
afterAll(() => sb.cleanup());

function files() {
  const m = new Map<string, ReturnType<typeof parseCredentialStore>>();
  for (const p of [main(), xdg(), extra()]) {
    const text = readFileSync(p, 'utf8');
    m.set(p, parseCredentialStore(text));
  }
  return m;
}

const CASES: { helpers: string[]; url: string; useHttpPath?: boolean; username?: string; defers?: true }[] = [
  { helpers: ['store'], url: 'https://bitbucket.org/acme/web.git' },
  { helpers: ['store'], url: 'https://alice@bitbucket.org/acme/web.git' },
  { helpers: ['store'], url: 'https://x-bitbucket-api-token-auth@bitbucket.org/' },
  { helpers: ['store'], url: 'https://erin@bitbucket.org/' },
  { helpers: ['store'], url: 'https://nobody@bitbucket.org/' },
  { helpers: ['store'], url: 'https://bitbucket.org/acme/web.git', useHttpPath: true },
  { helpers: ['store'], url: 'https://bob@bitbucket.org/acme/web.git', useHttpPath: true },
  { helpers: ['store'], url: 'http://127.0.0.1:8080/ws/r.git' },
  { helpers: ['store'], url: 'http://127.0.0.1:9999/ws/r.git' },
  // sh leaves `~` alone after `=`: git reads a file literally named `~/extra-creds`; doctor asks git instead.
  { helpers: ['store --file=~/extra-creds'], url: 'https://bitbucket.org/', defers: true },
  { helpers: [`store --file=${'${EXTRA}'}`], url: 'https://bitbucket.org/', defers: true },
  { helpers: ['store --file ~/extra-creds', 'store'], url: 'https://alice@bitbucket.org/' },
  { helpers: ['store'], url: 'https://bitbucket.org/', username: 'erin' },
];

describe('answerFromStores agrees with git credential fill', () => {
  it.each(CASES)('$helpers $url useHttpPath=$useHttpPath username=$username', (c) => {
    const args = ['-c', 'credential.helper='];
    for (const h of c.helpers) args.push('-c', `credential.helper=${h}`);
    if (c.useHttpPath) args.push('-c', 'credential.useHttpPath=true');
    if (c.username) args.push('-c', `credential.username=${c.username}`);
    const res = sb.git([...args, 'credential', 'fill'], { input: `url=${c.url}\n\n` });
    const git = res.status === 0 ? parseCredentialMessage(res.stdout) : undefined;
    const u = new URL(c.url);
    const question: { protocol: string; host: string; username?: string; path?: string } = {
      protocol: u.protocol.slice(0, -1),
      host: u.host,
    };
    const user = u.username || c.username;
    if (user) question.username = user;
    if (c.useHttpPath && u.pathname.length > 1) question.path = u.pathname.slice(1);
    const ours = answerFromStores(c.helpers, question, files(), [main(), xdg()], sb.home);
    if (c.defers) {
      expect(ours).toBeUndefined();
      return;
    }
    expect(ours === null ? undefined : { username: ours?.username, password: ours?.password }).toEqual(
      git ? { username: git.username, password: git.password } : undefined,
    );
  });

  it('leaves chains with any other helper to git', () => {
    expect(
      answerFromStores(['cache'], { protocol: 'https', host: 'bitbucket.org' }, files(), [main()], sb.home),
    ).toBeUndefined();
    expect(
      answerFromStores(
        ['store', 'manager'],
        { protocol: 'https', host: 'bitbucket.org' },
        files(),
        [main()],
        sb.home,
      ),
    ).toBeUndefined();
    expect(
      answerFromStores(
        ['store --odd-flag'],
        { protocol: 'https', host: 'bitbucket.org' },
        files(),
        [main()],
        sb.home,
      ),
    ).toBeUndefined();
  });
});
