/**
 * Idempotency per conversation: Architect may run a data action again, and two bridge replicas may
 * receive the same handoff. The first caller claims the key and does the work; a repeat gets the
 * first result; a concurrent duplicate waits for it instead of transferring twice.
 */
export type ClaimOutcome<T> =
  | { kind: 'claimed' }
  | { kind: 'completed'; result: T }
  /** Another caller holds the claim and has not finished. */
  | { kind: 'in_progress' };

export interface IdempotencyStore {
  /** Atomically claims `key` for `ttlMs`, or reports who has it. */
  claim<T>(key: string, ttlMs: number): Promise<ClaimOutcome<T>>;
  /** Stores the result of a claimed key (kept for `ttlMs`) and wakes waiters. */
  complete<T>(key: string, result: T, ttlMs: number): Promise<void>;
  /**
   * Keeps a pending claim alive until at least `ttlMs` from now (never shortens it), while its
   * holder still waits on a write it sent. Resolves false when the key is no longer pending (it
   * expired, was released or completed, or the store lost it): the holder no longer owns it.
   */
  extend(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back after a failure that left nothing done, so a retry can run. */
  release(key: string): Promise<void>;
  /** Waits until `key` completes (returns its result), is released (returns undefined), or `deadline` (epoch ms) passes (throws). */
  waitFor<T>(key: string, deadline: number): Promise<T | undefined>;
}
