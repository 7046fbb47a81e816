import { cappedHold, createPacer, createSystemClock, DEFAULT_MAX_HOLD_MS, RateBudgetExhaustedError, type Clock, type Pacer } from '@baton/core';
import type { Redis } from 'ioredis';
import type { StateLogger } from './connection.js';
import { guardFor } from './errors.js';
import { genesysClientKeyPrefix, type GenesysClientIdentity } from './genesys-client-keys.js';

export interface RedisPacerOptions {
  client: Redis;
  keyPrefix: string;
  /** Whose budget this is: Genesys counts it per token, so each OAuth client gets its own keys. */
  genesysClient: GenesysClientIdentity;
  /** The budget of the one token every replica shares. Default 300, the Genesys default per token. */
  requestsPerMinute?: number;
  windowMs?: number;
  /**
   * Longest hold one 429's Retry-After imposes (on every replica, and across restarts: the hold is
   * in Redis); a longer one is cut to this and logged. Default DEFAULT_MAX_HOLD_MS (60 s).
   */
  maxHoldMs?: number;
  clock?: Clock;
  logger?: StateLogger;
  connectGraceMs?: number;
}

/**
 * The same reservation rule as core's in-memory pacer (no more than `limit` request starts within
 * any window-long span, never before a 429's Retry-After), with the reservations in Redis so that
 * every replica draws on the one budget of the token they share. Time is Redis's own (TIME), so
 * replicas with skewed clocks still agree on the window.
 * KEYS: reservations (list of slot times, oldest first), held-until.
 * ARGV: limit, window ms, longest acceptable wait ms. Returns {1, wait ms} or {0, wait ms} (refused).
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
local len = redis.call('LLEN', KEYS[1])
local last = 0
if len > 0 then last = tonumber(redis.call('LINDEX', KEYS[1], -1)) end
local windowFree = 0
if len >= limit then windowFree = tonumber(redis.call('LINDEX', KEYS[1], len - limit)) + window end
local slot = math.max(now, held, last, windowFree)
if slot - now >= tonumber(ARGV[3]) then return {0, slot - now} end
redis.call('RPUSH', KEYS[1], string.format('%d', slot))
if len + 1 > limit then redis.call('LTRIM', KEYS[1], len + 1 - limit, -1) end
redis.call('PEXPIRE', KEYS[1], slot - now + window)
return {1, slot - now}
`;

/** KEYS: held-until. ARGV: hold ms from now. Only ever moves the hold later. */
const HOLD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > held then redis.call('SET', KEYS[1], string.format('%d', untilMs), 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

interface PacerScripts {
  acquireBatonSlot(reservations: string, heldUntil: string, limit: string, windowMs: string, maxWaitMs: string): Promise<[number, number]>;
  holdBatonPacer(heldUntil: string, holdMs: string): Promise<number>;
}

/**
 * A Pacer (core's interface, passed to createGenesysClient as `pacer`) whose budget is shared by
 * every replica through Redis. Without it each replica paces itself to the full per-token budget,
 * so N replicas sharing one token can start N times the budget and collect 429s.
 *
 * While Redis is unreachable it falls back to an in-process pacer: pacing is a courtesy to the
 * budget (Genesys enforces it with 429 + Retry-After, which the client honours), not a safety
 * property, so reads keep working; handoffs fail on their idempotency claim anyway.
 */
export function createRedisPacer(options: RedisPacerOptions): Pacer {
  const client = options.client as Redis & PacerScripts;
  const clock = options.clock ?? createSystemClock();
  const limit = options.requestsPerMinute ?? 300;
  const windowMs = options.windowMs ?? 60_000;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('requestsPerMinute must be a positive integer');
  const clientPrefix = genesysClientKeyPrefix(options.keyPrefix, options.genesysClient);
  const reservationsKey = `${clientPrefix}pacer:reservations`;
  const heldKey = `${clientPrefix}pacer:held-until`;
  const guard = guardFor(client, options.connectGraceMs ?? 0);
  const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  // No logger: a cut hold is logged once, below, not again by the fallback.
  const local = createPacer({ clock, requestsPerMinute: limit, windowMs, maxHoldMs });
  client.defineCommand('acquireBatonSlot', { numberOfKeys: 2, lua: ACQUIRE_SCRIPT });
  client.defineCommand('holdBatonPacer', { numberOfKeys: 1, lua: HOLD_SCRIPT });
  let degraded = false;

  const fallBack = (error: unknown) => {
    if (degraded) return;
    degraded = true;
    options.logger?.warn({ reason: error instanceof Error ? error.message : String(error) }, 'Shared rate budget unavailable; pacing this replica on its own');
  };

  return {
    async acquire(deadline, signal) {
      const maxWaitMs = deadline - clock.now();
      let granted: number;
      let waitMs: number;
      try {
        [granted, waitMs] = await guard(() => client.acquireBatonSlot(reservationsKey, heldKey, String(limit), String(windowMs), String(Math.max(0, Math.floor(maxWaitMs)))));
        degraded = false;
      } catch (error) {
        fallBack(error);
        return local.acquire(deadline, signal);
      }
      if (!granted) {
        throw new RateBudgetExhaustedError(
          `Rate budget exhausted: the next request slot for this Genesys token (shared by every replica) is ${Math.ceil(waitMs / 1000)} s away (budget ${limit} requests per ${windowMs / 1000} s), after the call's deadline.`,
          { details: { requestsPerMinute: limit, waitMs, shared: true } },
        );
      }
      if (waitMs > 0) await clock.sleep(waitMs, signal);
    },
    holdUntil(requested) {
      const until = cappedHold(requested, clock.now(), maxHoldMs, options.logger);
      local.holdUntil(until);
      const holdMs = Math.ceil(until - clock.now());
      if (holdMs <= 0) return;
      // Fire and forget (the interface is synchronous); a lost hold costs at most another 429.
      void guard(() => client.holdBatonPacer(heldKey, String(holdMs))).catch(fallBack);
    },
  };
}
