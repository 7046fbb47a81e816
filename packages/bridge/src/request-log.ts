import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { InFlight } from './in-flight.js';
import type { Logger } from './logger.js';
import type { BridgeMetrics } from './metrics.js';
import type { Clock } from './clock.js';

export interface RequestLogOptions {
  logger: Logger;
  metrics: BridgeMetrics;
  clock: Clock;
  inFlight: InFlight;
  isShuttingDown: () => boolean;
}

/** Request paths probed often enough that logging each at info level would drown the rest. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** A header value as it may be logged: one string, bounded, printable. */
function headerValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') return undefined;
  return v.slice(0, 128).replace(/[^\x20-\x7e]/g, '?');
}

/**
 * One JSON log line per request, written when the answer is sent: the action, outcome, duration,
 * the source address, and the ids that tie it to Genesys. Genesys sends `ININ-Correlation-Id` and
 * `ININ-Organization-Id` with data-action requests (docs/genesys-facts.md#headers-genesys-sends);
 * `ININ-Request-Id` is seen in third-party code only. Never the headers themselves: they carry the
 * credentials.
 */
export function requestLog(options: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    const start = options.clock.now();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    // While draining on SIGTERM, ask keep-alive clients to reconnect (to another replica).
    if (options.isShuttingDown()) res.setHeader('Connection', 'close');

    options.metrics.trackRequest(1);
    let resolveDone!: () => void;
    void options.inFlight.track(new Promise<void>((resolve) => (resolveDone = resolve)));

    res.on('close', () => {
      resolveDone();
      options.metrics.trackRequest(-1);
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? routePath : 'unmatched';
      options.metrics.recordHttpRequest(route, req.method, res.statusCode);
      const fields: Record<string, unknown> = {
        requestId,
        // The TCP peer, or the client a trusted proxy names (BATON_TRUST_PROXY): who to block.
        remoteAddress: req.ip,
        method: req.method,
        path: req.path.slice(0, 200),
        status: res.statusCode,
        durationMs: options.clock.now() - start,
        ...(res.locals.log as Record<string, unknown> | undefined),
      };
      if (res.locals.authMode) fields.auth = res.locals.authMode;
      if (res.locals.errorCode) fields.errorCode = res.locals.errorCode;
      if (res.locals.contextId) fields.contextId = res.locals.contextId;
      const correlationId = headerValue(req.headers['inin-correlation-id']);
      const organizationId = headerValue(req.headers['inin-organization-id']);
      const ininRequestId = headerValue(req.headers['inin-request-id']);
      if (correlationId) fields.correlationId = correlationId;
      if (organizationId) fields.organizationId = organizationId;
      if (ininRequestId) fields.ininRequestId = ininRequestId;
      if (!res.writableFinished) fields.aborted = true;

      // A refused credential is worth a line wherever it happens: /metrics is a target too.
      const level = res.statusCode >= 500 ? 'error' : QUIET_PATHS.has(req.path) && res.statusCode < 400 ? 'debug' : 'info';
      options.logger[level](fields, 'request');
    });
    next();
  };
}
