import { systemClock, type Clock } from '../clock.js';
import type { HandoffTrace } from '../contracts/trace.js';
import { DeadlineExceededError } from '../errors.js';
import type { ClaimOutcome, IdempotencyStore } from './idempotency-store.js';
import type { CachedToken, TokenStore } from './token-store.js';
import type { TraceStore } from './trace-store.js';

const SWEEP_INTERVAL_MS = 60_000;

/** In-memory stores: the embedded single-process default. Entries expire, and waiters give up, by `clock`. */
export function createMemoryIdempotencyStore(clock: Clock = systemClock): IdempotencyStore & { readonly size: number } {
  type Entry = { state: 'pending' | 'done'; result?: unknown; expiresAt: number };
  const entries = new Map<string, Entry>();
  const waiters = new Map<string, Set<() => void>>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  // Expired entries are otherwise only dropped when their key is seen again: sweep now and then so
  // a long-running bridge does not keep every conversation it ever handed off.
  let nextSweep = clock.now() + SWEEP_INTERVAL_MS;
  const sweep = () => {
    const at = clock.now();
    if (at < nextSweep) return;
    nextSweep = at + SWEEP_INTERVAL_MS;
    for (const [key, entry] of entries) if (entry.expiresAt <= at && !waiters.has(key)) entries.delete(key);
  };
  const wake = (key: string) => {
    for (const w of waiters.get(key) ?? []) w();
    waiters.delete(key);
  };

  return {
    /** Entries held (for tests of the sweep). */
    get size() {
      return entries.size;
    },
    async claim<T>(key: string, ttlMs: number): Promise<ClaimOutcome<T>> {
      sweep();
      const entry = live(key);
      if (!entry) {
        entries.set(key, { state: 'pending', expiresAt: clock.now() + ttlMs });
        return { kind: 'claimed' };
      }
      return entry.state === 'done' ? { kind: 'completed', result: entry.result as T } : { kind: 'in_progress' };
    },
    async complete<T>(key: string, result: T, ttlMs: number) {
      entries.set(key, { state: 'done', result, expiresAt: clock.now() + ttlMs });
      wake(key);
    },
    async extend(key: string, ttlMs: number) {
      const entry = live(key);
      if (entry?.state !== 'pending') return false;
      entry.expiresAt = Math.max(entry.expiresAt, clock.now() + ttlMs);
      return true;
    },
    async release(key: string) {
      entries.delete(key);
      wake(key);
    },
    async waitFor<T>(key: string, deadline: number): Promise<T | undefined> {
      for (;;) {
        const entry = live(key);
        if (!entry) return undefined;
        if (entry.state === 'done') return entry.result as T;
        const remaining = deadline - clock.now();
        if (remaining <= 0) throw new DeadlineExceededError('Timed out waiting for a concurrent handoff of this conversation to finish');
        // Woken by complete/release, or after a while to look again (the claim may expire unreleased).
        await new Promise<void>((resolve) => {
          const set = waiters.get(key) ?? new Set<() => void>();
          const cancelTimer = clock.setTimer(Math.min(remaining, 1000), () => {
            set.delete(wake);
            if (set.size === 0 && waiters.get(key) === set) waiters.delete(key);
            resolve();
          });
          const wake = () => {
            cancelTimer();
            resolve();
          };
          set.add(wake);
          waiters.set(key, set);
        });
      }
    },
  };
}

export function createMemoryTokenStore(): TokenStore {
  let current: CachedToken | undefined;
  let inflight: Promise<unknown> | undefined;
  return {
    async get() {
      return current;
    },
    async set(token) {
      current = token;
    },
    async invalidate(accessToken) {
      if (current?.accessToken === accessToken) current = undefined;
    },
    async withRefreshLock<T>(refresh: () => Promise<T>): Promise<T> {
      // Single-flight: concurrent callers share the one refresh in progress.
      if (inflight) return inflight as Promise<T>;
      const run = refresh().finally(() => {
        inflight = undefined;
      });
      inflight = run;
      return run;
    },
  };
}

export function createMemoryTraceStore(capacity = 1000): TraceStore {
  const traces: HandoffTrace[] = [];
  return {
    async append(trace) {
      traces.push(trace);
      if (traces.length > capacity) traces.splice(0, traces.length - capacity);
    },
    async get(handoffId) {
      return traces.find((t) => t.handoffId === handoffId);
    },
    async list(options = {}) {
      const matching = traces.filter((t) => !options.conversationId || t.conversationId === options.conversationId);
      return matching.reverse().slice(0, options.limit ?? 50);
    },
  };
}
