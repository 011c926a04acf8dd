import crypto from 'node:crypto';

/**
 * Constant-time equality of two secrets (application_token, member_id, client_id), so the
 * time an answer takes tells an attacker nothing about how much of a guess was right.
 * Both sides are hashed first: equal lengths for timingSafeEqual, and the length of the
 * stored secret does not leak either.
 */
export function sameSecret(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false;
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
