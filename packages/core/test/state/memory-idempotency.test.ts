import assert from 'node:assert/strict';
import { createMemoryIdempotencyStore } from '../../src/state/memory.js';

describe('in-memory idempotency store', () => {
  it('drops expired entries of conversations never seen again, so a long-running bridge does not grow without bound', async () => {
    let clock = 1_000_000;
    const store = createMemoryIdempotencyStore(() => clock);
    for (let i = 0; i < 100; i++) {
      assert.equal((await store.claim(`conv-${i}`, 1000)).kind, 'claimed');
      await store.complete(`conv-${i}`, { n: i }, 5_000);
    }
    assert.equal(store.size, 100);
    clock += 61_000; // past every entry's TTL and the sweep interval
    await store.claim('another', 1000);
    assert.equal(store.size, 1, 'only the new claim is left');
  });

  it('keeps entries that have not expired', async () => {
    let clock = 0;
    const store = createMemoryIdempotencyStore(() => clock);
    await store.claim('a', 1000);
    await store.complete('a', 'first', 10 * 60_000);
    clock += 61_000;
    assert.deepEqual(await store.claim('b', 1000), { kind: 'claimed' });
    assert.deepEqual(await store.claim('a', 1000), { kind: 'completed', result: 'first' });
  });
});
