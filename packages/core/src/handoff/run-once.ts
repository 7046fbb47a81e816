import type { IdempotencyStore } from '../state/idempotency-store.js';

/** What one claimed run produced: `keep` is stored for repeats; without it the claim is given back. */
export interface RunOutcome<V, S> {
  value: V;
  keep?: S | undefined;
}

export type RunOnceResult<V, S> = { kind: 'ran'; value: V } | { kind: 'repeat'; stored: S };

/**
 * Runs `work` at most once per `key` (per conversation): Architect may run a data action again and
 * two replicas may see the same handoff. A repeat gets the stored result; a concurrent duplicate
 * waits for the first to finish (or give up) instead of transferring a second time.
 *
 * `work` decides what is kept: a result that wrote something is stored for `ttlMs`; one that wrote
 * nothing (bot keeps, already handed off) releases the claim. A throw releases the claim too, so
 * `work` must never throw once a transfer happened (it returns a `transferred` result instead).
 */
export async function runOnce<V, S>(options: {
  store: IdempotencyStore;
  key: string;
  ttlMs: number;
  deadline: number;
  now: () => number;
  work: () => Promise<RunOutcome<V, S>>;
}): Promise<RunOnceResult<V, S>> {
  const { store, key } = options;
  for (;;) {
    // The pending claim lives only as long as this run may (plus a margin for a write in flight),
    // so a crashed replica does not block the conversation for the whole result TTL.
    const claimTtl = Math.max(1000, options.deadline - options.now() + 5000);
    const claim = await store.claim<S>(key, claimTtl);
    if (claim.kind === 'completed') return { kind: 'repeat', stored: claim.result };
    if (claim.kind === 'in_progress') {
      const result = await store.waitFor<S>(key, options.deadline);
      if (result !== undefined) return { kind: 'repeat', stored: result };
      continue; // The first run gave its claim back: try to claim it ourselves.
    }
    let outcome: RunOutcome<V, S>;
    try {
      outcome = await options.work();
    } catch (error) {
      await store.release(key).catch(() => undefined);
      throw error;
    }
    if (outcome.keep === undefined) {
      await store.release(key).catch(() => undefined);
    } else {
      // The work is done (perhaps a transfer): a store failure here must not turn it into an error
      // the flow would retry. A repeat then finds the conversation already handed off.
      await store.complete(key, outcome.keep, options.ttlMs).catch(() => undefined);
    }
    return { kind: 'ran', value: outcome.value };
  }
}
