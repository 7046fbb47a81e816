/**
 * Per-token request budget. Genesys gives a client-credentials token 300 Platform API requests per
 * minute by default (`client.credentials.token.rate.per.minute`, docs/genesys-facts.md#rate-limits). The exact window
 * algorithm Genesys uses is UNCONFIRMED; a fixed one-minute window per token, opened by the
 * token's first request, reproduces what a client sees: a 429 with `Retry-After` until it ends.
 */
export interface RateLimiter {
  /** Consumes one request; returns 0 when allowed, else the seconds to wait (≥ 1). */
  take(key: string, limitPerMinute: number): number;
}

const WINDOW_MS = 60_000;

export function createRateLimiter(now: () => number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, limitPerMinute) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= WINDOW_MS) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= limitPerMinute) {
        return Math.max(1, Math.ceil((w.start + WINDOW_MS - t) / 1000));
      }
      w.count += 1;
      return 0;
    },
  };
}
