import crypto from 'node:crypto';

/**
 * Credentials look like `rsc_Ab3dEf9h.<secret>`: a kind, a visible prefix that names the credential (and is
 * how it is looked up), and a random secret. Only a SHA-256 of the whole string is stored; with 256 random
 * bits there is nothing to brute-force, so a slow hash would only cost latency on every request.
 */
export interface IssuedSecret {
  /** The whole credential, shown to its owner exactly once. */
  value: string;
  prefix: string;
  hash: Buffer;
}

export function issueSecret(kind: 'rsc' | 'rak' | 'rss'): IssuedSecret {
  const prefix = `${kind}_${crypto.randomBytes(6).toString('base64url')}`;
  const value = `${prefix}.${crypto.randomBytes(32).toString('base64url')}`;
  return { value, prefix, hash: hashSecret(value) };
}

export function hashSecret(value: string): Buffer {
  return crypto.createHash('sha256').update(value, 'utf8').digest();
}

/** The prefix of a presented credential, or null when it cannot be one of ours. */
export function prefixOf(value: string, kind: 'rsc' | 'rak' | 'rss'): string | null {
  const dot = value.indexOf('.');
  if (dot !== kind.length + 9 || !value.startsWith(`${kind}_`) || value.length > 200) return null;
  return value.slice(0, dot);
}

/** Compares a presented credential with a stored hash in constant time. */
export function matchesHash(value: string, storedHash: Buffer): boolean {
  const presented = hashSecret(value);
  return presented.length === storedHash.length && crypto.timingSafeEqual(presented, storedHash);
}

/** Constant-time comparison of two strings of any length (the platform token). */
export function sameSecret(presented: string, expected: string): boolean {
  return crypto.timingSafeEqual(hashSecret(presented), hashSecret(expected));
}
