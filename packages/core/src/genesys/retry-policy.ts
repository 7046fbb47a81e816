/**
 * When a failed Platform API attempt is tried again, and after how long. Pure: the caller owns
 * the clock and the deadline. Policy (docs/genesys-facts.md#retries; Java/Go SDK retry
 * behaviour): 429 always (Genesys did not process it) after Retry-After; 502/503/504 and network
 * errors only for idempotent calls, with capped exponential backoff and jitter; nothing else.
 */
export interface RetrySettings {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we wait; a longer one fails the call at once (the Go SDK gives up past 180 s). */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY_SETTINGS: Readonly<RetrySettings> = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  retryAfterCapMs: 30_000,
};

export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** `sent: false` when the request provably never left (connection refused): safe to repeat. */
  | { kind: 'network'; sent: boolean };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export interface RetryQuestion {
  /** Attempts made so far (1 after the first). */
  attempt: number;
  idempotent: boolean;
  failure: AttemptFailure;
  /** Time left before the call's deadline. */
  remainingMs: number;
  random: () => number;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

export function decideRetry(settings: RetrySettings, q: RetryQuestion): RetryDecision {
  const { failure } = q;
  let delayMs: number;
  if (failure.kind === 'status' && failure.status === 429) {
    if (failure.retryAfterSeconds !== undefined) {
      delayMs = failure.retryAfterSeconds * 1000;
      if (delayMs > settings.retryAfterCapMs) {
        return { retry: false, reason: `Not retried: the wait is longer than the ${settings.retryAfterCapMs / 1000} s cap.` };
      }
    } else {
      delayMs = backoffDelay(settings, q.attempt, q.random);
    }
  } else if (failure.kind === 'status' && !RETRYABLE_STATUSES.has(failure.status)) {
    return { retry: false, reason: '' };
  } else if (!q.idempotent && !(failure.kind === 'network' && !failure.sent)) {
    return { retry: false, reason: 'Not retried: the call is not idempotent and Genesys may have processed it.' };
  } else {
    delayMs = backoffDelay(settings, q.attempt, q.random);
  }
  if (q.attempt >= settings.maxAttempts) {
    return { retry: false, reason: `Gave up after ${q.attempt} attempts.` };
  }
  if (delayMs >= q.remainingMs) {
    return { retry: false, reason: `Not retried: waiting ${Math.ceil(delayMs)} ms would pass the call's deadline.` };
  }
  return { retry: true, delayMs };
}

/** Capped exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffDelay(settings: RetrySettings, attempt: number, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Retry-After in seconds: Genesys sends delta-seconds; an HTTP-date is accepted too. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
