import { randomUUID } from 'node:crypto';
import type { CachedToken, TokenStore } from '@baton/core';
import type { Redis } from 'ioredis';
import type { StateLogger } from './connection.js';
import { guardFor, StateUnavailableError } from './errors.js';
import { genesysClientKeyPrefix, type GenesysClientIdentity } from './genesys-client-keys.js';

export interface RedisTokenStoreOptions {
  client: Redis;
  keyPrefix: string;
  /** Whose token this is: the keys are scoped by it, so other OAuth clients on this prefix never see it. */
  genesysClient: GenesysClientIdentity;
  now?: () => number;
  /**
   * How long a replica may hold the refresh lock. If it dies mid-refresh the lock lapses after
   * this and another replica refreshes; a refresh slower than this lets a second one start
   * (harmless: two valid tokens, one extra login).
   */
  lockTtlMs?: number;
  /** Longest pause between two attempts to take a lock another replica holds. */
  maxPollMs?: number;
  logger?: StateLogger;
}

/** Deletes the token only if it is still the one that failed (another replica may have replaced it). */
const INVALIDATE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, token = pcall(cjson.decode, raw)
if ok and token.accessToken == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Releases the lock only if this caller still holds it (it may have lapsed and been taken by another replica). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * The Genesys access token shared by every replica, so they spend one login and one per-token rate
 * budget between them instead of one each. Only the access token and its expiry are stored, at
 * `<prefix>genesys:<hash of login host and client id>:token`, with a TTL equal to its remaining
 * life; the client secret never leaves the process. The token is a bearer credential at rest in Redis: protect Redis accordingly
 * (docs/scaling.md).
 *
 * Refreshes are serialised twice: in-process (callers share one refresh in flight, as the memory
 * store does) and across replicas (a `SET NX PX` lock with a random owner token, released by
 * compare-and-delete). A replica that finds the lock taken waits for it and then runs its own
 * `refresh`, which is expected to read the store first and find the token the other replica just
 * stored.
 *
 * Sharing the token saves logins and budget; it is not what keeps a handoff safe (the idempotency
 * claim is). So while Redis is unreachable each replica carries on alone with the token it last
 * saw, and refreshes under its own in-process lock: a handoff that already holds its claim can
 * still finish its transfer instead of stopping halfway.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const client = options.client as Redis & TokenScripts;
  // No grace: with Redis away, the replica's own copy of the token serves at once.
  const guard = guardFor(client, 0);
  let local: CachedToken | undefined;
  let alone = false;
  const goAlone = (error: unknown) => {
    if (!(error instanceof StateUnavailableError)) throw error;
    if (!alone) options.logger?.warn({}, 'Shared token store unavailable; this replica uses its own token until Redis returns');
    alone = true;
  };
  const now = options.now ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const maxPollMs = options.maxPollMs ?? 200;
  const clientPrefix = genesysClientKeyPrefix(options.keyPrefix, options.genesysClient);
  const tokenKey = `${clientPrefix}token`;
  const lockKey = `${clientPrefix}token:refresh-lock`;
  client.defineCommand('invalidateBatonToken', { numberOfKeys: 1, lua: INVALIDATE_SCRIPT });
  client.defineCommand('releaseBatonLock', { numberOfKeys: 1, lua: RELEASE_SCRIPT });

  let inflight: Promise<unknown> | undefined;

  const underDistributedLock = async <T>(refresh: () => Promise<T>): Promise<T> => {
    const owner = randomUUID();
    let pollMs = 10;
    for (;;) {
      let taken: string | null;
      try {
        taken = await guard(() => client.set(lockKey, owner, 'PX', lockTtlMs, 'NX'));
      } catch (error) {
        goAlone(error);
        // The in-process single flight still holds: this replica refreshes once, alone.
        return refresh();
      }
      if (taken === 'OK') break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      pollMs = Math.min(pollMs * 2, maxPollMs);
    }
    try {
      return await refresh();
    } finally {
      // If Redis is away now, the lock lapses by its TTL; the refresh's own outcome matters more.
      await client.releaseBatonLock(lockKey, owner).catch(() => undefined);
    }
  };

  return {
    async get() {
      let raw: string | null;
      try {
        raw = await guard(() => client.get(tokenKey));
        alone = false;
      } catch (error) {
        goAlone(error);
        return local && local.expiresAt > now() ? local : undefined;
      }
      // Redis is the truth while it answers: no token there means another replica invalidated it.
      local = raw === null ? undefined : (JSON.parse(raw) as CachedToken);
      return local && local.expiresAt > now() ? local : undefined;
    },
    async set(token) {
      local = { accessToken: token.accessToken, expiresAt: token.expiresAt };
      const ttlMs = Math.floor(token.expiresAt - now());
      if (ttlMs <= 0) return;
      const value = JSON.stringify(local satisfies CachedToken);
      await guard(() => client.set(tokenKey, value, 'PX', ttlMs)).catch(goAlone);
    },
    async invalidate(accessToken) {
      if (local?.accessToken === accessToken) local = undefined;
      await guard(() => client.invalidateBatonToken(tokenKey, accessToken)).catch(goAlone);
    },
    async withRefreshLock<T>(refresh: () => Promise<T>): Promise<T> {
      if (inflight) return inflight as Promise<T>;
      const run = underDistributedLock(refresh).finally(() => {
        inflight = undefined;
      });
      inflight = run;
      return run;
    },
  };
}

/** The scripts this store defines on its connection (ioredis adds them as methods). */
interface TokenScripts {
  invalidateBatonToken(key: string, accessToken: string): Promise<number>;
  releaseBatonLock(key: string, owner: string): Promise<number>;
}
