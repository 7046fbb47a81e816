import type { Models } from 'purecloud-platform-client-v2';

export interface QueueRef {
  id: string;
  name: string;
}

/**
 * Queue names by id, kept for a while: queues are rarely renamed, and a `GET /api/v2/routing/queues/{id}`
 * per handoff would spend the token's 300 requests/minute on something that does not change.
 * Concurrent lookups of one queue share a single call; failures (an unknown queue) are not kept, so a
 * fixed configuration works at once.
 */
export interface QueueCache {
  /** The queue, from the cache or from `load` (called at most once per id at a time). */
  get(queueId: string, load: () => Promise<Models.Queue>): Promise<QueueRef>;
  /** Whether `queueId` is cached and fresh (no call would be made). */
  has(queueId: string): boolean;
  clear(): void;
}

/** Queues kept at most: an org has hundreds, not thousands; ids from callers must not grow it without end. */
export const QUEUE_CACHE_MAX_ENTRIES = 1000;

export function createQueueCache(options: { ttlMs: number; now?: () => number; maxEntries?: number }): QueueCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? QUEUE_CACHE_MAX_ENTRIES;
  const fresh = new Map<string, { queue: QueueRef; expiresAt: number }>();
  const inflight = new Map<string, Promise<QueueRef>>();

  const cached = (queueId: string): QueueRef | undefined => {
    const entry = fresh.get(queueId);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      fresh.delete(queueId);
      return undefined;
    }
    return entry.queue;
  };

  return {
    async get(queueId, load) {
      const hit = cached(queueId);
      if (hit) return hit;
      const pending = inflight.get(queueId);
      if (pending) return pending;
      const lookup = (async () => {
        const queue = await load();
        const ref = { id: queue.id ?? queueId, name: queue.name ?? '' };
        if (options.ttlMs > 0) {
          fresh.delete(queueId);
          fresh.set(queueId, { queue: ref, expiresAt: now() + options.ttlMs });
          // Oldest first (insertion order): a bounded cache, whatever ids callers send.
          for (const key of fresh.keys()) {
            if (fresh.size <= maxEntries) break;
            fresh.delete(key);
          }
        }
        return ref;
      })().finally(() => inflight.delete(queueId));
      inflight.set(queueId, lookup);
      return lookup;
    },
    has: (queueId) => cached(queueId) !== undefined,
    clear() {
      fresh.clear();
      inflight.clear();
    },
  };
}
