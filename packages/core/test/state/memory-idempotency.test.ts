import assert from 'node:assert/strict';
import { DeadlineExceededError } from '../../src/errors.js';
import { createMemoryIdempotencyStore } from '../../src/state/memory.js';
import { createManualClock } from '../../src/testing/index.js';

describe('in-memory idempotency store', () => {
  it('drops expired entries of conversations never seen again, so a long-running bridge does not grow without bound', async () => {
    const clock = createManualClock();
    const store = createMemoryIdempotencyStore(clock);
    for (let i = 0; i < 100; i++) {
      assert.equal((await store.claim(`conv-${i}`, 1000)).kind, 'claimed');
      await store.complete(`conv-${i}`, { n: i }, 5_000);
    }
    assert.equal(store.size, 100);
    clock.advance(61_000); // past every entry's TTL and the sweep interval
    await store.claim('another', 1000);
    assert.equal(store.size, 1, 'only the new claim is left');
  });

  it('keeps entries that have not expired', async () => {
    const clock = createManualClock();
    const store = createMemoryIdempotencyStore(clock);
    await store.claim('a', 1000);
    await store.complete('a', 'first', 10 * 60_000);
    clock.advance(61_000);
    assert.deepEqual(await store.claim('b', 1000), { kind: 'claimed' });
    assert.deepEqual(await store.claim('a', 1000), { kind: 'completed', result: 'first' });
  });

  describe('waitFor, on the clock', () => {
    it('when the holder never finishes, then the wait gives up at its deadline as the clock says, with no timer left behind', async () => {
      const clock = createManualClock();
      const store = createMemoryIdempotencyStore(clock);
      await store.claim('k', 60_000);
      let outcome: unknown;
      const waiting = store.waitFor('k', clock.now() + 30_000).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      void waiting.then((o) => (outcome = o));
      // Each poll is a timer on the clock: move time in 1 s steps, letting the waiter look again.
      let steps = 0;
      for (; steps < 40; steps++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (outcome !== undefined) break;
        clock.advance(1000);
      }
      assert.equal(steps, 30, 'it gave up when the clock reached its deadline');
      assert.ok(outcome instanceof DeadlineExceededError, `the wait ended with ${String(outcome)}`);
      assert.equal(clock.pending(), 0);
    });

    it('when the holder completes, then the waiter gets its result at once and its poll timer is cancelled', async () => {
      const clock = createManualClock();
      const store = createMemoryIdempotencyStore(clock);
      await store.claim('k', 60_000);
      const waiting = store.waitFor<string>('k', clock.now() + 30_000);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(clock.pending(), 1, 'one poll timer while waiting');
      await store.complete('k', 'done', 60_000);
      assert.equal(await waiting, 'done');
      assert.equal(clock.pending(), 0);
    });

    it('when a claim expires unreleased, then the next poll (clock time) sees it gone', async () => {
      const clock = createManualClock();
      const store = createMemoryIdempotencyStore(clock);
      await store.claim('k', 1500);
      const waiting = store.waitFor('k', clock.now() + 30_000);
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1000);
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1000);
      assert.equal(await waiting, undefined);
    });
  });
});
