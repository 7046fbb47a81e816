import { systemClock, type Clock } from '../clock.js';
import type { HandoffTrace } from '../contracts/trace.js';
import { DeadlineExceededError } from '../errors.js';
import type { ClaimOutcome, IdempotencyStore } from './idempotency-store.js';
import type { CachedToken, TokenStore } from './token-store.js';
import type { TraceStore } from './trace-store.js';

const SWEEP_INTERVAL_MS = 60_000;

/**
 * How much a memory store may hold, by count and by bytes (the UTF-16 length of a record's JSON, a
 * cheap stand-in for the heap it takes), so a long-running bridge's memory stays flat however many
 * handoffs it serves. Past a bound the oldest records go first.
 *
 * Kept records are held as their JSON text, as the Redis stores hold them: a trace's object graph
 * (calls, transcript, context) took several times its JSON's size on the V8 heap, and the text is
 * what the byte bound measures anyway (one stringify instead of a stringify to measure plus the
 * graph). Reads (repeats, trace lookups) are rare and parse a fresh copy, so no caller can change
 * a kept record through the object it was given.
 */
export interface MemoryBounds {
  maxEntries?: number;
  maxBytes?: number;
}

/** Defaults: about 15 minutes of handoffs at a few per second, a few MB of traces. */
export const DEFAULT_IDEMPOTENCY_BOUNDS = { maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 } as const;
export const DEFAULT_TRACE_BOUNDS = { maxEntries: 1000, maxBytes: 16 * 1024 * 1024 } as const;

/** A record as kept: its JSON text, or (not JSON-serializable, which no handoff record is) the value itself. */
type Kept = { text: string | undefined } | { value: unknown };

const keep = (value: unknown): { kept: Kept; size: number } => {
  try {
    const text = JSON.stringify(value) as string | undefined;
    return { kept: { text }, size: text?.length ?? 0 };
  } catch {
    return { kept: { value }, size: 0 };
  }
};

const unkeep = (kept: Kept): unknown => ('value' in kept ? kept.value : kept.text === undefined ? undefined : JSON.parse(kept.text));

/**
 * In-memory stores: the embedded single-process default. Entries expire, and waiters give up, by
 * `clock`. Kept results are bounded (`bounds`): past a bound the oldest kept results are dropped
 * early. A pending claim is never dropped (that could let a second run start); a dropped result
 * only means a later repeat runs again, which re-reads the conversation first and finds it handed
 * off (the same as after the TTL).
 */
export function createMemoryIdempotencyStore(
  clock: Clock = systemClock,
  bounds: MemoryBounds = {},
): IdempotencyStore & { readonly size: number; readonly bytes: number; readonly evicted: number } {
  type Entry = { state: 'pending' | 'done'; result?: Kept; expiresAt: number; bytes: number };
  const maxEntries = bounds.maxEntries ?? DEFAULT_IDEMPOTENCY_BOUNDS.maxEntries;
  const maxBytes = bounds.maxBytes ?? DEFAULT_IDEMPOTENCY_BOUNDS.maxBytes;
  // Insertion order is age order: a key is deleted before it is set again.
  const entries = new Map<string, Entry>();
  const waiters = new Map<string, Set<() => void>>();
  let bytes = 0;
  let evicted = 0;

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const put = (key: string, entry: Entry) => {
    drop(key);
    entries.set(key, entry);
    bytes += entry.bytes;
  };
  /** Oldest kept results first, until both bounds hold (pending claims are skipped, never dropped). */
  const enforceBounds = () => {
    if (entries.size <= maxEntries && bytes <= maxBytes) return;
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) return;
      if (entry.state === 'pending' || waiters.has(key)) continue;
      drop(key);
      evicted += 1;
    }
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= clock.now()) {
      drop(key);
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
    for (const [key, entry] of entries) if (entry.expiresAt <= at && !waiters.has(key)) drop(key);
  };
  const wake = (key: string) => {
    for (const w of waiters.get(key) ?? []) w();
    waiters.delete(key);
  };

  return {
    /** Entries held, their size, and how many kept results the bounds dropped early (tests, metrics). */
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    get evicted() {
      return evicted;
    },
    async claim<T>(key: string, ttlMs: number): Promise<ClaimOutcome<T>> {
      sweep();
      const entry = live(key);
      if (!entry) {
        put(key, { state: 'pending', expiresAt: clock.now() + ttlMs, bytes: key.length });
        enforceBounds();
        return { kind: 'claimed' };
      }
      return entry.state === 'done' ? { kind: 'completed', result: unkeep(entry.result!) as T } : { kind: 'in_progress' };
    },
    async complete<T>(key: string, result: T, ttlMs: number) {
      const { kept, size } = keep(result);
      put(key, { state: 'done', result: kept, expiresAt: clock.now() + ttlMs, bytes: key.length + size });
      wake(key);
      enforceBounds();
    },
    async extend(key: string, ttlMs: number) {
      const entry = live(key);
      if (entry?.state !== 'pending') return false;
      entry.expiresAt = Math.max(entry.expiresAt, clock.now() + ttlMs);
      return true;
    },
    async release(key: string) {
      drop(key);
      wake(key);
    },
    async waitFor<T>(key: string, deadline: number): Promise<T | undefined> {
      for (;;) {
        const entry = live(key);
        if (!entry) return undefined;
        if (entry.state === 'done') return unkeep(entry.result!) as T;
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

/** The newest traces, bounded by count and by bytes (`bounds`, or a bare count as before). */
export function createMemoryTraceStore(bounds: MemoryBounds | number = {}): TraceStore & { readonly size: number; readonly bytes: number } {
  const { maxEntries, maxBytes } = typeof bounds === 'number' ? { maxEntries: bounds, maxBytes: DEFAULT_TRACE_BOUNDS.maxBytes } : { ...DEFAULT_TRACE_BOUNDS, ...bounds };
  // The ids beside the text, so lookups parse only the traces they return.
  type KeptTrace = { handoffId: string; conversationId: string; kept: Kept };
  const traces: KeptTrace[] = [];
  const sizes: number[] = [];
  let bytes = 0;
  let head = 0;
  const compact = () => {
    // Drop the evicted prefix now and then rather than shifting the arrays on every append.
    if (head > 1024 && head * 2 > traces.length) {
      traces.splice(0, head);
      sizes.splice(0, head);
      head = 0;
    }
  };
  return {
    get size() {
      return traces.length - head;
    },
    get bytes() {
      return bytes;
    },
    async append(trace) {
      const { kept, size } = keep(trace);
      traces.push({ handoffId: trace.handoffId, conversationId: trace.conversationId, kept });
      sizes.push(size);
      bytes += size;
      // The newest trace always stays, even alone over the byte bound.
      while (traces.length - head > 1 && (traces.length - head > maxEntries || bytes > maxBytes)) {
        bytes -= sizes[head] ?? 0;
        (traces as (KeptTrace | undefined)[])[head] = undefined;
        head += 1;
      }
      compact();
    },
    async get(handoffId) {
      for (let i = traces.length - 1; i >= head; i -= 1) {
        const t = traces[i];
        if (t?.handoffId === handoffId) return unkeep(t.kept) as HandoffTrace;
      }
      return undefined;
    },
    async list(options = {}) {
      const limit = options.limit ?? 50;
      const found: HandoffTrace[] = [];
      for (let i = traces.length - 1; i >= head && found.length < limit; i -= 1) {
        const t = traces[i];
        if (t && (!options.conversationId || t.conversationId === options.conversationId)) found.push(unkeep(t.kept) as HandoffTrace);
      }
      return found;
    },
  };
}
