import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented credential with the expected one in constant time. Both sides are first
 * reduced to HMAC digests under a per-process random key, so neither the content nor the length of
 * the expected value leaks through timing (timingSafeEqual alone throws on unequal lengths).
 */
export function createSecretComparer(): (presented: string, expected: string) => boolean {
  const key = randomBytes(32);
  const digest = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest();
  return (presented, expected) => timingSafeEqual(digest(presented), digest(expected));
}
