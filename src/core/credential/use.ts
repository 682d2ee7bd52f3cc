/** One secret as found in one place, with what the offline classifier says about it. In memory only. */
import type { SecretClass } from './secret-class.js';
import type { Location } from '../model.js';

/** Where git gets a credential (in the order git tries them), or `file` for a secret found in a file. */
export type CredentialSource =
  | 'extraheader'
  | 'url'
  | 'netrc'
  | 'helper'
  | 'askpass'
  | 'file'
  | 'env'
  // Given to `bbauth doctor URL --with-token` to check, not found anywhere.
  | 'given';

/** One secret as git would send it for one remote. */
export interface SecretUse {
  secret: string;
  username?: string;
  source: CredentialSource;
  /** Helper name (source 'helper'), or auth scheme for an extra header. */
  helper?: string;
  scheme?: 'basic' | 'bearer';
  location: Location;
  class: SecretClass;
}
