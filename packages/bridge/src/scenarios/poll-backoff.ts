/**
 * How long to wait before the next look at an org while waiting on it (a queued conversation, a
 * handoff not there yet): `firstMs`, then twice as long each time nothing changed, up to `maxMs`;
 * back to `firstMs` once something did. On a real org each look is a Platform API call against
 * the client's 300 requests a minute (docs/genesys-facts.md#rate-limits), which the deployed
 * bridge shares when it uses the same client: a conversation waiting minutes in a queue must not
 * spend a call a second. The waits themselves go through the caller's Clock.
 */
export interface PollBackoff {
  /** The wait before the next look; `changed`: the last look saw something new. */
  next(changed: boolean): number;
}

export function pollBackoff(firstMs: number, maxMs: number = firstMs): PollBackoff {
  const ceiling = Math.max(firstMs, maxMs);
  let wait = firstMs;
  return {
    next(changed) {
      if (changed) wait = firstMs;
      const now = wait;
      wait = Math.min(wait * 2, ceiling);
      return now;
    },
  };
}
