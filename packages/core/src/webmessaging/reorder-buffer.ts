import type { Clock } from '../clock.js';

/**
 * Holds pushed messages for a short window and releases them sorted by their own time: web
 * messaging gives no ordering guarantee, so a bot's two replies can arrive swapped
 * (docs/genesys-facts.md#web-messaging-guest-api). Each message waits `windowMs` after it arrived;
 * when its wait ends, it is released together with every held message timed no later than it,
 * oldest first. A message that arrives after a later one was already released is released after
 * its own wait, out of order but never lost.
 */
export interface ReorderBuffer<T> {
  add(item: T, time: number): void;
  /** Releases everything still held, in time order (on close). */
  flush(): void;
  /** How many items are held. */
  size(): number;
}

export function createReorderBuffer<T>(options: { windowMs: number; clock: Clock; release: (item: T) => void }): ReorderBuffer<T> {
  const { windowMs, clock, release } = options;
  let seq = 0;
  // `seq` keeps arrival order among equal times (and for items whose time could not be read).
  let held: { item: T; time: number; seq: number; cancel: () => void }[] = [];

  const releaseUpTo = (entry: { time: number; seq: number }): void => {
    const due = held.filter((h) => h.time < entry.time || (h.time === entry.time && h.seq <= entry.seq) || h === entry);
    held = held.filter((h) => !due.includes(h));
    due.sort((a, b) => a.time - b.time || a.seq - b.seq);
    for (const h of due) {
      h.cancel();
      release(h.item);
    }
  };

  return {
    add(item, time) {
      if (windowMs <= 0) {
        release(item);
        return;
      }
      const entry = { item, time: Number.isFinite(time) ? time : Number.NEGATIVE_INFINITY, seq: seq++, cancel: () => undefined as void };
      held.push(entry);
      entry.cancel = clock.setTimer(windowMs, () => {
        if (held.includes(entry)) releaseUpTo(entry);
      });
    },
    flush() {
      const all = [...held].sort((a, b) => a.time - b.time || a.seq - b.seq);
      held = [];
      for (const h of all) {
        h.cancel();
        release(h.item);
      }
    },
    size: () => held.length,
  };
}
