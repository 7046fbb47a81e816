/**
 * The one seam for time: deadlines, token expiry and durations read it, so tests drive time
 * instead of sleeping.
 */
export interface Clock {
  /** Epoch ms. */
  now(): number;
  /** Calls `fn` after `ms`; returns a cancel function. The timer never keeps the process alive. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return () => clearTimeout(handle);
  },
};
