import type { Clock, IdempotencyStore, Pacer, TokenStore, TraceStore } from '@baton/core';
import type { Redis } from 'ioredis';
import { createRedisConnection, waitUntilReady, type StateLogger } from './connection.js';
import { DEFAULT_REDIS_KEY_PREFIX } from '../config.js';
import { createDataLossGuard } from './epoch.js';
import { guardFor } from './errors.js';
import { genesysClientKeyPrefix, type GenesysClientIdentity } from './genesys-client-keys.js';
import { createRedisIdempotencyStore } from './idempotency-store.js';
import { createRedisPacer } from './pacer.js';
import { createRedisTokenStore } from './token-store.js';
import { createRedisTraceStore } from './trace-store.js';

export interface RedisStateOptions {
  /** REDIS_URL. Never logged (it may carry a password). */
  url: string;
  /** Namespace for every key, so several Baton deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
  commandTimeoutMs?: number;
  /** How long a command waits for a (re)connecting connection before failing with state_unavailable. */
  connectGraceMs?: number;
  /**
   * After Redis comes back without its data, claims are refused this long: at least the longest
   * a claim can live (BATON_DEADLINE_MS, then a sent write's writeSettleMs, then the claim margin;
   * see recoveryHoldMsFor in state.ts). Default 80 s (the largest deadline, 58 s, + 15 s + 7 s).
   */
  recoveryHoldMs?: number;
  /** Approximate number of traces the stream keeps. */
  traceCapacity?: number;
  /** Names this replica's connections in CLIENT LIST. */
  replicaName?: string;
  logger?: StateLogger;
  /** Time for claims, waits and token expiry. Default systemClock. */
  clock?: Clock;
}

export interface RedisState {
  idempotency: IdempotencyStore;
  /**
   * The access-token cache of one Genesys OAuth client, shared by every replica using that client
   * (and by no other client on this prefix). One store per client per process, so that concurrent
   * refreshes in this process also share one login.
   */
  tokens(genesysClient: GenesysClientIdentity): TokenStore;
  traces: TraceStore;
  /**
   * A Platform API pacer whose budget all replicas of one Genesys client share (pass it to
   * createGenesysClient as `pacer`); otherwise each replica paces to the whole per-token budget on its own.
   */
  pacer(options: { genesysClient: GenesysClientIdentity; requestsPerMinute?: number; maxHoldMs?: number; clock?: Clock }): Pacer;
  /** For /readyz: resolves when Redis answers a PING now and claims are allowed (no data-loss hold), else throws StateUnavailableError. */
  check(): Promise<void>;
  /** Resolves once the first connection is up (start-up, tests); rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** Closes both connections (graceful shutdown, after in-flight handoffs have finished). */
  close(): Promise<void>;
}

/**
 * The three shared stores on one Redis: one fail-fast connection for commands, and one for the
 * pub/sub that wakes replicas waiting on a concurrent duplicate handoff.
 */
export function createRedisState(options: RedisStateOptions): RedisState {
  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  const { clock } = options;
  const now = clock && (() => clock.now());
  const name = options.replicaName ? `baton-${options.replicaName}` : 'baton';
  const client = createRedisConnection({
    url: options.url,
    commandTimeoutMs: options.commandTimeoutMs,
    connectionName: name,
    logger: options.logger,
  });
  const subscriber = createRedisConnection({
    url: options.url,
    connectionName: `${name}-events`,
    offlineQueue: true,
    // The command connection already reports outages; one line per outage is enough.
  });
  subscriber.on('error', () => undefined);
  const connectGraceMs = options.connectGraceMs;
  const tokenStores = new Map<string, TokenStore>();
  const dataLossGuard = createDataLossGuard({ client, keyPrefix, holdMs: options.recoveryHoldMs ?? 80_000, now, logger: options.logger });

  return {
    idempotency: createRedisIdempotencyStore({
      client,
      subscriber,
      keyPrefix,
      connectGraceMs,
      clock,
      dataLossGuard,
    }),
    tokens(genesysClient) {
      const id = genesysClientKeyPrefix(keyPrefix, genesysClient);
      let store = tokenStores.get(id);
      if (!store) {
        store = createRedisTokenStore({ client, keyPrefix, genesysClient, now, logger: options.logger });
        tokenStores.set(id, store);
      }
      return store;
    },
    traces: createRedisTraceStore({ client, keyPrefix, connectGraceMs, capacity: options.traceCapacity, logger: options.logger }),
    pacer: (pacerOptions) => createRedisPacer({ client, keyPrefix, logger: options.logger, ...pacerOptions }),
    async check() {
      // No grace: a probe should report the state as it is now.
      await guardFor(client, 0)(() => client.ping());
      // Redis answers, but after it lost its data every handoff is refused until the hold ends:
      // not ready either, so a load balancer sends Architect's retries elsewhere if it can.
      await dataLossGuard.assertClaimsAllowed();
    },
    ready: (timeoutMs = 5000) => waitUntilReady(client, timeoutMs),
    async close() {
      await Promise.all([quit(client), quit(subscriber)]);
    },
  };
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
