/**
 * Property tests for the parsers of what git reads: remote URLs, config files, includes and their wildmatch
 * conditions. Each runs FUZZ_RUNS cases with a fixed seed: none may throw, none may take a second, and where a
 * text can be built from known parts, parsing it gives the parts back.
 */
import { describe, expect, it } from 'vitest';
import { originOf, parseRemoteUrl, withoutCredentials } from '../../src/core/parse/remote-url.js';
import { parseGitConfigFile } from '../../src/core/scan/git-config-file.js';
import {
  includeConditionHolds,
  loadConfigWithIncludes,
  wildmatchToRegExp,
} from '../../src/core/scan/config-includes.js';
import { anyText, charsOf, fc, FUZZ_TIMEOUT_MS, mixedText, property, textOf } from '../helpers/fuzz.js';

const URL_WORDS = [
  'https://',
  'http://',
  'ssh://',
  'git@',
  '::',
  '://',
  'bitbucket.org',
  '[::1]',
  ':443',
  '%40',
  '%',
];
const anyUrl = fc.oneof(anyText(120), mixedText(URL_WORDS, 80));

/** A well-formed Unicode string (encodeURIComponent refuses lone surrogates, and so would git's users). */
const unicode = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const hostname = fc.domain().map((d) => d.toLowerCase());
const segment = charsOf('abcdefghijklmnopqrstuvwxyz0123456789-_.', 1, 20).filter(
  (s) => s !== '.' && s !== '..',
);

