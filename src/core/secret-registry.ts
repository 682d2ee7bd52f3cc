/**
 * Every secret bbauth holds in memory is registered here the moment it is read, so the CLI's output layer can
 * mask it even if a message carries it by mistake. Defence in depth on top of fingerprints-only models.
 */
const secrets = new Set<string>();

/** Remembers a secret for masking. Empty and very short values are ignored (they would mask ordinary text). */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) secrets.add(secret);
}

/** The secrets registered so far. */
export function registeredSecrets(): ReadonlySet<string> {
  return secrets;
}
