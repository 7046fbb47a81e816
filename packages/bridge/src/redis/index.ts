export { createRedisConnection, waitUntilReady, type RedisConnectionOptions, type StateLogger } from './connection.js';
export { StateUnavailableError } from './errors.js';
export { genesysClientKeyPrefix, type GenesysClientIdentity } from './genesys-client-keys.js';
export { createRedisIdempotencyStore, type RedisIdempotencyStoreOptions } from './idempotency-store.js';
export { createRedisPacer, type RedisPacerOptions } from './pacer.js';
export { createRedisState, type RedisState, type RedisStateOptions } from './redis-state.js';
export { createRedisTokenStore, type RedisTokenStoreOptions } from './token-store.js';
export { createRedisTraceStore, type RedisTraceStoreOptions } from './trace-store.js';
