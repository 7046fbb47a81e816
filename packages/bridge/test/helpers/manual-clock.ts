import type { Clock } from '../../src/clock.js';

/** A clock the test moves: timers fire only when `advance` passes their time. */
export function createManualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  let timers: Array<{ at: number; fn: () => void }> = [];
  const clock: Clock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimer(ms, fn) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    pending: () => timers.length,
  };
  return clock;
}
