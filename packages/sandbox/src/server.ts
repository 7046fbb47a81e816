import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Agents, AgentScript } from './agents/agents.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import type { ConsoleSources } from './console/console-sources.js';
import type { ClientRegistry } from './auth/client-registry.js';
import type { TokenStore } from './auth/token-store.js';
import type { CounterSink } from './counters.js';
import type { FaultEngine } from './faults.js';
import type { GuestFaultController } from './guest/guest-faults.js';
import { ApiError, errors } from './http/api-error.js';
import type { CallerLocals } from './http/caller.js';
import { createGuard } from './http/guard.js';
import { MAX_REQUEST_BYTES } from './http/validation.js';
import { routeTable } from './route-table.js';
import type { RateLimiter } from './rate-limit.js';
import { registerBotFlowAnalyticsRoutes } from './routes/botflow-analytics.js';
import { registerControlRoutes } from './routes/control.js';
import { registerConversationDetailsQueryRoute } from './routes/conversation-details-query.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerOAuthRoutes } from './routes/oauth-token.js';
import type { RouteContext } from './routes/route-context.js';
import { registerRoutingRoutes } from './routes/routing.js';
import type { OrgState } from './state/org.js';

export interface AppDeps {
  org: OrgState;
  clients: ClientRegistry;
  tokens: TokenStore;
  faults: FaultEngine;
  guestFaults: GuestFaultController;
  agents: Agents;
  /** The Guest API's map of session tokens to conversations (the console's event stream is per session). */
  conversationIdOf(token: string): string | undefined;
  /** The agent who answers the guest session's conversation (started or not yet) follows this script (the console's replay). */
  scriptAgentOfSession(token: string, script: AgentScript): void;
  /** The seeded deployment the console's chat connects to. */
  deploymentId: string;
  /** What a runner (`baton serve`) attached to the console: the flow's timeline, Baton's traces, scenarios. */
  consoleSources(): ConsoleSources;
  counters: CounterSink;
  rateLimiter: RateLimiter;
  defaultRateLimitPerMinute: number;
  tokenLifetimeSeconds: number;
  latencyMs: number;
  /** How long after a bot session completes analytics list it (see RouteContext.analyticsVisible). */
  analyticsLagMs: number;
  /** SandboxOptions.transferDelayMs. */
  transferDelayMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  revokeTokens(filter?: { clientId?: string }): number;
}

/** Bot-flow analytics are kept about ten days (docs/genesys-facts.md#bot-flow-analytics). */
export const ANALYTICS_RETENTION_MS = 10 * 86_400_000;

/**
 * Errors raised before a handler runs, by body-parser and Express's router, carry an HTTP `status`
 * (and body-parser's a `type`); each maps to the ErrorBody the Platform API answers, naming what was
 * wrong (the codes `malformed.path` and `malformed.body` are the sandbox's own: UNCONFIRMED).
 * Anything else is a bug in the sandbox: 500.
 */
function toApiError(err: unknown, req: Request): ApiError {
  if (err instanceof ApiError) return err;
  const e = (err ?? {}) as { type?: unknown; status?: unknown; message?: unknown };
  if (e.type === 'entity.parse.failed') return errors.badRequest('The request could not be understood by the server due to malformed syntax.', 'body', 'malformed.json');
  if (e.type === 'entity.too.large') return errors.tooLarge(MAX_REQUEST_BYTES);
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new ApiError(415, 'unsupported.media.type', 'Unsupported content encoding or charset.');
  }
  // Express's router: a path parameter whose percent-encoding does not decode ("%E0%A4%A").
  if (err instanceof URIError && e.status === 400) {
    const field = undecodableParam(req.path) ?? 'path';
    return errors.badRequest(`Invalid value for ${field}: the path segment is not valid percent-encoding.`, field, 'malformed.path');
  }
  // body-parser's other refusals: a body that does not inflate as its Content-Encoding says, a
  // Content-Length that does not match the body, a request aborted while it was read.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return errors.badRequest(`The request body could not be read: ${typeof e.message === 'string' ? e.message : 'malformed'}.`, 'body', 'malformed.body');
  }
  return new ApiError(500, 'internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.');
}

/** The route-table parameter whose raw segment in `path` does not percent-decode, if one does not. */
function undecodableParam(path: string): string | undefined {
  const segments = path.split('/');
  for (const spec of Object.values(routeTable)) {
    const template = spec.path.split('/');
    if (template.length !== segments.length) continue;
    const matches = template.every((t, i) => t.startsWith('{') || t === segments[i]);
    if (!matches) continue;
    for (const [i, t] of template.entries()) {
      if (!t.startsWith('{')) continue;
      try {
        decodeURIComponent(segments[i] ?? '');
      } catch {
        return t.slice(1, -1);
      }
    }
  }
  return undefined;
}

/** The simulated org's HTTP surface: one host standing in for both login.{domain} and api.{domain}. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  // Every response carries ININ-Correlation-Id; every ErrorBody's contextId repeats it (docs/genesys-facts.md#error-body-and-correlation-id).
  app.use((_req: Request, res: Response, next: NextFunction) => {
    const contextId = randomUUID();
    (res.locals as CallerLocals).contextId = contextId;
    res.setHeader('ININ-Correlation-Id', contextId);
    next();
  });

  const ctx: RouteContext = {
    org: deps.org,
    now: deps.now,
    analyticsVisible: (session) => {
      const t = deps.now();
      return session.dateCompleted + deps.analyticsLagMs <= t && session.dateCompleted >= t - ANALYTICS_RETENTION_MS;
    },
    transferDelayMs: deps.transferDelayMs,
    guard: createGuard({
      clients: deps.clients,
      tokens: deps.tokens,
      rateLimiter: deps.rateLimiter,
      faults: deps.faults,
      counters: deps.counters,
      defaultRateLimitPerMinute: deps.defaultRateLimitPerMinute,
      latencyMs: deps.latencyMs,
      sleep: deps.sleep,
    }),
  };

  registerControlRoutes(app, ctx, { faults: deps.faults, guestFaults: deps.guestFaults, agents: deps.agents, counters: deps.counters, revokeTokens: deps.revokeTokens });
  registerConsoleRoutes(app, {
    org: deps.org,
    conversationIdOf: deps.conversationIdOf,
    viewOf: (id) => deps.agents.viewOf(id),
    scriptAgentOfSession: deps.scriptAgentOfSession,
    deploymentId: deps.deploymentId,
    sources: deps.consoleSources,
  });
  registerOAuthRoutes(app, ctx, { clients: deps.clients, tokens: deps.tokens, tokenLifetimeSeconds: deps.tokenLifetimeSeconds });
  registerConversationRoutes(app, ctx);
  registerRoutingRoutes(app, ctx);
  registerBotFlowAnalyticsRoutes(app, ctx);
  registerConversationDetailsQueryRoute(app, ctx);

  app.use((req: Request) => {
    throw new ApiError(404, 'not.found', `No resource at ${req.method} ${req.path}; the sandbox emulates only the routes in its README.`);
  });

  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = toApiError(err, req);
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.status(e.status).json(e.toBody((res.locals as CallerLocals).contextId));
  });

  return app;
}
