import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { createQueueCache } from '../../src/handoff/queue-cache.js';

describe('handoff/queue-cache', () => {
  it('loads a queue once while fresh, again after the TTL', async () => {
    let clock = 0;
    let loads = 0;
    const cache = createQueueCache({ ttlMs: 1000, now: () => clock });
    const load = async () => ({ id: 'q1', name: `Support ${++loads}` });
    assert.deepEqual(await cache.get('q1', load), { id: 'q1', name: 'Support 1' });
    clock = 999;
    assert.deepEqual(await cache.get('q1', load), { id: 'q1', name: 'Support 1' });
    assert.equal(cache.has('q1'), true);
    clock = 1000;
    assert.equal(cache.has('q1'), false);
    assert.deepEqual(await cache.get('q1', load), { id: 'q1', name: 'Support 2' });
  });

  it('shares one lookup between concurrent callers, and keeps no failure', async () => {
    let loads = 0;
    const cache = createQueueCache({ ttlMs: 1000 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => cache.get('q', async () => ({ id: 'q', name: `n${++loads}` }))),
    );
    assert.equal(loads, 1);
    assert.ok(results.every((r) => r.name === 'n1'));

    await assert.rejects(
      cache.get('bad', async () => Promise.reject(new Error('404'))),
      /404/,
    );
    assert.deepEqual(await cache.get('bad', async () => ({ id: 'bad', name: 'Fixed' })), {
      id: 'bad',
      name: 'Fixed',
    });
  });
});
