import assert from 'node:assert/strict';
import { CLAIM_MARGIN_MS, DEFAULT_WRITE_SETTLE_MS, runOnce } from '@baton/core';
import type { Redis } from 'ioredis';
import { sampleTrace } from '@baton/core/testing';
import { httpStatusOf } from '../../src/errors.js';
import { recoveryHoldMsFor } from '../../src/state.js';
import { createRedisState, genesysClientKeyPrefix, StateUnavailableError, type RedisState } from '../../src/redis/index.js';
import {
  deletePrefix,
  freePort,
  requireSharedRedis,
  SHARED_REDIS_URL,
  sleep,
  startPrivateRedis,
  TEST_GENESYS_CLIENT,
  uniquePrefix,
  type PrivateRedis,
} from './helpers.js';

function isStateUnavailable(error: unknown): boolean {
  assert.ok(error instanceof StateUnavailableError, `expected StateUnavailableError, got ${String(error)}`);
  assert.equal(error.code, 'state_unavailable');
  assert.equal(httpStatusOf(error), 503);
  return true;
}

describe('Redis state (specific to Redis)', () => {
  describe('on the shared Redis', () => {
    let admin: Redis;
    let prefix: string;
    let state: RedisState;
    /** Where the test client's token and refresh lock live under this run's prefix. */
    const clientKeys = () => genesysClientKeyPrefix(prefix, TEST_GENESYS_CLIENT);
    before(async () => {
      admin = await requireSharedRedis();
    });
    after(() => admin.disconnect());
    beforeEach(async () => {
      prefix = uniquePrefix('redis-state');
      state = createRedisState({ url: SHARED_REDIS_URL, keyPrefix: prefix });
      await state.ready();
    });
    afterEach(async () => {
      await state.close();
      await deletePrefix(admin, prefix);
    });

    it('when a token is stored, then Redis holds only the access token and its expiry, expiring with it', async () => {
      const expiresAt = Date.now() + 30_000;
      await state.tokens(TEST_GENESYS_CLIENT).set({ accessToken: 'tok-at-rest', expiresAt });
      const raw = await admin.get(`${clientKeys()}token`);
      assert.deepEqual(JSON.parse(raw!), { accessToken: 'tok-at-rest', expiresAt });
      const ttl = await admin.pttl(`${clientKeys()}token`);
      assert.ok(ttl > 25_000 && ttl <= 30_000, `pttl ${ttl}`);
    });

    it('when a token has already expired, then it is not stored at all', async () => {
      await state.tokens(TEST_GENESYS_CLIENT).set({ accessToken: 'tok-stale', expiresAt: Date.now() - 1 });
      assert.equal(await admin.exists(`${clientKeys()}token`), 0);
    });

    it('when a replica died holding the refresh lock, then the next refresh runs once the lock lapses', async () => {
      await admin.set(`${clientKeys()}token:refresh-lock`, 'dead-replica', 'PX', 150);
      assert.equal(await state.tokens(TEST_GENESYS_CLIENT).withRefreshLock(async () => 'refreshed'), 'refreshed');
      assert.equal(await admin.exists(`${clientKeys()}token:refresh-lock`), 0, 'the lock is released after the refresh');
    });

    it('when a lock lapsed and another replica took it, then the first replica does not release the new holder', async () => {
      await state.tokens(TEST_GENESYS_CLIENT).withRefreshLock(async () => {
        // Our lock lapses (simulated) and another replica takes it while we are still refreshing.
        await admin.set(`${clientKeys()}token:refresh-lock`, 'other-replica', 'PX', 10_000);
      });
      assert.equal(await admin.get(`${clientKeys()}token:refresh-lock`), 'other-replica');
    });

    it('when a key is claimed or completed, then it carries the TTL it was given', async () => {
      await state.idempotency.claim('conv-ttl', 20_000);
      assert.ok((await admin.pttl(`${prefix}idem:conv-ttl`)) > 15_000);
      await state.idempotency.complete('conv-ttl', { ok: 1 }, 5_000);
      const ttl = await admin.pttl(`${prefix}idem:conv-ttl`);
      assert.ok(ttl > 0 && ttl <= 5_000, `pttl ${ttl}`);
    });

    it('when one replica\'s transfer is still in flight past its deadline, then a retry on another replica neither runs it again nor claims it, and later gets its outcome', async () => {
      const other = createRedisState({ url: SHARED_REDIS_URL, keyPrefix: prefix });
      try {
        await other.ready();
        const key = 'baton:handoff:conv-in-flight';
        let writes = 0;
        let answer!: () => void;
        const answered = new Promise<void>((resolve) => (answer = resolve));
        const first = runOnce({
          store: state.idempotency,
          key,
          ttlMs: 60_000,
          deadline: Date.now() + 50,
          now: Date.now,
          claimMarginMs: 100,
          work: async (claim) => {
            // What the call runner does before sending replace/queue: its answer may take 3 s more.
            await claim.cover(Date.now() + 3000);
            writes++;
            await answered;
            return { value: 'transferred', keep: 'transferred' };
          },
        });
        // Past the first run's deadline + margin (and runOnce's 1 s floor), where its claim used to lapse.
        await sleep(1200);
        const retry = () =>
          runOnce({
            store: other.idempotency,
            key,
            ttlMs: 60_000,
            deadline: Date.now() + 200,
            now: Date.now,
            claimMarginMs: 100,
            work: async () => {
              writes++;
              return { value: 'transferred again', keep: 'transferred again' };
            },
          });
        await assert.rejects(retry(), (error: { code?: string }) => error.code === 'handoff_in_progress');
        answer();
        assert.deepEqual(await first, { kind: 'ran', value: 'transferred' });
        assert.deepEqual(await retry(), { kind: 'repeat', stored: 'transferred' });
        assert.equal(writes, 1);
      } finally {
        await other.close();
      }
    });

    it('when Redis lost its data, then claims stay refused until a lost claim\'s last write can no longer answer', () => {
      assert.ok(recoveryHoldMsFor(25_000) >= 25_000 + DEFAULT_WRITE_SETTLE_MS + CLAIM_MARGIN_MS);
    });

    it('when traces are appended, then their index keys expire and the stream is capped', async () => {
      await state.traces.append(sampleTrace('h-ttl', 'c-ttl'));
      assert.ok((await admin.pttl(`${prefix}trace:h-ttl`)) > 0);
      assert.ok((await admin.pttl(`${prefix}traces:conv:c-ttl`)) > 0);
      assert.equal(await admin.xlen(`${prefix}traces`), 1);
    });
  });

  describe('when Redis is not there', () => {
    it('when nothing listens at REDIS_URL, then claims fail with state_unavailable and the readiness check fails', async () => {
      const state = createRedisState({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: uniquePrefix('absent'), connectGraceMs: 100 });
      try {
        await assert.rejects(state.idempotency.claim('conv-x', 10_000), isStateUnavailable);
        await assert.rejects(state.idempotency.waitFor('conv-x', Date.now() + 10_000), isStateUnavailable);
        // The token is shared to save logins, not for safety: without Redis a replica refreshes alone.
        assert.equal(await state.tokens(TEST_GENESYS_CLIENT).get(), undefined);
        assert.equal(await state.tokens(TEST_GENESYS_CLIENT).withRefreshLock(async () => 'alone'), 'alone');
        await assert.rejects(state.check(), isStateUnavailable);
        // A trace is never the reason a finished handoff fails: it waits in memory.
        await state.traces.append(sampleTrace('h-absent'));
        assert.equal((await state.traces.get('h-absent'))?.handoffId, 'h-absent');
      } finally {
        await state.close();
      }
    });
  });

  describe('when Redis is killed and restarted (a private redis-server)', () => {
    let redis: PrivateRedis;
    let state: RedisState;
    before(async () => {
      redis = await startPrivateRedis();
    });
    after(async () => {
      await redis.stop();
    });
    beforeEach(async () => {
      // recoveryHoldMs 0: these tests are about reconnecting; the hold has its own tests.
      state = createRedisState({ url: redis.url, keyPrefix: 'baton:', connectGraceMs: 100, recoveryHoldMs: 0 });
      await state.ready();
    });
    afterEach(async () => {
      await state.close();
      await redis.start().catch(() => undefined);
    });

    it('then commands fail with state_unavailable while it is down and work again once it returns, on the same store', async () => {
      assert.deepEqual(await state.idempotency.claim('before', 10_000), { kind: 'claimed' });
      await redis.kill();
      await assert.rejects(state.idempotency.claim('during', 10_000), isStateUnavailable);
      await assert.rejects(state.check(), isStateUnavailable);
      await redis.start();
      await state.ready(10_000);
      await state.check();
      assert.deepEqual(await state.idempotency.claim('after', 10_000), { kind: 'claimed' });
    });

    it('then a caller waiting on a duplicate fails with state_unavailable instead of waiting out its deadline', async () => {
      await state.idempotency.claim('held', 60_000);
      const waiting = state.idempotency.waitFor('held', Date.now() + 60_000);
      await sleep(50);
      await redis.kill();
      await assert.rejects(waiting, isStateUnavailable);
    });

    it('then a replica keeps using the token it has, and refreshes alone, until Redis returns', async () => {
      const token = { accessToken: 'tok-before-outage', expiresAt: Date.now() + 60_000 };
      await state.tokens(TEST_GENESYS_CLIENT).set(token);
      await redis.kill();
      assert.deepEqual(await state.tokens(TEST_GENESYS_CLIENT).get(), token);
      const fresh = { accessToken: 'tok-during-outage', expiresAt: Date.now() + 60_000 };
      await state.tokens(TEST_GENESYS_CLIENT).invalidate(token.accessToken);
      await state.tokens(TEST_GENESYS_CLIENT).withRefreshLock(async () => state.tokens(TEST_GENESYS_CLIENT).set(fresh));
      assert.deepEqual(await state.tokens(TEST_GENESYS_CLIENT).get(), fresh);
      await redis.start();
      await state.ready(10_000);
      // Redis came back empty: it is the truth again, and the next refresh shares its token.
      assert.equal(await state.tokens(TEST_GENESYS_CLIENT).get(), undefined);
    });

    it('then a replica refuses claims for the recovery hold, because claims of handoffs in flight were lost', async () => {
      const held = createRedisState({ url: redis.url, keyPrefix: 'baton:', connectGraceMs: 100, recoveryHoldMs: 60_000 });
      try {
        await held.ready();
        assert.deepEqual(await held.idempotency.claim('in-flight', 10_000), { kind: 'claimed' });
        await redis.kill();
        await redis.start();
        await held.ready(10_000);
        await assert.rejects(held.idempotency.claim('in-flight', 10_000), (error: unknown) => {
          isStateUnavailable(error);
          assert.match((error as Error).message, /without its data/);
          return true;
        });
      } finally {
        await held.close();
      }
    });

    it('then a replica that first connects after the loss, and a restart that kept its data, do not hold', async () => {
      await redis.kill();
      await redis.start();
      const fresh = createRedisState({ url: redis.url, keyPrefix: 'baton:', recoveryHoldMs: 60_000 });
      try {
        await fresh.ready();
        assert.deepEqual(await fresh.idempotency.claim('first-sight', 10_000), { kind: 'claimed' });
        // A clean restart with the data intact (here: a dropped connection) keeps the marker.
        const admin = await import('ioredis').then(({ Redis }) => new Redis(redis.url));
        await admin.client('KILL', 'TYPE', 'normal');
        admin.disconnect();
        await fresh.ready(10_000);
        await sleep(50);
        assert.deepEqual(await fresh.idempotency.claim('after-blip', 10_000), { kind: 'claimed' });
      } finally {
        await fresh.close();
      }
    });

    it('then traces appended while it was down are written when it returns, in order', async () => {
      await redis.kill();
      await state.traces.append(sampleTrace('h-down-1', 'c-down'));
      await state.traces.append(sampleTrace('h-down-2', 'c-down'));
      await redis.start();
      await state.ready(10_000);
      const other = createRedisState({ url: redis.url, keyPrefix: 'baton:' });
      try {
        await other.ready();
        for (let i = 0; i < 100 && (await other.traces.get('h-down-2')) === undefined; i++) await sleep(20);
        assert.deepEqual(
          (await other.traces.list({ conversationId: 'c-down' })).map((t) => t.handoffId),
          ['h-down-2', 'h-down-1'],
        );
      } finally {
        await other.close();
      }
    });
  });
});
