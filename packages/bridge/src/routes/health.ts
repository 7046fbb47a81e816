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
 * therefore say only ok/failing and an error code, never the error text (it names the OAuth client
 * and region), which goes to the log instead.
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
    await Promise.all(
      options.checks.map(async (c) => {
        try {
          await c.check(options.now() + timeoutMs);
          checks[c.name] = 'ok';
        } catch (error) {
          checks[c.name] = 'failing';
          code ??= isBatonError(error) ? error.code : 'internal_error';
          options.logger.warn({ check: c.name, err: error }, 'readiness check failed');
        }
      }),
    );
    if (code === undefined) res.json({ status: 'ready', checks });
    else res.status(503).json({ status: 'not_ready', code, checks });
  });
  return router;
}
