/**
 * Property tests for the parsers of files that hold credentials: `.netrc`, git's credential protocol, Composer's
 * auth.json and Jenkins' XML. FUZZ_RUNS cases each, fixed seed: nothing throws, nothing takes a second, and a
 * file written the way its own program writes it reads back as what was written.
 */
import { describe, expect, it } from 'vitest';
import { netrcCredentialFor, parseNetrc } from '../../src/core/parse/netrc.js';
import {
  formatCredentialMessage,
  parseCredentialMessage,
  type CredentialMessage,
} from '../../src/core/parse/credential-protocol.js';
import { parseCredentialStore } from '../../src/core/parse/credential-store.js';
import { parseComposerAuth } from '../../src/core/places/composer.js';
import { parseJenkinsCredentials, parseJenkinsJob } from '../../src/core/places/jenkins.js';
import { anyText, charsOf, fc, FUZZ_TIMEOUT_MS, mixedText, property } from '../helpers/fuzz.js';

const printable = (min: number, max: number) =>
  fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
const host = fc.domain().map((d) => d.toLowerCase());

describe('.netrc (fuzzed)', () => {
  const words = [
    'machine',
    'MACHINE',
    'login',
    'password',
    'default',
    'macdef',
    'account',
    '"',
    '\\',
    '#',
    '\n\n',
  ];
  it(
    'any text parses without throwing; every entry sits on a line of the file',
    () => {
      property(fc.oneof(anyText(300), mixedText(words, 120)), (text) => {
        const lines = text.split('\n').length;
        for (const e of parseNetrc(text)) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
          expect(e.machine).toBe(e.machine.toLowerCase());
        }
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  /** curl's quoting: a value with white space, a quote, a backslash or a leading '#' goes in double quotes. */
  const quote = (v: string) =>
    v !== '' && !/[\s"\\]/.test(v) && !v.startsWith('#')
      ? v
      : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;

  it(
    'entries written with curl quoting read back; the one for a host is found whatever the case',
    () => {
      const entry = fc.record({ machine: host, login: printable(1, 30), password: printable(1, 60) });
      property(fc.tuple(fc.array(entry, { maxLength: 6 }), fc.boolean()), ([entries, upper]) => {
        const kw = (k: string) => (upper ? k.toUpperCase() : k);
        const text = entries
          .map(
            (e) =>
              `${kw('machine')} ${e.machine}\n  ${kw('login')} ${quote(e.login)}\n  ${kw('password')} ${quote(e.password)}\n`,
          )
          .join('');
        const parsed = parseNetrc(text);
        expect(parsed.map(({ machine, login, password }) => ({ machine, login, password }))).toEqual(entries);
        expect(parsed.map((e) => e.line)).toEqual(entries.map((_, i) => 3 * i + 1));
        if (entries[0]) {
          const first = entries.find((e) => e.machine === entries[0]!.machine)!;
          expect(
            netrcCredentialFor(parsed, entries[0].machine.toUpperCase(), undefined)?.entry.password,
          ).toBe(first.password);
        }
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz_[]-.';
// Fields without a newline, CR or NUL: git refuses those values, and so does our formatter.
const field = fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => s.replace(/[\n\r\0]/g, ''));

describe('credential protocol (fuzzed)', () => {
  it(
    'any text parses without throwing (helper answers and git requests alike)',
    () => {
      property(
        fc.oneof(anyText(300), mixedText(['=', '[]=', 'url=', 'https://u:p@h/', 'password='], 120)),
        (text) => {
          const msg = parseCredentialMessage(text);
          for (const v of Object.values(msg)) {
            if (v !== undefined) expect(typeof v === 'string' || Array.isArray(v)).toBe(true);
          }
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a message formatted and parsed again is the same message',
    () => {
      const key = charsOf(KEY_CHARS, 1, 12).filter((k) => !k.endsWith('[]') && k !== 'url');
      const message = fc.record(
        {
          capability: fc.array(charsOf('abcdefgh-', 1, 10), { minLength: 1, maxLength: 3 }),
          protocol: fc.constantFrom('https', 'http'),
          host: field,
          path: field,
          username: field,
          password: field,
          password_expiry_utc: fc.nat().map(String),
          extra: fc.dictionary(key, field, { maxKeys: 3 }),
        },
        { requiredKeys: [] },
      );
      property(message, ({ extra, ...known }) => {
        const msg: CredentialMessage = { ...Object.fromEntries(Object.entries(extra ?? {})), ...known };
        expect(parseCredentialMessage(formatCredentialMessage(msg))).toEqual(msg);
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a value with a newline is refused with an error that names the field and never the value',
    () => {
      const bad = fc
        .tuple(field, fc.constantFrom('\n', '\r', '\0'), field)
        .map(([a, c, b]) => `${a}${c}${b}secret-${a.length}`);
      property(fc.tuple(fc.constantFrom('password', 'username', 'host'), bad), ([k, v]) => {
        expect(() => formatCredentialMessage({ [k]: v })).toThrow(new RegExp(`"${k}"`));
        try {
          formatCredentialMessage({ [k]: v });
        } catch (e) {
          expect((e as Error).message).not.toContain(v);
        }
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "git's store file: any text parses without throwing",
    () => {
      property(fc.oneof(anyText(300), mixedText(['https://', ':', '@', '%', '\n'], 120)), (text) => {
        for (const c of parseCredentialStore(text)) expect(c.line).toBeGreaterThanOrEqual(1);
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("Composer's auth.json (fuzzed)", () => {
  it(
    'any text, and any JSON, parses without throwing',
    () => {
      property(
        fc.oneof(
          anyText(200),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ 'http-basic': v })),
        ),
        (text) => {
          parseComposerAuth(text);
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'an auth.json written as Composer writes it gives back every credential with its line',
    () => {
      const basic = fc.dictionary(
        host,
        fc.record({ username: printable(1, 30), password: printable(1, 60) }),
        {
          maxKeys: 4,
        },
      );
      const oauth = fc.dictionary(
        host,
        fc.record({ 'consumer-key': printable(1, 20), 'consumer-secret': printable(1, 40) }),
        { maxKeys: 2 },
      );
      property(fc.tuple(basic, oauth), ([b, o]) => {
        const text = JSON.stringify({ 'http-basic': b, 'bitbucket-oauth': o }, null, 4);
        const got = parseComposerAuth(text)!;
        expect(got.map((c) => [c.type, c.host, c.secret])).toEqual([
          ...Object.entries(b).map(([h, v]) => ['http-basic', h, v.password]),
          ...Object.entries(o).map(([h, v]) => ['bitbucket-oauth', h, v['consumer-secret']]),
        ]);
        const lines = text.split('\n');
        for (const c of got) expect(lines[c.line - 1]).toContain(JSON.stringify(c.secret).slice(1, -1));
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

/** XStream's escaping in Jenkins' XML (its PrettyPrintWriter): the five entities, and CR as a character reference. */
const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xd;');
// XML 1.1 text: no NUL, no other C0 control but tab, newline and CR; no lone surrogates.
const xmlText = (min: number, max: number) =>
  printable(min, max)
    .map((s) => s.replace(/[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '').trim())
    .filter((s) => s.length >= min);

/** The 1-based line of the `nth` occurrence of `needle`. */
function lineOf(text: string, needle: string, nth: number): number {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  return text.slice(0, at).split('\n').length;
}

describe("Jenkins' XML (fuzzed)", () => {
  const tags = [
    '<',
    '>',
    '</',
    '/>',
    '<id>',
    '</id>',
    '<username>',
    '<password>',
    '<![CDATA[',
    ']]>',
    '&amp;',
    '&#x41;',
    '&bogus;',
  ];
  const cred = 'com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl';
  it(
    'any text parses without throwing, whatever the tags',
    () => {
      property(fc.oneof(anyText(300), mixedText([...tags, `<${cred}>`, `</${cred}>`], 150)), (text) => {
        parseJenkinsCredentials(text);
        parseJenkinsJob(text);
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'credentials.xml and a job config.xml written as Jenkins writes them read back exactly',
    () => {
      const c = fc.record({
        id: xmlText(1, 20),
        username: xmlText(1, 30),
        password: fc.oneof(xmlText(1, 40), fc.constant('{AQAAABAAAAAQ+encrypted=}')),
      });
      property(
        fc.tuple(fc.array(c, { maxLength: 4 }), xmlText(1, 40), xmlText(1, 20)),
        ([creds, url, credId]) => {
          const text = [
            "<?xml version='1.1' encoding='UTF-8'?>",
            '<list>',
            ...creds.flatMap((x) => [
              `  <${cred} plugin="credentials@1337.v60b_d7b_c7b_c9f">`,
              `    <id>${xml(x.id)}</id>`,
              `    <username>${xml(x.username)}</username>`,
              `    <password>${xml(x.password)}</password>`,
              `  </${cred}>`,
            ]),
            '</list>',
          ].join('\n');
          expect(parseJenkinsCredentials(text)).toEqual(
            creds.map((x, i) => ({
              id: x.id,
              username: x.username,
              ...(x.password.startsWith('{AQAA') ? {} : { password: x.password }),
              line: lineOf(text, '<username>', i),
            })),
          );
          const job = `<scm><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig>\n<url>${xml(url)}</url>\n<credentialsId>${xml(credId)}</credentialsId>\n</hudson.plugins.git.UserRemoteConfig></userRemoteConfigs></scm>`;
          expect(parseJenkinsJob(job)).toEqual([
            { url, credentialsId: credId, line: lineOf(job, '<credentialsId>', 0), plugin: 'git' },
          ]);
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
