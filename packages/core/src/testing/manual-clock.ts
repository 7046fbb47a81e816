import { systemClock, type Clock } from '../clock.js';

/**
 * The one fake `Clock` for every package's tests (`@baton/core/testing`). Time moves only when the
 * test says so (`advance`) or when code sleeps: a sleep returns at once and moves time forward by
 * its length (recorded in `sleeps`), so retry and pacing waits cost no wall time. Timers fire when
 * time passes their due time, by `advance` or by a sleep. Concurrent sleeps add up: meant for code
 * whose waits happen one after another.
 */
export interface ManualClock extends Clock {
  /** Every sleep's length, in order. */
  readonly sleeps: number[];
  /** Moves time forward and fires the timers that fall due. */
  advance(ms: number): void;
  /** Timers set and not yet fired or cancelled. */
  pending(): number;
}

export function createManualClock(start = Date.parse('2026-01-01T00:00:00Z')): ManualClock {
  let now = start;
  let timers: { at: number; fn: () => void }[] = [];
  const sleeps: number[] = [];
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.fn();
  };
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      advance(Math.max(0, ms));
    },
    setTimer(ms, fn) {
      const timer = { at: now + Math.max(0, ms), fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance,
    pending: () => timers.length,
  };
}

/**
 * Real timers and sleeps (for code under test that needs them to run), but a `now` the test can
 * move forward, e.g. past a token's expiry or a throttle window.
 */
export function createShiftedClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
    setTimer: (ms, fn) => systemClock.setTimer(ms, fn),
    advance: (ms) => void (offset += ms),
  };
}
