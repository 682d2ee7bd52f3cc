/**
 * A credential's fleet id: the same secret gives the same id on every host, different secrets never collide in
 * practice (96 bits), and the secret cannot be read back from it. Fingerprints (`ATATT3…A1B2`) carry about 16
 * bits and collide across a fleet; this is what `bbauth report` groups by.
 *
 * A plain SHA-256 of a low-entropy secret (an account password) can be guessed offline by whoever holds the
 * reports, so a fleet can set one shared key (BBAUTH_FLEET_KEY) and get keyed ids instead. Ids made with and
 * without a key, or with different keys, never match, by design.
 */
import { createHash, createHmac } from 'node:crypto';

const ID_HEX = 24;

export function credentialId(secret: string, fleetKey?: string): string {
  if (fleetKey) return `hmac:${createHmac('sha256', fleetKey).update(secret).digest('hex').slice(0, ID_HEX)}`;
  return `sha256:${createHash('sha256').update(`bbauth credential id\n${secret}`).digest('hex').slice(0, ID_HEX)}`;
}

/** What an id looks like: the report refuses anything else. */
export const CREDENTIAL_ID = /^(?:sha256|hmac):[0-9a-f]{24}$/;
