import { causeChain } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Pacer } from './pacer.js';

/**
 * Every retry of a Genesys request, and the 429 handling: Platform API calls (call-runner.ts) and
 * token requests (token-provider.ts) both send through `retrying()` below.
 *
 * Policy (docs/genesys-facts.md#retries; Java/Go SDK retry behaviour): 429 always (Genesys did not
 * process it) after Retry-After, unless Retry-After is longer than `retryAfterCapMs`; a 429 also
 * holds the pacer, so no other call starts before Retry-After either (pacer.ts caps that hold at
 * `maxHoldMs`); 502/503/504 and network errors only for idempotent calls (routes.ts), with capped
 * exponential backoff and jitter, and a request that provably never left (connection refused) for
 * any call; a 401 once, after a fresh login, when the caller can log in again; nothing else. No
 * retry waits past the call's deadline.
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

/** Whether a failed attempt is tried again, and after how long. Pure: `retrying` owns the clock and the deadline. */
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

/**
 * One attempt as `sendOnce` reports it: plain data, for the driver's decision and the caller's
 * record and error.
 */
export interface AttemptResult {
  /** The answer's HTTP status; 0 when no answer came (with `error`: an answer whose body did not arrive whole). */
  status: number;
  /** The answer's headers (Retry-After, the correlation id); absent when no answer came. */
  headers?: { get(name: string): string | null } | undefined;
  /** Set when the answer did not come, or not whole: a network failure, retried by the policy. */
  error?: unknown;
  /** `error` ends the call as it is, never retried: the deadline passed while waiting, or the caller aborted. */
  final?: boolean;
  /** Set by the driver on a 429: Retry-After, in seconds. */
  retryAfterSeconds?: number | undefined;
  /** From sending to the answer (or the failure). */
  ms: number;
}

/** What every attempt of one call shares. */
export interface RetriedCall {
  /** Epoch ms: no retry waits past it. */
  readonly deadline: number;
  /** routes.ts: false for a write Genesys may have applied even when no answer came. */
  readonly idempotent: boolean;
  /** The caller's signal: it also ends a retry's wait. */
  readonly signal?: AbortSignal | undefined;
}

/** One kind of request (Platform API calls, token requests), made once per client, not per call. */
export interface Sender<C extends RetriedCall, A extends AttemptResult> {
  readonly settings: RetrySettings;
  readonly clock: Clock;
  /** Jitter source, [0, 1). */
  readonly random: () => number;
  /** Held on a 429 so that no call of the same token starts before Retry-After. */
  readonly pacer?: Pick<Pacer, 'holdUntil'> | undefined;
  /**
   * Sends the request once and resolves with what happened. Throws only when nothing was sent
   * (the deadline had passed, a cap, no token): that ends the call, the attempt not counted.
   * `previous` is the last failure retried, for an error to name as its cause.
   */
  sendOnce(call: C, attempt: number, previous: A | undefined): Promise<A>;
  /** After a 401: forget the token `result` was sent with, so that the repeat logs in afresh. Absent: a 401 is final. */
  relogin?(result: A): Promise<void>;
  /** Releases an answer that is retried without being read. */
  discard?(result: A): Promise<void>;
}

/** How a call ended, with its attempts, for the caller to turn into a value or an error and a record. */
export type RetryOutcome<A extends AttemptResult> = {
  /** Attempts sent. */
  attempts: number;
  /** The last attempt that got an answer (status > 0), for the call record. */
  answered: A | undefined;
} & (
  | { kind: 'succeeded'; last: A }
  /** Failed, not retried: `reason` says why ('' when the status is simply not one to retry). */
  | { kind: 'declined'; last: A; reason: string }
  /** Ended by an error (the deadline, the caller's abort, a cap, no token): `error` is the call's. */
  | { kind: 'stopped'; last: A | undefined; error: unknown }
);

/**
 * Runs one call's attempts: `sendOnce`, then a 2xx is done; a 401 logs in again once; a 429 reads
 * Retry-After and holds the pacer; every other failure goes to decideRetry, which says whether
 * and after how long to try again.
 */
export async function retrying<C extends RetriedCall, A extends AttemptResult>(sender: Sender<C, A>, call: C): Promise<RetryOutcome<A>> {
  const { clock } = sender;
  let attempts = 0;
  let last: A | undefined;
  let answered: A | undefined;
  let previous: A | undefined;
  let reloggedIn = false;
  try {
    for (;;) {
      const result = await sender.sendOnce(call, attempts + 1, previous);
      attempts += 1;
      last = result;
      if (result.status !== 0) answered = result;
      if (result.final === true) return { kind: 'stopped', error: result.error, attempts, last, answered };

      let failure: AttemptFailure;
      if (result.error !== undefined) {
        failure = { kind: 'network', sent: !neverSent(result.error) };
      } else {
        const { status } = result;
        if (status >= 200 && status <= 299) return { kind: 'succeeded', attempts, last: result, answered };
        if (status === 401 && sender.relogin && !reloggedIn) {
          // The token may have been revoked or expired early (HIPAA idle timeout): log in once more
          // and repeat. Genesys did not process a request it refused, so this is safe for every call.
          reloggedIn = true;
          await sender.relogin(result);
          continue;
        }
        if (status === 429) {
          result.retryAfterSeconds = parseRetryAfter(result.headers?.get('retry-after') ?? null, clock.now());
          // The pacer caps the hold (maxHoldMs): one answer must not stop every call for as long as it says.
          if (result.retryAfterSeconds !== undefined) sender.pacer?.holdUntil(clock.now() + result.retryAfterSeconds * 1000);
        }
        failure = { kind: 'status', status, retryAfterSeconds: result.retryAfterSeconds };
      }

      const decision = decideRetry(sender.settings, {
        attempt: attempts,
        idempotent: call.idempotent,
        failure,
        remainingMs: call.deadline - clock.now(),
        random: sender.random,
      });
      if (!decision.retry) return { kind: 'declined', reason: decision.reason, attempts, last: result, answered };
      if (sender.discard) await sender.discard(result);
      await clock.sleep(decision.delayMs, call.signal);
      previous = result;
    }
  } catch (error) {
    return { kind: 'stopped', error, attempts, last, answered };
  }
}

/** Connection refused or connect timeout: the request never reached Genesys, so any call may be repeated. */
export function neverSent(error: unknown): boolean {
  return [...causeChain(error)].some((e) => {
    const code = (e as { code?: unknown }).code;
    return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT';
  });
}
