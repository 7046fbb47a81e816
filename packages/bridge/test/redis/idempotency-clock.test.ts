import assert from 'node:assert/strict';
import { DeadlineExceededError } from '@baton/core';
import { createManualClock } from '@baton/core/testing';
import type { Redis } from 'ioredis';
import { createRedisState, type RedisState } from '../../src/redis/index.js';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, uniquePrefix } from './helpers.js';

/** Lets Redis round trips and promise callbacks run (real I/O), without moving the test's clock. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Redis idempotency store on the Clock (waitFor)', () => {
  let admin: Redis;
  let prefix: string;
  let state: RedisState | undefined;
  before(async () => {
    admin = await requireSharedRedis();
  });
  after(() => admin.disconnect());
  beforeEach(() => {
    prefix = uniquePrefix('idem-clock');
  });
  afterEach(async () => {
    await state?.close();
    state = undefined;
    await deletePrefix(admin, prefix);
  });

  it('when another run holds the key, then a waiter polls on the clock and gives up when the clock reaches its deadline', async () => {
    const clock = createManualClock(Date.now());
    state = createRedisState({ url: SHARED_REDIS_URL, keyPrefix: prefix, clock });
    await state.ready();
    assert.equal((await state.idempotency.claim('k', 600_000)).kind, 'claimed');
    const deadline = clock.now() + 30_000;
    let outcome: unknown;
    const waiting = state.idempotency.waitFor('k', deadline).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    void waiting.then((o) => (outcome = o));
    let polls = 0;
    // Every pause is a timer on the clock: move time to it (each at most 250 ms), until the deadline.
    while (outcome === undefined && polls < 400) {
      // Real Redis round trips come first (slower on a loaded machine): wait until the waiter pauses.
      for (let i = 0; i < 150 && outcome === undefined && clock.pending() === 0; i++) await settle();
      if (outcome !== undefined) break;
      assert.equal(clock.pending(), 1, 'the waiter pauses on the clock');
      clock.advance(1000);
      polls++;
    }
    assert.ok(outcome instanceof DeadlineExceededError, `the wait ended with ${String(outcome)}`);
    assert.ok(clock.now() >= deadline && clock.now() < deadline + 1000, 'it gave up when the clock reached the deadline');
    assert.equal(clock.pending(), 0);
  });
});
