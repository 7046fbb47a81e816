import {
  CLAIM_MARGIN_MS,
  DEFAULT_WRITE_SETTLE_MS,
  createMemoryIdempotencyStore,
  createMemoryTokenStore,
  createMemoryTraceStore,
  type Clock,
  type IdempotencyStore,
  type Pacer,
  type TokenStore,
  type TraceStore,
} from '@baton/core';
import type { BridgeConfig } from './config.js';
import { createRedisState, genesysClientKeyPrefix, type GenesysClientIdentity, type StateLogger } from './redis/index.js';

/** The state a handoff needs beyond one request, behind core's interfaces. */
export interface StateStores {
  /** `memory` (one process) or `redis` (REDIS_URL: shared by every replica). */
  kind: 'memory' | 'redis';
  idempotency: IdempotencyStore;
  traces: TraceStore;
  /** The access-token cache of one Genesys OAuth client (by login host and client id). */
  tokens(genesysClient: GenesysClientIdentity): TokenStore;
  /** For /readyz: throws (state_unavailable) when the shared store cannot be reached. Absent for memory. */
  check?(): Promise<void>;
  /** A Platform API pacer whose per-token budget every replica of this client shares. Absent for memory (the client paces alone). */
  pacer?(genesysClient: GenesysClientIdentity, requestsPerMinute: number, maxHoldMs?: number): Pacer;
  close(): Promise<void>;
}

/**
 * How long claims stay refused after Redis lost its data: the longest a lost claim's handoff can
 * still be running: its deadline, then a write sent just before it answering for up to
 * writeSettleMs, then the claim margin, plus 2 s for clock and network slack.
 */
export function recoveryHoldMsFor(deadlineMs: number): number {
  return deadlineMs + DEFAULT_WRITE_SETTLE_MS + CLAIM_MARGIN_MS + 2000;
}

/**
 * Builds the state stores from configuration: in memory for a single process, or in Redis when
 * REDIS_URL is set, so that replicas share idempotency keys (a handoff runs once whichever replica
 * Architect's retry reaches), the trace log, the Genesys token and its rate budget. The one place
 * that decides where state lives.
 */
export async function createStateStores(
  config: Pick<BridgeConfig, 'redisUrl'> & Partial<Pick<BridgeConfig, 'deadlineMs' | 'memory'>>,
  options: { clock?: Clock; logger?: StateLogger; keyPrefix?: string } = {},
): Promise<StateStores> {
  const { clock } = options;
  if (config.redisUrl) {
    const redis = createRedisState({
      url: config.redisUrl,
      // After a Redis data loss, no claim is granted until every lost one would have expired: a
      // claim lives until the deadline, and past it while a write it sent may still be answered.
      ...(config.deadlineMs !== undefined && { recoveryHoldMs: recoveryHoldMsFor(config.deadlineMs) }),
      ...(options.keyPrefix !== undefined && { keyPrefix: options.keyPrefix }),
      ...(options.logger && { logger: options.logger }),
      ...(clock && { clock }),
    });
    // Start serving even if Redis is not up yet: /readyz says so, handoffs fail with
    // state_unavailable, and the connection keeps retrying until it is.
    await redis.ready(2000).catch(() => undefined);
    return {
      kind: 'redis',
      idempotency: redis.idempotency,
      traces: redis.traces,
      tokens: (genesysClient) => redis.tokens(genesysClient),
      check: () => redis.check(),
      pacer: (genesysClient, requestsPerMinute, maxHoldMs) => redis.pacer({ genesysClient, requestsPerMinute, ...(maxHoldMs !== undefined && { maxHoldMs }) }),
      close: () => redis.close(),
    };
  }
  const tokenStores = new Map<string, TokenStore>();
  return {
    kind: 'memory',
    idempotency: createMemoryIdempotencyStore(clock, {
      ...(config.memory && { maxEntries: config.memory.handoffsMaxEntries, maxBytes: config.memory.handoffsMaxBytes }),
    }),
    traces: createMemoryTraceStore({
      ...(config.memory && { maxEntries: config.memory.tracesMaxEntries, maxBytes: config.memory.tracesMaxBytes }),
    }),
    tokens(genesysClient) {
      const id = genesysClientKeyPrefix('', genesysClient);
      let store = tokenStores.get(id);
      if (!store) tokenStores.set(id, (store = createMemoryTokenStore()));
      return store;
    },
    async close() {},
  };
}
