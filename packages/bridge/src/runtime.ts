import { createGenesysClient, createHandoffService, resolveTarget, type GenesysClient, type HandoffConfig, type UpstreamCall } from '@baton/core';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import type { BridgeConfig } from './config.js';
import type { HandoffSteps } from './handoff-steps.js';
import type { Logger } from './logger.js';
import { createStateStores, type StateStores } from './state.js';

/** Everything a running bridge (or `baton handoff`) needs, built from configuration. */
export interface BridgeRuntime {
  /** `org`: the configured Genesys org (or GENESYS_BASE_URL); `sandbox`: an in-process simulated org. */
  mode: 'org' | 'sandbox';
  genesys: GenesysClient;
  steps: HandoffSteps;
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
}

/**
 * Builds the Genesys client, the state stores and core's handoff service from configuration: a
 * real org when GENESYS_CLIENT_ID/SECRET are set, otherwise an in-process sandbox org seeded
 * with scenario conversations (the default run, the README's main job).
 */
export async function createRuntime(config: BridgeConfig, options: RuntimeOptions): Promise<BridgeRuntime> {
  const { logger } = options;
  const stores = await createStateStores(config, {
    logger,
    ...(config.redisKeyPrefix !== undefined && { keyPrefix: config.redisKeyPrefix }),
  });
  // With Redis, every replica paces against one shared per-token budget (otherwise N replicas would
  // each spend the org's 300/min); in memory the client paces alone.
  const sharedPacer = stores.pacer?.(config.genesys.requestsPerMinute, config.genesys.maxRetryAfterHoldMs);

  let sandbox: Sandbox | undefined;
  let genesys: GenesysClient;
  const handoffConfig: Partial<HandoffConfig> = {
    threshold: config.handoff.threshold,
    defaultMode: config.handoff.defaultMode,
    transcript: { mask: config.handoff.maskTranscript } as HandoffConfig['transcript'],
    botFlowLookbackMinutes: config.handoff.botFlowLookbackMinutes,
    botFlowMaxPages: config.handoff.botFlowMaxPages,
    maxCallsPerHandoff: config.handoff.maxCallsPerHandoff,
    ...(config.handoff.defaultQueueId !== undefined && { defaultQueueId: config.handoff.defaultQueueId }),
    ...(config.handoff.defaultPriority !== undefined && { defaultPriority: config.handoff.defaultPriority }),
    ...(config.handoff.botFlowId !== undefined && { botFlowId: config.handoff.botFlowId }),
  };

  try {
    if (config.genesys.mode === 'org') {
      genesys = createGenesysClient({
        target: resolveTarget({
          ...(config.genesys.region !== undefined && { region: config.genesys.region }),
          ...(config.genesys.baseUrl !== undefined && { baseUrl: config.genesys.baseUrl }),
        }),
        clientId: config.genesys.clientId ?? '',
        clientSecret: config.genesys.clientSecret ?? '',
        tokenStore: stores.tokens,
        requestsPerMinute: config.genesys.requestsPerMinute,
        maxHoldMs: config.genesys.maxRetryAfterHoldMs,
        logger,
        ...(sharedPacer && { pacer: sharedPacer }),
        ...(options.onCall && { onCall: options.onCall }),
      });
      if (handoffConfig.defaultQueueId === undefined) {
        logger.warn('GENESYS_QUEUE_ID is not set: hand-to-queue and handoff requests must carry a queueId.');
      }
    } else {
      sandbox = await (options.startSandbox ?? createSandbox)({
        latencyMs: config.sandbox.latencyMs,
        ...(config.sandbox.seed !== undefined && { seed: config.sandbox.seed }),
      });
      genesys = createGenesysClient({
        target: resolveTarget({ baseUrl: sandbox.url }),
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        tokenStore: stores.tokens,
        requestsPerMinute: config.genesys.requestsPerMinute,
        maxHoldMs: config.genesys.maxRetryAfterHoldMs,
        logger,
        ...(sharedPacer && { pacer: sharedPacer }),
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

  const steps = createHandoffService({ genesys, idempotency: stores.idempotency, traces: stores.traces, config: handoffConfig });
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
