import type { UpstreamCall } from '@baton/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics on a per-app Registry (never prom-client's global one), so several bridges in
 * one process (tests, the extension) do not collide and nothing registers at import time.
 */
export interface BridgeMetrics {
  readonly registry: Registry;
  /** One action request finished: `outcome` is the answer's `status` (bot_keeps, …) or the error code. */
  recordAction(action: string, outcome: string, seconds: number): void;
  /** One Platform API call finished (after its retries). */
  recordUpstreamCall(call: UpstreamCall): void;
  recordHttpRequest(route: string, method: string, status: number): void;
  /** One request refused for its credentials; `throttled` when it was answered 429 (source over its limit). */
  recordAuthFailure(options?: { throttled?: boolean }): void;
  /** One connection closed on arrival because BATON_MAX_CONNECTIONS were open. */
  recordConnectionDropped(): void;
  /** An inbound request started (+1) or was answered or dropped (-1). */
  trackRequest(delta: 1 | -1): void;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop). Default true. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): BridgeMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'baton_' });

  const actions = new Counter({
    name: 'baton_actions_total',
    help: 'Action requests by action and outcome (action="handoff" counts handoffs by outcome).',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  const actionDuration = new Histogram({
    name: 'baton_action_duration_seconds',
    help: 'Action request latency by action and outcome.',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
    registers: [registry],
  });
  const upstream = new Counter({
    name: 'baton_upstream_calls_total',
    help: 'Genesys Platform API calls by route and final HTTP status (0 = no answer).',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'baton_upstream_call_duration_seconds',
    help: 'Genesys Platform API call latency (retries included) by route.',
    labelNames: ['route'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstreamRetries = new Counter({
    name: 'baton_upstream_retries_total',
    help: 'Retries of Genesys Platform API calls (429 and transient failures) by route.',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'baton_upstream_rate_limited_total',
    help: 'Genesys Platform API calls that ended in 429 Too Many Requests, by route.',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const http = new Counter({
    name: 'baton_http_requests_total',
    help: 'Inbound HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'baton_inbound_auth_failures_total',
    help: 'Inbound requests rejected for missing or wrong credentials (401 or 429).',
    registers: [registry],
  });
  const authThrottled = new Counter({
    name: 'baton_inbound_auth_throttled_total',
    help: 'Failed authentications answered 429 because their source address was over BATON_AUTH_FAILURE_LIMIT.',
    registers: [registry],
  });
  const connectionsDropped = new Counter({
    name: 'baton_http_connections_dropped_total',
    help: 'Connections closed on arrival because BATON_MAX_CONNECTIONS were already open.',
    registers: [registry],
  });

  const inFlightRequests = new Gauge({
    name: 'baton_http_requests_in_flight',
    help: 'Inbound HTTP requests being answered (SIGTERM waits for them).',
    registers: [registry],
  });

  return {
    registry,
    trackRequest(delta) {
      inFlightRequests.inc(delta);
    },
    recordAction(action, outcome, seconds) {
      actions.inc({ action, outcome });
      actionDuration.observe({ action, outcome }, seconds);
    },
    recordUpstreamCall(call) {
      upstream.inc({ route: call.route, status: String(call.status) });
      upstreamDuration.observe({ route: call.route }, call.durationMs / 1000);
      if (call.retries > 0) upstreamRetries.inc({ route: call.route }, call.retries);
      if (call.status === 429) rateLimited.inc({ route: call.route });
    },
    recordHttpRequest(route, method, status) {
      http.inc({ route, method, status: String(status) });
    },
    recordAuthFailure(options = {}) {
      authFailures.inc();
      if (options.throttled) authThrottled.inc();
    },
    recordConnectionDropped() {
      connectionsDropped.inc();
    },
  };
}
