/** Words for credential kinds, the same in every human view. */
import type { CredentialKind } from '../../core/model.js';

/** Where a credential came from, as a person reads it (`helper:store`, `url`, … as they are; a token given to check). */
export function sourceText(source: string): string {
  return source === 'given' ? 'the token given on stdin (--with-token)' : source;
}

/**
 * A bound expiry (a full timestamp a year after bbauth first saw the token) as a day: the exact second suggests
 * a precision the bound does not have.
 */
export function boundDay(expires: string): string {
  return expires.slice(0, 10);
}

export const KIND_LABEL: Record<CredentialKind, string> = {
  'api-token': 'API token',
  'access-token': 'access token',
  'app-password': 'app password',
  'legacy-secret': 'legacy secret',
  'datacenter-token': 'Data Center token',
  unknown: 'unknown secret',
};
