import assert from 'node:assert/strict';
import { RateBudgetExhaustedError } from '../../src/errors.js';
import { createPacer, DEFAULT_MAX_HOLD_MS } from '../../src/genesys/pacer.js';
import { createManualClock } from '../../src/testing/index.js';

describe('pacer', () => {
  it('lets the budget through at once, then holds the next request until the window has passed', async () => {
    const clock = createManualClock();
    const t0 = clock.now();
    const pacer = createPacer({ clock, requestsPerMinute: 20 });
    for (let i = 0; i < 20; i += 1) await pacer.acquire(t0 + 120_000);
    assert.equal(clock.now(), t0);
    await pacer.acquire(t0 + 120_000);
    assert.equal(clock.now(), t0 + 60_000);
  });

  it('never lets more than the budget start within any window', async () => {
    const clock = createManualClock();
    const pacer = createPacer({ clock, requestsPerMinute: 5, windowMs: 1000 });
    const starts: number[] = [];
    for (let i = 0; i < 23; i += 1) {
      clock.advance(137);
      await pacer.acquire(clock.now() + 100_000);
      starts.push(clock.now());
    }
    for (const s of starts) assert.ok(starts.filter((t) => t >= s && t < s + 1000).length <= 5);
  });

  it('fails fast with RateBudgetExhaustedError when the slot would come after the deadline', async () => {
    const clock = createManualClock();
    const pacer = createPacer({ clock, requestsPerMinute: 2 });
    await pacer.acquire(clock.now() + 1000);
    await pacer.acquire(clock.now() + 1000);
    await assert.rejects(pacer.acquire(clock.now() + 1000), (e: unknown) => e instanceof RateBudgetExhaustedError && /rate budget exhausted/i.test(e.message));
    assert.deepEqual(clock.sleeps, [], 'it must not wait before failing');
  });

  it('holds every request after a 429 until the Retry-After has passed', async () => {
    const clock = createManualClock();
    const pacer = createPacer({ clock });
    pacer.holdUntil(clock.now() + 5000);
    await pacer.acquire(clock.now() + 10_000);
    assert.deepEqual(clock.sleeps, [5000]);
  });

  it('when a Retry-After asks for a day, then the hold is cut to maxHoldMs and a warning says so', async () => {
    const clock = createManualClock();
    const warnings: { facts: Record<string, unknown>; message: string }[] = [];
    const pacer = createPacer({ clock, maxHoldMs: 60_000, logger: { warn: (facts, message) => warnings.push({ facts, message }) } });
    pacer.holdUntil(clock.now() + 86_400_000);
    await pacer.acquire(clock.now() + 120_000);
    assert.deepEqual(clock.sleeps, [60_000]);
    assert.equal(warnings.length, 1);
    assert.deepEqual(warnings[0]?.facts, { retryAfterMs: 86_400_000, maxHoldMs: 60_000 });
    assert.match(warnings[0]?.message ?? '', /86400 s.*60 s/);
  });

  it('when no maxHoldMs is given, then a hold lasts at most DEFAULT_MAX_HOLD_MS; a shorter one is kept as asked, without a warning', async () => {
    const clock = createManualClock();
    let warned = 0;
    const pacer = createPacer({ clock, logger: { warn: () => (warned += 1) } });
    pacer.holdUntil(clock.now() + 5000);
    await pacer.acquire(clock.now() + 10_000);
    pacer.holdUntil(clock.now() + 86_400_000);
    await pacer.acquire(clock.now() + 120_000);
    assert.deepEqual(clock.sleeps, [5000, DEFAULT_MAX_HOLD_MS]);
    assert.equal(warned, 1);
  });
});
