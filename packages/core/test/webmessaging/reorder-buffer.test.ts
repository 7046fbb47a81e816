import assert from 'node:assert/strict';
import { createManualClock } from '@baton/core/testing';
import { createReorderBuffer } from '../../src/webmessaging/reorder-buffer.js';

describe('reorder buffer (web messaging delivers out of order)', () => {
  it('when a later message arrives first, then both are released in time order once the window passes', () => {
    const clock = createManualClock();
    const out: string[] = [];
    const b = createReorderBuffer<string>({ windowMs: 300, clock, release: (s) => out.push(s) });
    b.add('second', 2000);
    clock.advance(100);
    b.add('first', 1000);
    assert.deepEqual(out, []);
    clock.advance(200);
    assert.deepEqual(out, ['first', 'second']);
    assert.equal(b.size(), 0);
  });

  it('a message later than the one whose window ended stays held until its own window ends', () => {
    const clock = createManualClock();
    const out: string[] = [];
    const b = createReorderBuffer<string>({ windowMs: 300, clock, release: (s) => out.push(s) });
    b.add('a', 1000);
    clock.advance(200);
    b.add('b', 2000);
    clock.advance(100);
    assert.deepEqual(out, ['a']);
    clock.advance(200);
    assert.deepEqual(out, ['a', 'b']);
  });

  it('a message arriving after its successor was released is still released (late, never lost); flush releases the rest in order', () => {
    const clock = createManualClock();
    const out: string[] = [];
    const b = createReorderBuffer<string>({ windowMs: 300, clock, release: (s) => out.push(s) });
    b.add('b', 2000);
    clock.advance(300);
    b.add('a', 1000);
    b.add('d', 4000);
    b.add('c', 3000);
    b.flush();
    assert.deepEqual(out, ['b', 'a', 'c', 'd']);
    assert.equal(clock.pending(), 0);
  });

  it('with a zero window, it releases at once in arrival order', () => {
    const out: string[] = [];
    const b = createReorderBuffer<string>({ windowMs: 0, clock: createManualClock(), release: (s) => out.push(s) });
    b.add('b', 2);
    b.add('a', 1);
    assert.deepEqual(out, ['b', 'a']);
  });
});
