/**
 * Work the process must not drop on SIGTERM: requests being answered, and handoffs that outlived
 * their HTTP deadline but are still writing to Genesys and the state stores.
 */
export interface InFlight {
  /** Tracks `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  readonly size: number;
  /** Resolves when nothing is in flight (immediately if nothing is). */
  drain(): Promise<void>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  let waiters: Array<() => void> = [];
  const settle = (p: Promise<unknown>) => {
    pending.delete(p);
    if (pending.size === 0) {
      const toWake = waiters;
      waiters = [];
      for (const w of toWake) w();
    }
  };
  return {
    track(work) {
      const marker = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(marker);
      void marker.then(() => settle(marker));
      return work;
    },
    get size() {
      return pending.size;
    },
    drain() {
      if (pending.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
