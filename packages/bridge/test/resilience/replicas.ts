import { randomUUID } from 'node:crypto';
import { createGenesysClient, createHandoffService, resolveTarget, type GenesysClient, type HandoffConfig } from '@baton/core';
import { createSandbox, type Sandbox, type SandboxOptions } from '@baton/sandbox';
import { createBridge, type Bridge } from '../../src/app.js';
import type { InboundAuthConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createRedisState, type RedisState } from '../../src/redis/index.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const API_KEY = 'resilience-api-key-0123456789';

export interface Replica {
  name: string;
  url: string;
  bridge: Bridge;
  server: RunningServer;
  state: RedisState;
  genesys: GenesysClient;
  /** Graceful stop, as on SIGTERM: /readyz 503, no new connections, in-flight work finishes. */
  shutdown(timeoutMs?: number): Promise<{ drained: boolean }>;
}

export interface ReplicaSet {
  sandbox: Sandbox;
  replicas: Replica[];
  keyPrefix: string;
  /**
   * Transfer requests (replace/queue) sent by any replica for a conversation the sandbox had
   * already transferred, or while another transfer request for it was still in flight. The
   * sandbox refuses a second transfer, which would hide a broken idempotency from a count of
   * `org.transfers` alone; this counts what the bridges *tried*. (A transfer retried after an
   * earlier one failed is not a duplicate.)
   */
  duplicateTransferAttempts(): Map<string, number>;
  /** A fresh conversation held by the bot flow, low confidence: a handoff transfers it. */
  newConversation(): string;
  close(): Promise<void>;
}

export interface ReplicaSetOptions {
  count: number;
  redisUrl: string;
  keyPrefix: string;
  deadlineMs?: number;
  sandbox?: SandboxOptions;
  handoff?: Partial<HandoffConfig>;
  requestsPerMinute?: number;
  /** Claims refused this long after Redis came back without its data. */
  recoveryHoldMs?: number;
  /** Credential types besides the API key (API_KEY is always enabled). */
  auth?: Omit<InboundAuthConfig, 'apiKey'>;
}

const REPLACE_QUEUE = /\/api\/v2\/conversations\/([^/]+)\/participants\/[^/]+\/replace\/queue$/;

/**
 * N bridge replicas as a deployment runs them: one sandbox org (the shared Genesys), and per
 * replica its own Genesys client, its own Redis connections (one key prefix: one deployment),
 * its own Express app on port 0. The wiring mirrors src/runtime.ts with REDIS_URL set.
 */
export async function startReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const requestsPerMinute = options.requestsPerMinute ?? 100_000;
  const sandbox = await createSandbox({ rateLimitPerMinute: requestsPerMinute, conversations: 0, ...options.sandbox });
  const duplicates = new Map<string, number>();
  const transfersInFlight = new Map<string, number>();
  const logger = createLogger({ level: 'silent' });
  const replicas: Replica[] = [];

  for (let i = 0; i < options.count; i++) {
    const name = `replica-${i}`;
    const state = createRedisState({
      url: options.redisUrl,
      keyPrefix: options.keyPrefix,
      replicaName: name,
      connectGraceMs: 300,
      recoveryHoldMs: options.recoveryHoldMs ?? (options.deadlineMs ?? 5000) + 7000,
    });
    await state.ready();
    const genesys = createGenesysClient({
      target: resolveTarget({ baseUrl: sandbox.url }),
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      tokenStore: state.tokens({ loginBaseUrl: sandbox.url, clientId: sandbox.clientId }),
      pacer: state.pacer({ genesysClient: { loginBaseUrl: sandbox.url, clientId: sandbox.clientId }, requestsPerMinute }),
      fetch: async (url, init) => {
        const transfer = REPLACE_QUEUE.exec(new URL(url).pathname);
        if (!transfer || init.method !== 'POST') return fetch(url, init);
        const conversationId = decodeURIComponent(transfer[1]!);
        const inFlight = transfersInFlight.get(conversationId) ?? 0;
        if (inFlight > 0 || sandbox.org.transfers.some((t) => t.conversationId === conversationId)) {
          duplicates.set(conversationId, (duplicates.get(conversationId) ?? 0) + 1);
        }
        transfersInFlight.set(conversationId, inFlight + 1);
        try {
          return await fetch(url, init);
        } finally {
          transfersInFlight.set(conversationId, (transfersInFlight.get(conversationId) ?? 1) - 1);
        }
      },
    });
    const steps = createHandoffService({
      genesys,
      idempotency: state.idempotency,
      traces: state.traces,
      config: { defaultQueueId: sandbox.queues[0]!.id, botFlowId: sandbox.botFlowId, defaultMode: 'api', ...options.handoff },
    });
    const bridge = createBridge({
      config: { deadlineMs: options.deadlineMs ?? 5000, maxBodyBytes: 100 * 1024, auth: { ...options.auth, apiKey: API_KEY } },
      steps,
      genesys,
      logger,
      metrics: createMetrics({ defaultMetrics: false }),
      readinessChecks: [{ name: 'state', check: () => state.check() }],
    });
    const server = await startServer({ app: bridge.app, port: 0, host: '127.0.0.1', logger });
    let stopped: Promise<{ drained: boolean }> | undefined;
    replicas.push({
      name,
      url: server.url,
      bridge,
      server,
      state,
      genesys,
      shutdown(timeoutMs = 10_000) {
        stopped ??= server.shutdown({ inFlight: bridge.inFlight, timeoutMs, beforeClose: () => bridge.beginShutdown() });
        return stopped;
      },
    });
  }

  return {
    sandbox,
    replicas,
    keyPrefix: options.keyPrefix,
    duplicateTransferAttempts: () => new Map(duplicates),
    newConversation: () =>
      sandbox.org.addConversation({
        customerName: `Customer ${randomUUID().slice(0, 6)}`,
        participantData: { 'bot.intent': 'CancelOrder', 'bot.confidence': '0.31' },
        messages: [
          { from: 'customer', text: 'I want to cancel my order', at: 5 },
          { from: 'bot', text: 'Let me find someone who can help.', at: 7 },
        ],
      }),
    async close() {
      for (const r of replicas) await r.shutdown(2000);
      await Promise.all(replicas.map((r) => r.genesys.close()));
      await Promise.all(replicas.map((r) => r.state.close()));
      await sandbox.close();
    },
  };
}

export interface HandoffCall {
  conversationId: string;
  replica: string;
  /** 0 when no HTTP answer arrived. */
  status: number;
  body: Record<string, unknown> | undefined;
  /** Set when no answer arrived (abort, reset, refused). */
  transportError?: string;
}

/** POSTs one handoff (api mode: the bridge transfers) and never throws. */
export async function postHandoff(replica: Replica, conversationId: string, options: { abortAfterMs: number }): Promise<HandoffCall> {
  try {
    const response = await fetch(`${replica.url}/v1/actions/handoff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ conversationId, mode: 'api' }),
      signal: AbortSignal.timeout(options.abortAfterMs),
    });
    const text = await response.text();
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    return { conversationId, replica: replica.name, status: response.status, body };
  } catch (error) {
    return { conversationId, replica: replica.name, status: 0, body: undefined, transportError: error instanceof Error ? error.message : String(error) };
  }
}
