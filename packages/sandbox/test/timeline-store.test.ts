import assert from 'node:assert/strict';
import { createTimelineStore } from '../src/index.js';

describe("the console's timeline store (bounded, per conversation)", () => {
  const step = (name: string) => ({ step: 'Decision', name });

  it('keeps each conversation\'s steps in order, stamped with the clock and an increasing seq', () => {
    let t = Date.parse('2026-09-01T12:00:00.000Z');
    const store = createTimelineStore({ now: () => t });
    store.add('c-1', step('a'));
    t += 1500;
    store.add('c-2', step('x'));
    store.add('c-1', { step: 'Call Data Action', name: 'b', outcome: 'Timeout', detail: 'Baton - Handoff', durationMs: 10_000 });
    const c1 = store.list('c-1');
    assert.deepEqual(c1.events.map((e) => e.name), ['a', 'b']);
    assert.deepEqual(c1.events.map((e) => e.at), ['2026-09-01T12:00:00.000Z', '2026-09-01T12:00:01.500Z']);
    assert.ok(c1.events[0]!.seq < c1.events[1]!.seq);
    assert.equal(c1.events[1]!.durationMs, 10_000);
    assert.deepEqual(store.list('c-2').events.map((e) => e.name), ['x']);
    assert.deepEqual(store.list('never'), { events: [], dropped: 0 });
  });

  it('when a conversation has more steps than it keeps, then the oldest go and are counted as dropped', () => {
    const store = createTimelineStore({ now: () => 0, maxEventsPerConversation: 3 });
    for (const n of ['1', '2', '3', '4', '5']) store.add('c', step(n));
    const { events, dropped } = store.list('c');
    assert.deepEqual(events.map((e) => e.name), ['3', '4', '5']);
    assert.equal(dropped, 2);
  });

  it('when more conversations than it keeps are added to, then the least recently active one goes', () => {
    const store = createTimelineStore({ now: () => 0, maxConversations: 2 });
    store.add('old', step('a'));
    store.add('busy', step('b'));
    store.add('old', step('c')); // "old" is active again: "busy" is now the least recent
    store.add('new', step('d'));
    assert.deepEqual(store.list('busy').events, [], 'the least recently active conversation was let go');
    assert.deepEqual(store.list('old').events.map((e) => e.name), ['a', 'c']);
    assert.deepEqual(store.list('new').events.map((e) => e.name), ['d']);
  });

  it('hands out copies: a reader cannot change what the store holds', () => {
    const store = createTimelineStore({ now: () => 0 });
    store.add('c', step('a'));
    (store.list('c').events as unknown[]).length = 0;
    assert.equal(store.list('c').events.length, 1);
  });

  it('refuses a bound below one', () => {
    assert.throws(() => createTimelineStore({ now: () => 0, maxConversations: 0 }), RangeError);
  });
});
