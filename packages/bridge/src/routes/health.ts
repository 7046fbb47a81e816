import { isBatonError } from '@baton/core';
import { Router } from 'express';
import type { Logger } from '../logger.js';

export interface ReadinessCheck {
  /** Shown in the /readyz body, e.g. `genesys`. */
  name: string;
  /** Resolves when ready; throws (ideally a BatonError) when not. */
  check(deadline: number): Promise<void>;
}

export interface HealthRoutesOptions {
  checks: readonly ReadinessCheck[];
  isShuttingDown: () => boolean;
  logger: Logger;
  now: () => number;
  /** Per-check budget, ms. */
  timeoutMs?: number;
}

/**
 * `/healthz` (the process is up) and `/readyz` (it can serve: a Genesys token can be had; later
 * also the state store). Both are open, so load balancers and orchestrators can probe them; they
 * therefore say only ok/failing, an error code and, where there is one, a fixed reason word (e.g.
 * `redis_data_loss_hold`), never the error text (it names the OAuth client and region), which goes
 * to the log instead.
 */
export function createHealthRoutes(options: HealthRoutesOptions): Router {
  const router = Router();
  const timeoutMs = options.timeoutMs ?? 5000;

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    if (options.isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const checks: Record<string, string> = {};
    let code: string | undefined;
    let reason: string | undefined;
    let retryAfterMs: number | undefined;
    await Promise.all(
      options.checks.map(async (c) => {
        try {
          await c.check(options.now() + timeoutMs);
          checks[c.name] = 'ok';
        } catch (error) {
          checks[c.name] = 'failing';
          code ??= isBatonError(error) ? error.code : 'internal_error';
          // A stable reason word (never the error's text) where the failure has one, e.g. the
          // hold after Redis lost its data, when Redis answers but handoffs are refused.
          const details = isBatonError(error) ? error.details : {};
          if (typeof details.reason === 'string') reason ??= details.reason;
          if (typeof details.retryAfterMs === 'number') retryAfterMs = Math.max(retryAfterMs ?? 0, details.retryAfterMs);
          options.logger.warn({ check: c.name, err: error }, 'readiness check failed');
        }
      }),
    );
    if (code === undefined) {
      res.json({ status: 'ready', checks });
      return;
    }
    if (retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
    res.status(503).json({ status: 'not_ready', code, ...(reason !== undefined && { reason }), checks });
  });
  return router;
}

/**
 * How long /readyz repeats a failed Genesys login instead of trying again. /readyz is open and
 * probed every few seconds by each orchestrator and load balancer; while logins fail (wrong
 * secret, Genesys down) every probe would otherwise start a login of its own, with its retries
 * (10 probes made 40 token requests), spending the token endpoint's rate limit on probes. 15 s is shorter than a typical readiness failure threshold (3 probes × 10 s), so
 * recovery is still seen within one probe period or two.
 */
export const FAILED_CHECK_MEMORY_MS = 15_000;

/**
 * Wraps a readiness check so that a failure is remembered for `memoryMs` (on the app's clock) and
 * answered again without running the check. Successes are not remembered: a working check is cheap
 * (the Genesys one returns the cached token).
 */
export function rememberFailures(check: ReadinessCheck, now: () => number, memoryMs = FAILED_CHECK_MEMORY_MS): ReadinessCheck {
  let failed: { error: unknown; until: number } | undefined;
  return {
    name: check.name,
    async check(deadline) {
      if (failed && now() < failed.until) throw failed.error;
      failed = undefined;
      try {
        await check.check(deadline);
      } catch (error) {
        failed = { error, until: now() + memoryMs };
        throw error;
      }
    },
  };
}
