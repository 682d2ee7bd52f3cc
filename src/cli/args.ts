/** Flags every command shares, typed once and spread into each command's args. */
import type { ArgsDef } from 'citty';
import { resolveEndpoints, type Endpoints } from '../core/endpoints.js';

export const globalArgs = {
  json: { type: 'boolean', description: 'Print machine-readable JSON on stdout' },
  verbose: { type: 'boolean', alias: 'v', description: 'Say more on stderr (requests sent, git calls)' },
  color: {
    type: 'boolean',
    default: true,
    description: 'Colour output on a TTY',
    negativeDescription: 'Never colour output',
  },
  'bitbucket-url': {
    type: 'string',
    valueHint: 'URL',
    description: 'Bitbucket origin git talks to (env BBAUTH_BITBUCKET_URL; default https://bitbucket.org)',
  },
  'api-url': {
    type: 'string',
    valueHint: 'URL',
    description: 'REST API origin (env BBAUTH_API_URL; default https://api.bitbucket.org)',
  },
} as const satisfies ArgsDef;

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
  endpoints: Endpoints;
}

/** Turns parsed global flags into options, validating the URLs (UsageError on bad input). */
export function readGlobalOptions(args: {
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
  'bitbucket-url'?: string;
  'api-url'?: string;
}): GlobalOptions {
  return {
    json: Boolean(args.json),
    verbose: Boolean(args.verbose),
    color: args.color !== false,
    endpoints: resolveEndpoints(
      { bitbucketUrl: args['bitbucket-url'], apiUrl: args['api-url'] },
      process.env,
    ),
  };
}
