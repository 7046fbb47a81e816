import { BatonError, DeadlineExceededError, HandoffInProgressError } from '../errors.js';
import type { IdempotencyStore } from '../state/idempotency-store.js';

/** What one claimed run produced: `keep` is stored for repeats; without it the claim is given back. */
export interface RunOutcome<V, S> {
  value: V;
  keep?: S | undefined;
}

export type RunOnceResult<V, S> = { kind: 'ran'; value: V } | { kind: 'repeat'; stored: S };

/** The claim a run holds, handed to its work. */
export interface HeldClaim {
  /**
   * Keeps the claim until `until` (epoch ms) plus the margin. The work calls it before sending a
   * write with the latest time that write's answer may arrive (CallOptions.beforeWrite), so that a
   * retry cannot claim the conversation while a transfer it sent may still be applied. Throws
   * (state_unavailable) when the claim is already lost: the write must not be sent then.
   */
  cover(until: number): Promise<void>;
  /**
   * The claim was taken after waiting for another run of the key, which gave it back: what this
   * run read before claiming may be stale (that run may have written), so it reads again.
   */
  readonly waited: boolean;
}

/** Default margin a claim outlives the run's deadline (and each write it waits on) by. */
export const CLAIM_MARGIN_MS = 5000;

/** A claim taken: the run's work holds it, then `finish` keeps its outcome for repeats or gives it back. */
export interface TakenClaim<S> extends HeldClaim {
  /** Stores `keep` for repeats (ttlMs), or, without it, gives the claim back. Never throws. */
  finish(keep: S | undefined): Promise<void>;
  /**
   * Gives the claim back after `failure`, so a retry can run; unless the failure left a write whose
   * outcome is unknown (writeMayStillApply): then the claim is left to lapse by itself (each write
   * extended it past the write's answer, plus the margin), so a retry in that window waits for it
   * and then re-reads the conversation instead of sending the write again. Never throws.
   */
  release(failure?: unknown): Promise<void>;
}

/**
 * A failure after a write whose outcome is unknown: a transfer Genesys may have accepted and still
 * apply after its 202 (delivery.ts: handoff_incomplete with transferOutcome `unknown`).
 */
export function writeMayStillApply(failure: unknown): boolean {
  return failure instanceof BatonError && failure.details['transferOutcome'] === 'unknown';
}

export type ClaimResult<S> = { kind: 'claimed'; claim: TakenClaim<S> } | { kind: 'repeat'; stored: S };

export interface ClaimOptions {
  store: IdempotencyStore;
  key: string;
  ttlMs: number;
  deadline: number;
  now: () => number;
  /** How long the claim outlives the deadline and every write covered. Default CLAIM_MARGIN_MS. */
  claimMarginMs?: number;
}

/**
 * Claims `key` once (per conversation session): Architect may run a data action again and two
 * replicas may see the same handoff. A repeat gets the stored result; a concurrent duplicate waits
 * for the first to finish, and if it does not within the duplicate's own deadline, fails with
 * handoff_in_progress instead of transferring a second time. For a run whose key is known only
 * after a read (handed-off.ts: the session comes from the conversation), so the claim is taken
 * after that read and before any write.
 */
export async function claimOnce<S>(options: ClaimOptions): Promise<ClaimResult<S>> {
  const { store, key } = options;
  const margin = options.claimMarginMs ?? CLAIM_MARGIN_MS;
  let waited = false;
  const taken: TakenClaim<S> = {
    get waited() {
      return waited;
    },
    async cover(until) {
      let held: boolean;
      try {
        held = await store.extend(key, Math.max(1, until - options.now() + margin));
      } catch {
        // The store cannot be reached: no other replica can claim the key either (claims fail the
        // same way), and the data-loss guard covers a store that comes back empty. Go on.
        return;
      }
      if (!held) {
        throw new BatonError(
          'state_unavailable',
          'The idempotency claim of this handoff was lost (it expired or the shared state was reset), so the write was not sent: another request may be handing off this conversation. Run the handoff again: it re-reads the conversation first.',
          { details: { notSent: true } },
        );
      }
    },
    async finish(keep) {
      if (keep === undefined) {
        await store.release(key).catch(() => undefined);
      } else {
        // The work is done (perhaps a transfer): a store failure here must not turn it into an error
        // the flow would retry. A repeat then finds the conversation already handed off.
        await store.complete(key, keep, options.ttlMs).catch(() => undefined);
      }
    },
    async release(failure) {
      if (writeMayStillApply(failure)) return;
      await store.release(key).catch(() => undefined);
    },
  };
  for (;;) {
    // The pending claim lives only as long as this run may (plus a margin), so a crashed replica
    // does not block the conversation for the whole result TTL; each write the run sends extends
    // it to cover that write's answer, which may come after the deadline (writeSettleMs).
    const claimTtl = Math.max(1000, options.deadline - options.now() + margin);
    const claimed = await store.claim<S>(key, claimTtl);
    if (claimed.kind === 'completed') return { kind: 'repeat', stored: claimed.result };
    if (claimed.kind === 'claimed') return { kind: 'claimed', claim: taken };
    let result: S | undefined;
    waited = true;
    try {
      result = await store.waitFor<S>(key, options.deadline);
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      throw new HandoffInProgressError(
        'An earlier handoff of this conversation is still running (a transfer it sent may still be waiting for Genesys to answer) and did not finish within this request\'s deadline. This request did nothing; run it again in a few seconds to get that handoff\'s outcome.',
        { cause: error },
      );
    }
    if (result !== undefined) return { kind: 'repeat', stored: result };
    // The first run gave its claim back: try to claim it ourselves.
  }
}

/**
 * Runs `work` at most once per `key` (claimOnce). `work` decides what is kept: a result that wrote
 * something is stored for `ttlMs`; one that wrote nothing (bot keeps, already handed off) releases
 * the claim. A throw releases the claim too (unless a write may still apply: TakenClaim.release),
 * so `work` must never throw once a transfer happened (it returns a `transferred` result instead).
 */
export async function runOnce<V, S>(
  options: ClaimOptions & { work: (claim: HeldClaim) => Promise<RunOutcome<V, S>> },
): Promise<RunOnceResult<V, S>> {
  const claimed = await claimOnce<S>(options);
  if (claimed.kind === 'repeat') return claimed;
  let outcome: RunOutcome<V, S>;
  try {
    outcome = await options.work(claimed.claim);
  } catch (error) {
    await claimed.claim.release(error);
    throw error;
  }
  await claimed.claim.finish(outcome.keep);
  return { kind: 'ran', value: outcome.value };
}
