import { RateBudgetExhaustedError } from '../errors.js';
import type { Clock } from '../clock.js';

/**
 * Spaces Platform API requests so one token stays under its per-minute budget. Genesys gives a
 * client-credentials token 300 requests per minute by default (`client.credentials.token.rate.per.minute`,
 * docs/genesys-facts.md#rate-limits); whether Genesys counts in fixed or sliding windows is
 * UNCONFIRMED, so the pacer never lets more than the budget start within any window-long span,
 * which satisfies both.
 */
export interface Pacer {
  /**
   * Waits for a request slot. Throws RateBudgetExhaustedError at once, without waiting, when the
   * slot would come at or after `deadline` (epoch ms).
   */
  acquire(deadline: number, signal?: AbortSignal): Promise<void>;
  /** Genesys answered 429: start no request before `until` (epoch ms), at most `maxHoldMs` from now. */
  holdUntil(until: number): void;
}

/** Where a pacer says that it cut a hold short (the bridge's logger fits). */
export interface PacerLogger {
  warn(facts: Record<string, unknown>, message: string): void;
}

/**
 * Default longest hold one Retry-After may impose: twice the longest Retry-After a call waits for
 * (RetrySettings.retryAfterCapMs, 30 s). One answer must not stop every call (every replica, with
 * a shared pacer) for as long as it likes: `Retry-After: 86400` would stop the bridge for a day.
 */
export const DEFAULT_MAX_HOLD_MS = 60_000;

/** The Genesys default budget of a client-credentials token, per minute. */
export const DEFAULT_REQUESTS_PER_MINUTE = 300;

export interface PacerOptions {
  clock: Clock;
  /** Default DEFAULT_REQUESTS_PER_MINUTE (300), the Genesys default per token. */
  requestsPerMinute?: number;
  /** Default 60,000. */
  windowMs?: number;
  /** Longest hold a 429's Retry-After imposes; a longer one is cut to this and logged. Default DEFAULT_MAX_HOLD_MS. */
  maxHoldMs?: number;
  logger?: PacerLogger;
}

/**
 * The hold to apply for a 429 asking to wait until `until`: at most `maxHoldMs` from now. A longer
 * one is logged (a Genesys outage or a misbehaving proxy; Genesys's own 429s ask for seconds).
 */
export function cappedHold(until: number, now: number, maxHoldMs: number, logger: PacerLogger | undefined): number {
  const limit = now + maxHoldMs;
  if (until <= limit) return until;
  logger?.warn(
    { retryAfterMs: Math.round(until - now), maxHoldMs },
    `Genesys asked to wait ${Math.ceil((until - now) / 1000)} s before the next request (Retry-After); holding every request for ${Math.ceil(maxHoldMs / 1000)} s only (the longest hold allowed)`,
  );
  return limit;
}

export function createPacer(options: PacerOptions): Pacer {
  const { clock } = options;
  const limit = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const windowMs = options.windowMs ?? 60_000;
  const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('requestsPerMinute must be a positive integer');
  // Start times of the last `limit` reservations, oldest first; reservations never go back in time.
  const starts: number[] = [];
  let heldUntil = 0;

  return {
    async acquire(deadline, signal) {
      const now = clock.now();
      const oldest = starts.length >= limit ? starts[starts.length - limit]! : undefined;
      const last = starts.at(-1) ?? 0;
      const slot = Math.max(now, heldUntil, last, oldest === undefined ? 0 : oldest + windowMs);
      if (slot >= deadline) {
        const waitS = Math.ceil((slot - now) / 1000);
        throw new RateBudgetExhaustedError(
          `Rate budget exhausted: the next request slot for this Genesys token is ${waitS} s away (budget ${limit} requests per ${windowMs / 1000} s), after the call's deadline.`,
          { details: { requestsPerMinute: limit, waitMs: slot - now } },
        );
      }
      starts.push(slot);
      if (starts.length > limit) starts.splice(0, starts.length - limit);
      if (slot > now) await clock.sleep(slot - now, signal);
    },
    holdUntil(until) {
      heldUntil = Math.max(heldUntil, cappedHold(until, clock.now(), maxHoldMs, options.logger));
    },
  };
}
