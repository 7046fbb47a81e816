import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/**
 * ioredis, loaded when the first connection is made: a bridge without REDIS_URL loads this module
 * (the state wiring imports it) but would otherwise carry ioredis in memory for nothing (the
 * lean-bridge issue's resident-size target). ioredis is CommonJS, so a synchronous require does it.
 */
let ioredis: { Redis: typeof Redis } | undefined;
const loadIoredis = () => (ioredis ??= createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis });

/** The slice of a pino logger the Redis layer writes to (so tests can pass a recorder). */
export interface StateLogger {
  info(facts: Record<string, unknown>, message: string): void;
  warn(facts: Record<string, unknown>, message: string): void;
}

export interface RedisConnectionOptions {
  /** redis:// or rediss:// URL. It may carry a password: it is never logged or put in an error. */
  url: string;
  /** A command with no reply after this long fails (the handoff fails cleanly instead of hanging). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Shown in CLIENT LIST, to tell replicas apart when debugging. */
  connectionName?: string;
  logger?: StateLogger;
  /**
   * For the pub/sub connection only: a SUBSCRIBE issued while disconnected may wait for the
   * reconnect, because a missed wake-up only costs one poll interval.
   */
  offlineQueue?: boolean;
}

/**
 * One ioredis connection tuned to fail fast. A handoff must either see the shared state or not run,
 * so commands are never queued while Redis is away (`enableOfflineQueue: false`), a command in
 * flight when the connection drops fails instead of being re-sent later
 * (`maxRetriesPerRequest: 0`, `autoResendUnfulfilledCommands: false`: a late SET NX could claim a
 * key after its caller has given up), and every command has a short timeout. The connection itself
 * reconnects forever with capped backoff, so the bridge recovers by itself when Redis returns.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const client = new (loadIoredis().Redis)(options.url, {
    enableOfflineQueue: options.offlineQueue ?? false,
    maxRetriesPerRequest: options.offlineQueue ? null : 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), 2000),
    connectionName: options.connectionName,
    // Scripts are loaded with EVALSHA and fall back to EVAL after a restart (NOSCRIPT), by ioredis.
  });
  watchAvailability(client, options.logger, options.connectionName ?? 'redis');
  return client;
}

/**
 * Logs one line when Redis goes away and one when it returns, not one per reconnect attempt.
 * Having an 'error' listener also stops ioredis printing "Unhandled error event" to stderr.
 */
function watchAvailability(client: Redis, logger: StateLogger | undefined, name: string): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    // error.message is e.g. "connect ECONNREFUSED 127.0.0.1:6379": host and port, never the password.
    logger?.warn({ connection: name, reason: error.message }, 'Redis unavailable; handoffs fail with state_unavailable until it returns');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger?.info({ connection: name }, 'Redis available again');
  });
}

/** Resolves when `client` is connected and ready, or rejects after `timeoutMs`. */
export async function waitUntilReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
