import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented credential with the expected one in constant time. Both sides are first
 * reduced to HMAC digests under a per-process random key, so neither the content nor the length of
 * the expected value leaks through timing (timingSafeEqual alone throws on unequal lengths).
 */
export function createSecretComparer(): (presented: string, expected: string) => boolean {
  const key = randomBytes(32);
  const digest = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest();
  // The expected values are the configured credentials, the same few on every request: their
  // digests are computed once (one HMAC per check instead of two). The presented side still is not
  // cached, so its timing stays independent of what was sent before.
  const expectedDigests = new Map<string, Buffer>();
  return (presented, expected) => {
    let wanted = expectedDigests.get(expected);
    if (wanted === undefined) {
      wanted = digest(expected);
      expectedDigests.set(expected, wanted);
    }
    return timingSafeEqual(digest(presented), wanted);
  };
}
