import { DeadlineExceededError, systemClock, type ClaimOutcome, type Clock, type IdempotencyStore } from '@baton/core';
import type { Redis } from 'ioredis';
import type { DataLossGuard } from './epoch.js';
import { guardFor } from './errors.js';

export interface RedisIdempotencyStoreOptions {
  /** Connection for commands (fail-fast settings, see createRedisConnection). */
  client: Redis;
  /**
   * A second connection for SUBSCRIBE (a subscribed connection cannot run other commands). It only
   * wakes waiters early: without it, or while it reconnects, waiters still poll.
   */
  subscriber?: Redis;
  keyPrefix: string;
  /** How long a command waits for a (re)connecting connection before failing with state_unavailable. */
  connectGraceMs?: number;
  /** Time for the waiters' deadlines and pauses. Default systemClock. */
  clock?: Clock;
  /** Longest pause between two polls of a key another replica is working on. */
  maxPollMs?: number;
  /** Refuses claims for a while after Redis lost its data (see createDataLossGuard). */
  dataLossGuard?: DataLossGuard;
}

type Stored = { state: 'pending' } | { state: 'done'; result: unknown };

const PENDING = JSON.stringify({ state: 'pending' } satisfies Stored);

/**
 * Claim and read in one atomic step: between a failed SET NX and a separate GET the key could
 * expire, and the caller would see neither a claim nor a holder.
 * Returns nil when this caller claimed the key, else the current value.
 */
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
`;

/**
 * Extends a pending claim (never shortens it), atomically with checking it is still pending: a
 * claim that expired, completed or was lost with Redis's data is no longer the holder's.
 * Returns 1 when the claim is still pending, else 0.
 */
const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl >= 0 and ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/**
 * Idempotency keys in Redis, shared by every replica. A claim is `SET NX PX` on
 * `<prefix>idem:<key>`; completion overwrites it with the result (JSON) for its TTL and publishes
 * the key on `<prefix>idem:events`, so waiters on any replica wake at once instead of at their next
 * poll. The claim TTL bounds how long a crashed replica's claim blocks retries.
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const { subscriber, keyPrefix } = options;
  const client = options.client as Redis & IdempotencyScripts;
  const guard = guardFor(client, options.connectGraceMs);
  const clock = options.clock ?? systemClock;
  const maxPollMs = options.maxPollMs ?? 250;
  const channel = `${keyPrefix}idem:events`;
  const redisKey = (key: string) => `${keyPrefix}idem:${key}`;
  const waiters = new Map<string, Set<() => void>>();

  // Idempotent: redefining a script on a shared connection replaces it with the same text.
  client.defineCommand('claimIdempotencyKey', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  client.defineCommand('extendIdempotencyClaim', { numberOfKeys: 1, lua: EXTEND_SCRIPT });

  let subscribed: Promise<unknown> | undefined;
  const listen = () => {
    if (!subscriber || subscribed) return;
    subscriber.on('message', (from: string, key: string) => {
      if (from !== channel) return;
      for (const wake of waiters.get(key) ?? []) wake();
      waiters.delete(key);
    });
    // A failed SUBSCRIBE is not an error for anyone: polling covers it, and ioredis resubscribes on reconnect.
    subscribed = subscriber.subscribe(channel).catch(() => {
      subscribed = undefined;
    });
  };

  const read = async (key: string): Promise<Stored | undefined> => {
    const raw = await guard(() => client.get(redisKey(key)));
    return raw === null ? undefined : (JSON.parse(raw) as Stored);
  };

  const pause = (key: string, ms: number) =>
    new Promise<void>((resolve) => {
      const set = waiters.get(key) ?? new Set<() => void>();
      const wake = () => {
        cancelTimer();
        set.delete(wake);
        resolve();
      };
      const cancelTimer = clock.setTimer(ms, wake);
      set.add(wake);
      waiters.set(key, set);
    });

  return {
    async claim<T>(key: string, ttlMs: number): Promise<ClaimOutcome<T>> {
      await options.dataLossGuard?.assertClaimsAllowed();
      const current = await guard(() => client.claimIdempotencyKey(redisKey(key), PENDING, String(Math.max(1, Math.ceil(ttlMs)))));
      if (current === null) return { kind: 'claimed' };
      const stored = JSON.parse(current) as Stored;
      return stored.state === 'done' ? { kind: 'completed', result: stored.result as T } : { kind: 'in_progress' };
    },

    async complete<T>(key: string, result: T, ttlMs: number): Promise<void> {
      const value = JSON.stringify({ state: 'done', result } satisfies Stored);
      await guard(() =>
        client
          .multi()
          .set(redisKey(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)))
          .publish(channel, key)
          .exec()
          .then(failOnReplyError),
      );
    },

    async extend(key: string, ttlMs: number): Promise<boolean> {
      const held = await guard(() => client.extendIdempotencyClaim(redisKey(key), PENDING, String(Math.max(1, Math.ceil(ttlMs)))));
      return held === 1;
    },

    async release(key: string): Promise<void> {
      await guard(() => client.multi().del(redisKey(key)).publish(channel, key).exec().then(failOnReplyError));
    },

    async waitFor<T>(key: string, deadline: number): Promise<T | undefined> {
      listen();
      let pollMs = 10;
      for (;;) {
        const stored = await read(key);
        if (!stored) return undefined;
        if (stored.state === 'done') return stored.result as T;
        const remaining = deadline - clock.now();
        if (remaining <= 0) {
          throw new DeadlineExceededError('Timed out waiting for a concurrent handoff of this conversation to finish');
        }
        await pause(key, Math.min(pollMs, remaining));
        pollMs = Math.min(pollMs * 2, maxPollMs);
      }
    },
  };
}

/** MULTI/EXEC reports per-command errors in its result instead of rejecting. */
function failOnReplyError(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('Redis transaction aborted');
  for (const [error] of results) if (error) throw error;
}

/** The script this store defines on its connection (ioredis adds it as a method). */
interface IdempotencyScripts {
  claimIdempotencyKey(key: string, pendingValue: string, ttlMs: string): Promise<string | null>;
  extendIdempotencyClaim(key: string, pendingValue: string, ttlMs: string): Promise<number>;
}
