import type { Clock } from '../../src/genesys/clock.js';

/** A clock whose sleeps return at once and move time forward, recording each wait. */
export interface VirtualClock extends Clock {
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function createVirtualClock(start = Date.UTC(2026, 8, 1, 10, 0, 0)): VirtualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      // Concurrent sleeps add up: meant for tests whose waits happen one after another.
      now += ms;
    },
    advance(ms) {
      now += ms;
    },
  };
}