describe('remote URLs (fuzzed)', () => {
  it(
    'any text parses without throwing, keeps its raw form, and loses its credentials when asked',
    () => {
      property(anyUrl, (raw) => {
        const url = parseRemoteUrl(raw);
        expect(url.raw).toBe(raw);
        originOf(url);
        const bare = parseRemoteUrl(withoutCredentials(url));
        expect(bare.password).toBeUndefined();
        if (url.scheme !== 'file' && url.scheme !== 'other') expect(bare.username).toBeUndefined();
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a URL built from parts gives the parts back (userinfo percent-encoded, any Unicode)',
    () => {
      const parts = fc.record({
        scheme: fc.constantFrom('https', 'http', 'ssh'),
        username: fc.option(unicode(30), { nil: undefined }),
        password: fc.option(unicode(60), { nil: undefined }),
        host: hostname,
        port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        workspace: segment,
        repo: segment,
      });
      property(parts, (p) => {
        const user =
          p.username === undefined
            ? ''
            : `${encodeURIComponent(p.username)}${p.password === undefined ? '' : `:${encodeURIComponent(p.password)}`}@`;
        const raw = `${p.scheme}://${user}${p.host}${p.port === undefined ? '' : `:${p.port}`}/${p.workspace}/${p.repo}`;
        const url = parseRemoteUrl(raw);
        expect(url.host).toBe(p.host);
        expect(url.port).toBe(p.port);
        expect(url.username).toBe(p.username);
        expect(url.password).toBe(p.username === undefined ? undefined : p.password);
        expect(url.workspace).toBe(p.workspace);
        expect(url.repo).toBe(p.repo.replace(/\.git$/, ''));
        expect(withoutCredentials(url)).not.toContain('@');
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

const CONFIG_WORDS = ['[', ']', '"', '\\', '=', '#', ';', '\n', '\r\n', '\\\n', '[remote "o"]', 'url', ' = '];

/** How git-config(1) quotes a value so it reads back as written. */
function quoteValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\x08/g, '\\b')}"`;
}
const quoteSubsection = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const sectionName = charsOf('abcxyzABCXYZ019-', 1, 12);
const varName = fc.tuple(charsOf('abcXYZ', 1, 1), charsOf('abcxyzABCXYZ019-', 0, 12)).map(([a, b]) => a + b);
// Config values: anything but NUL and a bare CR (git keeps a CR inside quotes; our reader drops it as git does
// outside them, so CRs get their own case in the differential test against git).
const configValue = fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => s.replace(/[\0\r]/g, ''));

describe('git config files (fuzzed)', () => {
  it(
    'any text parses without throwing; every entry has a normalised key and a line inside the file',
    () => {
      property(fc.oneof(anyText(300), mixedText(CONFIG_WORDS, 200)), (text) => {
        const lines = text.split('\n').length;
        for (const e of parseGitConfigFile(text, '/c')) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
          const last = e.key.lastIndexOf('.');
          expect(e.key.slice(last)).toBe(e.key.slice(last).toLowerCase());
        }
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'entries written the way git writes them read back as the same keys and values',
    () => {
      const entry = fc.record({
        section: sectionName,
        subsection: fc.option(
          fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\0\n]/g, '')),
          { nil: undefined },
        ),
        name: varName,
        value: configValue,
      });
      property(fc.array(entry, { maxLength: 8 }), (entries) => {
        const text = entries
          .map(
            (e) =>
              `[${e.section}${e.subsection === undefined ? '' : ` ${quoteSubsection(e.subsection)}`}]\n\t${e.name} = ${quoteValue(e.value)}\n`,
          )
          .join('');
        const parsed = parseGitConfigFile(text, '/c');
        expect(parsed.map((e) => [e.key, e.value])).toEqual(
          entries.map((e) => [
            `${e.section.toLowerCase()}${e.subsection === undefined ? '' : `.${e.subsection}`}.${e.name.toLowerCase()}`,
            e.value,
          ]),
        );
        expect(parsed.map((e) => e.line)).toEqual(entries.map((_, i) => 2 * i + 2));
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

const PATTERN_WORDS = [
  '*',
  '**',
  '**/',
  '?',
  '[',
  ']',
  '[!',
  '[^',
  '[:alpha:]',
  '[:bogus:]',
  '-',
  '\\',
  '/',
  'a',
  'b',
  'z',
];

describe('includes and wildmatch (fuzzed)', () => {
  it(
    'any wildmatch pattern compiles to a regular expression, or matches nothing; none throws',
    () => {
      property(
        fc.tuple(fc.oneof(textOf(PATTERN_WORDS, 30), anyText(40)), fc.boolean(), anyText(40)),
        ([p, i, s]) => {
          expect(wildmatchToRegExp(p, i)).toBeInstanceOf(RegExp);
          expect(typeof wildmatchToRegExp(p, i).test(s)).toBe('boolean');
          includeConditionHolds(`gitdir:${p}`, '/home/u/.gitconfig', {
            home: '/home/u',
            gitDir: `/r/${s}/.git`,
            load: () => undefined,
          });
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'any graph of files including each other (cycles, fan-out, conditions, missing files) loads in bounded work',
    () => {
      const names = ['/h/.gitconfig', '/h/a', '/h/b', '/h/c', '/h/d'];
      const directive = fc.oneof(
        fc
          .constantFrom(...names, 'a', 'b', '~/c', 'missing', '../h/d')
          .map((p) => `[include]\n\tpath = ${p}\n`),
        fc
          .tuple(textOf(PATTERN_WORDS, 12), fc.constantFrom(...names))
          .map(([cond, p]) => `[includeIf ${quoteSubsection(`gitdir:${cond}`)}]\n\tpath = ${p}\n`),
        fc.constant('[user]\n\tname = x\n'),
      );
      const files = fc.tuple(...names.map(() => fc.array(directive, { maxLength: 6 })));
      property(files, (contents) => {
        const map = new Map(names.map((n, i) => [n, contents[i]!.join('')]));
        let loads = 0;
        const entries = loadConfigWithIncludes('/h/.gitconfig', 'global', {
          home: '/h',
          gitDir: '/h/work/r/.git',
          load: (p) => {
            loads++;
            return map.get(p);
          },
        });
        // git's own bound: depth 10; each loaded file adds at most its own lines.
        expect(loads).toBeLessThan(20_000);
        expect(entries.length).toBeLessThanOrEqual(loads * 12);
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});
