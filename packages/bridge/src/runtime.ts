import { createGenesysClient, createHandoffService, resolveTarget, systemClock, type Clock, type GenesysClient, type HandoffConfig, type HandoffService, type UpstreamCall } from '@baton/core';
import type { createSandbox, Sandbox } from '@baton/sandbox';
import type { BridgeConfig } from './config.js';
import type { Logger } from './logger.js';
import type { GenesysClientIdentity } from './redis/index.js';
import { createStateStores, type StateStores } from './state.js';

/** Everything a running bridge (or `baton handoff`) needs, built from configuration. */
export interface BridgeRuntime {
  /** `org`: the configured Genesys org (or GENESYS_BASE_URL); `sandbox`: an in-process simulated org. */
  mode: 'org' | 'sandbox';
  genesys: GenesysClient;
  /** Core's handoff service: the routes call its `run`, the CLI commands its methods. */
  steps: HandoffService;
  stores: StateStores;
  /** The handoff configuration actually in force (sandbox defaults filled in). */
  handoffConfig: Partial<HandoffConfig>;
  /** Present in sandbox mode. */
  sandbox?: Sandbox;
  /** Secret values this runtime introduced (the sandbox client's), for redaction. */
  secrets: readonly string[];
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  /** Every upstream call, token requests included (for metrics). */
  onCall?: (call: UpstreamCall) => void;
  /** Seam for tests: how the in-process sandbox is started. */
  startSandbox?: typeof createSandbox;
  /** Time for the client, the stores and the handoff steps (deadlines, retries, expiry). Default systemClock. */
  clock?: Clock;
}

/**
 * Builds the Genesys client, the state stores and core's handoff service from configuration: a
 * real org when GENESYS_CLIENT_ID/SECRET are set, otherwise an in-process sandbox org seeded
 * with scenario conversations (the default run, the README's main job).
 */
export async function createRuntime(config: BridgeConfig, options: RuntimeOptions): Promise<BridgeRuntime> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const stores = await createStateStores(config, {
    clock,
    logger,
    ...(config.redisKeyPrefix !== undefined && { keyPrefix: config.redisKeyPrefix }),
  });
  // The token and, with Redis, the pacer belong to one OAuth client: every replica of that client
  // shares them (otherwise N replicas would each spend the client's 300/min), and another
  // deployment on the same Redis and prefix with another client never sees them.
  const perClient = (genesysClient: GenesysClientIdentity) => {
    const pacer = stores.pacer?.(genesysClient, config.genesys.requestsPerMinute, config.genesys.maxRetryAfterHoldMs);
    return { tokenStore: stores.tokens(genesysClient), ...(pacer && { pacer }) };
  };

  let sandbox: Sandbox | undefined;
  let genesys: GenesysClient;
  const handoffConfig: Partial<HandoffConfig> = {
    threshold: config.handoff.threshold,
    defaultMode: config.handoff.defaultMode,
    transcript: { mask: config.handoff.maskTranscript } as HandoffConfig['transcript'],
    botFlowLookbackMinutes: config.handoff.botFlowLookbackMinutes,
    botFlowMaxPages: config.handoff.botFlowMaxPages,
    maxCallsPerHandoff: config.handoff.maxCallsPerHandoff,
    writeContext: config.handoff.writeContext,
    contextTranscript: config.handoff.contextTranscript,
    ...(config.handoff.defaultQueueId !== undefined && { defaultQueueId: config.handoff.defaultQueueId }),
    ...(config.handoff.defaultPriority !== undefined && { defaultPriority: config.handoff.defaultPriority }),
    ...(config.handoff.botFlowId !== undefined && { botFlowId: config.handoff.botFlowId }),
    ...(config.handoff.routing !== undefined && { routing: config.handoff.routing }),
  };

  try {
    if (config.genesys.mode === 'org') {
      const target = resolveTarget({
        ...(config.genesys.region !== undefined && { region: config.genesys.region }),
        ...(config.genesys.baseUrl !== undefined && { baseUrl: config.genesys.baseUrl }),
      });
      const clientId = config.genesys.clientId ?? '';
      genesys = createGenesysClient({
        target,
        clientId,
        clientSecret: config.genesys.clientSecret ?? '',
        ...perClient({ loginBaseUrl: target.loginBaseUrl, clientId }),
        requestsPerMinute: config.genesys.requestsPerMinute,
        maxHoldMs: config.genesys.maxRetryAfterHoldMs,
        clock,
        logger,
        ...(options.onCall && { onCall: options.onCall }),
      });
      if (handoffConfig.defaultQueueId === undefined) {
        logger.warn('GENESYS_QUEUE_ID is not set: hand-to-queue and handoff requests must carry a queueId.');
      }
    } else {
      // Imported only in sandbox mode: the simulated org (WebSocket server, flow and data-action
      // runtimes) is memory a bridge against a real org would carry for nothing.
      const start = options.startSandbox ?? (await import('@baton/sandbox')).createSandbox;
      sandbox = await start({
        latencyMs: config.sandbox.latencyMs,
        ...(config.sandbox.seed !== undefined && { seed: config.sandbox.seed }),
      });
      const target = resolveTarget({ baseUrl: sandbox.url });
      genesys = createGenesysClient({
        target,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        ...perClient({ loginBaseUrl: target.loginBaseUrl, clientId: sandbox.clientId }),
        requestsPerMinute: config.genesys.requestsPerMinute,
        maxHoldMs: config.genesys.maxRetryAfterHoldMs,
        clock,
        logger,
        ...(options.onCall && { onCall: options.onCall }),
      });
      handoffConfig.defaultQueueId ??= sandbox.queues[0]?.id;
      handoffConfig.botFlowId ??= sandbox.botFlowId;
    }
  } catch (error) {
    await sandbox?.close();
    await stores.close();
    throw error;
  }

  const steps = createHandoffService({ genesys, idempotency: stores.idempotency, traces: stores.traces, config: handoffConfig, clock });
  const liveSandbox = sandbox;
  return {
    mode: config.genesys.mode,
    genesys,
    steps,
    stores,
    handoffConfig,
    ...(liveSandbox && { sandbox: liveSandbox }),
    secrets: liveSandbox ? [liveSandbox.clientSecret] : [],
    async close() {
      await genesys.close();
      await liveSandbox?.close();
      await stores.close();
    },
  };
}
