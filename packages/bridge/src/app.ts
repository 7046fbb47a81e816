import express, { type Express } from 'express';
import helmet from 'helmet';
import type { GenesysApi } from '@baton/core';
import { createAuthenticator, requireAuth } from './auth/authenticate.js';
import { createFailureThrottle, type AuthFailureHandler } from './auth/failure-throttle.js';
import { createBearerTokenIssuer, type BearerTokenIssuer } from './auth/bearer-token.js';
import { systemClock, type Clock } from './clock.js';
import { AUTH_THROTTLE_DEFAULTS, ConfigError, hasInboundAuth, type InboundAuthConfig } from './config.js';
import { errorMiddleware, notFound } from './errors.js';
import type { HandoffSteps } from './handoff-steps.js';
import { createInFlight, type InFlight } from './in-flight.js';
import type { Logger } from './logger.js';
import { createMetrics, type BridgeMetrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { requestLog } from './request-log.js';
import { createActionRoutes } from './routes/actions.js';
import { createHealthRoutes, rememberFailures, type ReadinessCheck } from './routes/health.js';
import { createOAuthRoutes } from './routes/oauth.js';

/** The part of the bridge configuration the HTTP app needs. */
export interface BridgeAppConfig {
  /** BATON_DEADLINE_MS. */
  deadlineMs: number;
  /** BATON_MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** At least one credential type must be enabled. */
  auth: InboundAuthConfig;
  /** BATON_AUTH_FAILURE_LIMIT / _WINDOW_SECONDS. Default AUTH_THROTTLE_DEFAULTS. */
  authThrottle?: { maxFailures: number; windowMs: number };
  /** BATON_TRUST_PROXY (Express `trust proxy`). Unset: the TCP peer is the source address. */
  trustProxy?: number | readonly string[];
}

export interface BridgeDeps {
  config: BridgeAppConfig;
  /** Core's handoff service (or a stand-in with the same shape). */
  steps: HandoffSteps;
  /** For /readyz: whether a Genesys token can be had. */
  genesys: Pick<GenesysApi, 'checkToken'>;
  logger: Logger;
  metrics?: BridgeMetrics;
  clock?: Clock;
  inFlight?: InFlight;
  /** Secret values never to echo in an error body (the logger has its own list). */
  secrets?: () => readonly string[];
  /** Extra readiness checks (e.g. the state store, once it is remote). */
  readinessChecks?: readonly ReadinessCheck[];
}

export interface Bridge {
  app: Express;
  metrics: BridgeMetrics;
  /** Requests being answered and steps still running past their deadline. */
  inFlight: InFlight;
  /** From now on /readyz answers 503 and responses ask clients to close their connections. */
  beginShutdown(): void;
  readonly shuttingDown: boolean;
}

/**
 * The bridge's Express app: the handoff steps as endpoints an Architect data action can call,
 * behind the Web Services Data Actions credential types. Builds nothing global: every dependency
 * comes in through `deps`.
 */
export function createBridge(deps: BridgeDeps): Bridge {
  const { config, logger } = deps;
  if (!hasInboundAuth(config.auth)) {
    throw new ConfigError([
      {
        variable: 'BATON_API_KEY',
        problem: 'no inbound credentials configured: set BATON_API_KEY, BATON_BASIC_USER/BATON_BASIC_PASSWORD or BATON_OAUTH_CLIENT_ID/BATON_OAUTH_CLIENT_SECRET',
      },
    ]);
  }
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics ?? createMetrics();
  const inFlight = deps.inFlight ?? createInFlight();
  const secrets = deps.secrets ?? (() => []);
  let shuttingDown = false;
  const isShuttingDown = () => shuttingDown;

  let tokens: BearerTokenIssuer | undefined;
  if (config.auth.oauth) {
    tokens = createBearerTokenIssuer({
      clientId: config.auth.oauth.clientId,
      clientSecret: config.auth.oauth.clientSecret,
      ttlSeconds: config.auth.oauth.tokenTtlSeconds,
      now: () => clock.now(),
    });
  }
  const authenticator = createAuthenticator(config.auth, tokens);
  const throttleConfig = config.authThrottle ?? AUTH_THROTTLE_DEFAULTS;
  const throttle = createFailureThrottle({ ...throttleConfig, now: () => clock.now() });
  const onAuthFailure: AuthFailureHandler = (source) => {
    const verdict = throttle.recordFailure(source);
    metrics.recordAuthFailure({ throttled: verdict.throttled });
    if (verdict.throttled && verdict.started) {
      logger.warn(
        { remoteAddress: source, maxFailures: throttleConfig.maxFailures, windowSeconds: throttleConfig.windowMs / 1000, retryAfterSeconds: verdict.retryAfterSeconds },
        'too many failed authentications from one source: its further failures get 429 until the window ends',
      );
    }
    return verdict;
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Without it req.ip is the TCP peer and X-Forwarded-For is ignored: a client cannot choose the
  // address it is logged and throttled under.
  if (config.trustProxy !== undefined) app.set('trust proxy', typeof config.trustProxy === 'number' ? config.trustProxy : [...config.trustProxy]);
  app.use(requestLog({ logger, metrics, clock, inFlight, isShuttingDown }));
  app.use(helmet());

  app.use(
    createHealthRoutes({
      isShuttingDown,
      logger,
      now: () => clock.now(),
      checks: [
        rememberFailures({ name: 'genesys', check: (deadline) => deps.genesys.checkToken({ deadline }) }, () => clock.now()),
        ...(deps.readinessChecks ?? []),
      ],
    }),
  );
  if (config.auth.oauth && tokens) {
    app.use(
      createOAuthRoutes({
        clientId: config.auth.oauth.clientId,
        clientSecret: config.auth.oauth.clientSecret,
        tokens,
        onFailure: onAuthFailure,
      }),
    );
  }

  // Everything below needs credentials. /metrics (traffic and error volumes) and /openapi.json
  // included: "nothing but health is open", and a scraper can send Basic or X-API-Key.
  app.use(requireAuth(authenticator, onAuthFailure));

  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  const openapi = buildOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(
    createActionRoutes({
      steps: deps.steps,
      deadlineMs: config.deadlineMs,
      maxBodyBytes: config.maxBodyBytes,
      clock,
      metrics,
      inFlight,
      logger,
    }),
  );

  app.use(notFound);
  app.use(errorMiddleware({ logger, secrets, maxBodyBytes: config.maxBodyBytes }));

  return {
    app,
    metrics,
    inFlight,
    beginShutdown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
  };
}
