import { describe, expect, it } from 'vitest';
import { classifyResponse, summarizeBody } from '../../src/core/probe/outcome.js';

const CHANGE_3222 = [
  'CHANGE-3222 - Functionality has been deprecated',
  'App passwords are deprecated and must be replaced with API tokens.',
  'https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222',
].join('\n');

describe('classifyResponse', () => {
  it.each([
    [200, '', 'ok'],
    [410, CHANGE_3222, 'retired'],
    // A 410 without its text (a proxy that drops bodies) is still most likely the app password.
    [410, '', 'retired'],
    // Removed endpoints answer 410 too (CHANGE-2770): the caller's fault, never the credential's.
    [
      410,
      '{"type":"error","error":{"message":"CHANGE-2770 - Functionality has been deprecated."}}',
      'unexpected',
    ],
    [401, 'You may not have access to this repository or it no longer exists in this workspace.', 'rejected'],
    [403, 'Your credentials lack one or more required privilege scopes.', 'missing-scope'],
    [403, 'You may not have access to this repository', 'no-access'],
    [404, 'You may not have access to this repository', 'no-access'],
    [429, '', 'rate-limited'],
    [503, '', 'server-error'],
    [418, 'teapot', 'unexpected'],
  ])('HTTP %i → %s', (status, body, kind) => {
    expect(classifyResponse(status, {}, body).kind).toBe(kind === 'ok' ? 'ok' : kind);
  });

  it('reads granted and required scopes from the REST 403 body', () => {
    const body = JSON.stringify({
      type: 'error',
      error: {
        message: 'Your credentials lack one or more required privilege scopes.',
        detail: { granted: ['read:user:bitbucket'], required: ['read:repository:bitbucket'] },
      },
    });
    expect(classifyResponse(403, {}, body)).toEqual({
      kind: 'missing-scope',
      message: 'Your credentials lack one or more required privilege scopes.',
      granted: ['read:user:bitbucket'],
      required: ['read:repository:bitbucket'],
    });
  });

  it('keeps the CHANGE-3222 text as evidence', () => {
    const outcome = classifyResponse(410, {}, CHANGE_3222);
    expect(outcome.kind === 'retired' && outcome.message).toContain('CHANGE-3222');
  });

  it('reads Retry-After seconds', () => {
    expect(classifyResponse(429, { 'retry-after': '7' }, '')).toEqual({
      kind: 'rate-limited',
      retryAfterSeconds: 7,
    });
  });
});

/** One pkt-line: four hex digits of length (its own four included), then the data. */
const pkt = (data: string) => `${(data.length + 4).toString(16).padStart(4, '0')}${data}`;

describe("classifyResponse: a 2xx is success only with the endpoint's own answer", () => {
  const git = { 'content-type': 'application/x-git-upload-pack-advertisement' };
  const json = { 'content-type': 'application/json' };
  const advertisement = '001e# service=git-upload-pack\n0000';
  it.each([
    ['a git advertisement', 200, git, advertisement, 'git', false, 'ok'],
    ['protocol v2 straight away', 200, git, '000eversion 2\n0000', 'git', false, 'ok'],
    [
      'receive-pack asked for v2: the refs straight away',
      200,
      git,
      `${pkt(`${'0'.repeat(40)} capabilities^{}\0report-status\n`)}0000`,
      'git',
      false,
      'ok',
    ],
    ['a flush packet alone', 200, git, '0000', 'git', false, 'not-bitbucket'],
    [
      'a pkt-line longer than the body',
      200,
      git,
      'ffff# service=git-upload-pack\n',
      'git',
      false,
      'not-bitbucket',
    ],
    ['JSON from the REST API', 200, json, '{"username":"alice"}', 'json', false, 'ok'],
    ['a portal page', 200, { 'content-type': 'text/html' }, '<html>', 'git', false, 'not-bitbucket'],
    ['the right type, no pkt-line', 200, git, '0'.repeat(100), 'git', false, 'not-bitbucket'],
    ['the right type, not JSON', 200, json, '<html>', 'json', false, 'not-bitbucket'],
    [
      'gzip nobody asked for',
      200,
      { ...git, 'content-encoding': 'gzip' },
      advertisement,
      'git',
      false,
      'not-bitbucket',
    ],
    ['cut off at 1 MiB', 200, git, advertisement, 'git', true, 'not-bitbucket'],
  ] as const)('%s → %s', (_n, status, headers, body, expected, truncated, kind) => {
    expect(classifyResponse(status, headers, body, expected, truncated).kind).toBe(kind);
  });
});

describe('summarizeBody', () => {
  it('drops remote: prefixes, blank lines and HTML, and shortens', () => {
    expect(summarizeBody('remote: a\n\nremote: b\n')).toBe('a b');
    expect(summarizeBody('<html><b>x</b></html>')).toBe('x');
    expect(summarizeBody('y'.repeat(400)).length).toBe(301);
  });
});
