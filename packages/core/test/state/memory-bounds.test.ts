import assert from 'node:assert/strict';
import type { HandoffTrace } from '../../src/contracts/trace.js';
import { createQueueCache } from '../../src/handoff/queue-cache.js';
import { createMemoryIdempotencyStore, createMemoryTraceStore } from '../../src/state/memory.js';
import { createManualClock } from '../../src/testing/index.js';

// Memory stays flat under sustained load: every per-handoff record kept in memory is bounded by
// count and by bytes (the lean-bridge issue).
describe('in-memory stores are bounded', () => {
  const result = (n: number, transcript = '') => ({ status: 'ready_for_transfer', n, transcript });

  it('when more handoff results are kept than maxEntries, then the oldest go first and the newest answer repeats', async () => {
    const store = createMemoryIdempotencyStore(createManualClock(), { maxEntries: 100 });
    for (let i = 0; i < 1000; i++) {
      await store.claim(`conv-${i}`, 1000);
      await store.complete(`conv-${i}`, result(i), 15 * 60_000);
    }
    assert.equal(store.size, 100);
    assert.equal(store.evicted, 900);
    assert.deepEqual(await store.claim('conv-999', 1000), { kind: 'completed', result: result(999) });
    assert.deepEqual(await store.claim('conv-0', 1000), { kind: 'claimed' }, 'a dropped result runs again');
  });

  it('when kept results pass maxBytes, then the oldest go first until the bytes fit', async () => {
    const store = createMemoryIdempotencyStore(createManualClock(), { maxBytes: 50_000 });
    const long = 'x'.repeat(4000);
    for (let i = 0; i < 100; i++) {
      await store.claim(`conv-${i}`, 1000);
      await store.complete(`conv-${i}`, result(i, long), 15 * 60_000);
    }
    assert.ok(store.bytes <= 50_000, `${store.bytes} bytes kept`);
    assert.ok(store.size >= 10 && store.size <= 12, `${store.size} results kept`);
    assert.equal((await store.claim('conv-99', 1000)).kind, 'completed');
  });

  it('when a caller changes a result or trace after keeping it, or one it read back, then the kept record is unchanged (kept as JSON, as Redis keeps it)', async () => {
    const store = createMemoryIdempotencyStore(createManualClock());
    const given = result(1);
    await store.claim('conv-1', 1000);
    await store.complete('conv-1', given, 60_000);
    given.status = 'changed';
    const read = await store.claim<ReturnType<typeof result>>('conv-1', 1000);
    assert.deepEqual(read, { kind: 'completed', result: result(1) });
    if (read.kind === 'completed') read.result.status = 'changed again';
    assert.deepEqual(await store.waitFor('conv-1', 1000), result(1));

    const traces = createMemoryTraceStore();
    const trace = { handoffId: 'h-1', conversationId: 'c-1', status: 'done' } as unknown as HandoffTrace;
    await traces.append(trace);
    (trace as { status: string }).status = 'changed';
    const back = await traces.get('h-1');
    assert.equal((back as { status?: string } | undefined)?.status, 'done');
    (back as { status: string }).status = 'changed again';
    assert.equal(((await traces.list({ conversationId: 'c-1' }))[0] as { status?: string } | undefined)?.status, 'done');
  });

  it('when the bounds are reached by pending claims, then no pending claim is ever dropped (that could start a second run)', async () => {
    const store = createMemoryIdempotencyStore(createManualClock(), { maxEntries: 100 });
    for (let i = 0; i < 150; i++) await store.claim(`pending-${i}`, 60_000);
    assert.equal(store.size, 150);
    for (let i = 0; i < 150; i++) assert.equal((await store.claim(`pending-${i}`, 60_000)).kind, 'in_progress');
  });

  it('when more traces arrive than the bounds allow, then the newest are kept, by count and by bytes', async () => {
    const trace = (n: number, transcript = ''): HandoffTrace =>
      ({ handoffId: `h-${n}`, conversationId: `c-${n % 3}`, status: 'ready_for_transfer', transcript }) as unknown as HandoffTrace;
    const byCount = createMemoryTraceStore({ maxEntries: 50 });
    for (let i = 0; i < 5000; i++) await byCount.append(trace(i));
    assert.equal(byCount.size, 50);
    assert.equal((await byCount.list({ limit: 1 }))[0]?.handoffId, 'h-4999');
    assert.equal(await byCount.get('h-4949'), undefined);
    assert.equal((await byCount.get('h-4950'))?.handoffId, 'h-4950');
    assert.deepEqual(
      (await byCount.list({ conversationId: 'c-1', limit: 3 })).map((t) => t.handoffId),
      ['h-4999', 'h-4996', 'h-4993'],
    );

    const byBytes = createMemoryTraceStore({ maxBytes: 100_000 });
    for (let i = 0; i < 500; i++) await byBytes.append(trace(i, 'y'.repeat(5000)));
    assert.ok(byBytes.bytes <= 100_000, `${byBytes.bytes} bytes kept`);
    assert.ok(byBytes.size >= 15 && byBytes.size <= 20, `${byBytes.size} traces kept`);
  });

  it('when callers look up more queues than the cache holds, then it stays at its bound', async () => {
    const cache = createQueueCache({ ttlMs: 60_000, maxEntries: 10 });
    for (let i = 0; i < 100; i++) await cache.get(`q-${i}`, async () => ({ id: `q-${i}`, name: `Queue ${i}` }));
    assert.equal(cache.has('q-99'), true);
    assert.equal(cache.has('q-89'), false);
    assert.equal([...Array(100).keys()].filter((i) => cache.has(`q-${i}`)).length, 10);
  });
});
