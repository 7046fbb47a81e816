import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StateLogger } from './connection.js';
import { StateUnavailableError } from './errors.js';

/** The `reason` a StateUnavailableError carries during the hold (shown by /readyz). */
export const DATA_LOSS_HOLD_REASON = 'redis_data_loss_hold';

export interface DataLossGuardOptions {
  client: Redis;
  keyPrefix: string;
  /**
   * How long claims stay refused after Redis came back without its data. At least the longest a
   * claim can live: the handoff deadline, then a write sent just before it may answer for up to
   * writeSettleMs, then runOnce's margin (recoveryHoldMsFor in state.ts), so that every handoff
   * that held a lost claim has finished before anyone may claim its conversation again.
   */
  holdMs: number;
  now?: () => number;
  logger?: StateLogger;
}

export interface DataLossGuard {
  /** Throws StateUnavailableError while claims are held after a data loss. */
  assertClaimsAllowed(): Promise<void>;
}

/**
 * Detects a Redis that came back empty (restarted without persistence, or failed over to a replica
 * that never had our keys). Idempotency claims of handoffs still in flight are gone then, and an
 * Architect retry reaching another replica would claim the conversation afresh and could transfer
 * it a second time while the first transfer is still under way.
 *
 * A marker key `<prefix>epoch` (no TTL) lives exactly as long as the data. Every replica remembers
 * the marker it saw; when a (re)connection finds it missing or different, the data was lost, and
 * this replica refuses claims for `holdMs`. A replica's very first connection has nothing to
 * compare with and does not hold. The marker must not be evicted: run Redis with
 * `maxmemory-policy noeviction` (evicting idempotency keys would be as bad).
 */
export function createDataLossGuard(options: DataLossGuardOptions): DataLossGuard {
  const { client, holdMs } = options;
  const now = options.now ?? Date.now;
  const key = `${options.keyPrefix}epoch`;
  let known: string | undefined;
  let holdUntil = 0;
  let checking: Promise<void> | undefined;

  const verify = async () => {
    const mine = randomUUID();
    const created = (await client.set(key, mine, 'NX')) === 'OK';
    const current = created ? mine : await client.get(key);
    if (current === null) return;
    if (known !== undefined && current !== known) {
      holdUntil = now() + holdMs;
      options.logger?.warn({ holdMs }, 'Redis came back without its data: refusing handoffs until every claim it lost has expired');
    }
    known = current;
  };

  const check = () => {
    checking = verify()
      .catch(() => undefined)
      .finally(() => {
        checking = undefined;
      });
  };
  client.on('ready', check);
  if (client.status === 'ready') check();

  return {
    async assertClaimsAllowed() {
      if (checking) await checking;
      const remaining = holdUntil - now();
      if (remaining > 0) {
        throw new StateUnavailableError(
          `Shared state was reset (Redis came back without its data); handoffs resume in ${Math.ceil(remaining / 1000)} s, once no handoff that was in flight can still be running, so that none runs twice.`,
          { details: { retryAfterMs: remaining, reason: DATA_LOSS_HOLD_REASON } },
        );
      }
    },
  };
}
