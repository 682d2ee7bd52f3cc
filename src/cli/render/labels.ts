/** Words for credential kinds, the same in every human view. */
import type { CredentialKind } from '../../core/model.js';

export const KIND_LABEL: Record<CredentialKind, string> = {
  'api-token': 'API token',
  'access-token': 'access token',
  'app-password': 'app password',
  'legacy-secret': 'legacy secret',
  'datacenter-token': 'Data Center token',
  unknown: 'unknown secret',
};
