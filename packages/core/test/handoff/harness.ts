import { createSandbox, type Sandbox, type SandboxOptions } from '@baton/sandbox';
import { createGenesysClient, type GenesysClient } from '../../src/genesys/client.js';
import type { GenesysFetch } from '../../src/genesys/http.js';
import { resolveTarget } from '../../src/genesys/target.js';
import type { HandoffConfig } from '../../src/handoff/config.js';
import { createHandoffService, type HandoffService } from '../../src/handoff/service.js';
import { createMemoryIdempotencyStore, createMemoryTraceStore } from '../../src/state/memory.js';
import type { IdempotencyStore } from '../../src/state/idempotency-store.js';
import type { TraceStore } from '../../src/state/trace-store.js';
import { createManualClock, type ManualClock } from '../../src/testing/index.js';

/**
 * A sandbox org on real HTTP (127.0.0.1, port 0), the real Genesys client against it, and the
 * handoff service, sharing one virtual clock: retries' waits (Retry-After, backoff) and the
 * sandbox's injected latency move time forward at once instead of sleeping.
 */
export interface Harness {
  sandbox: Sandbox;
  client: GenesysClient;
  service: HandoffService;
  clock: ManualClock;
  idempotency: IdempotencyStore;
  traces: TraceStore;
  /** Calls per SDK operation id since the last reset, token requests left out. */
  apiCalls(): Record<string, number>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    config?: Partial<HandoffConfig>;
    sandbox?: SandboxOptions;
    newId?: () => string;
    /** Replaces the sandbox's latency (default: move the virtual clock forward at once). */
    sandboxSleep?: (ms: number, clock: ManualClock) => Promise<void>;
    /**
     * The sandbox org reads the virtual clock too (default true): it applies a transfer
     * `transferDelayMs` after its 202 (default 200) by that clock, so the service's waits (virtual,
     * instant) see it applied. False: the sandbox keeps the wall clock.
     */
    sandboxOnVirtualClock?: boolean;
    /** The Genesys client's fetch seam (e.g. to record what it sends). */
    fetch?: GenesysFetch;
    /** The Genesys client's target (default: the sandbox's one URL for login and API). */
    target?: (sandbox: Sandbox) => ReturnType<typeof resolveTarget>;
  } = {},
): Promise<Harness> {
  const clock = createManualClock(Date.now());
  const sandbox = await createSandbox({
    conversations: 0,
    ...options.sandbox,
    sleep: options.sandboxSleep ? (ms) => options.sandboxSleep!(ms, clock) : async (ms) => clock.advance(ms),
    ...(options.sandboxOnVirtualClock === false ? {} : { now: clock.now }),
  });
  const client = createGenesysClient({
    target: options.target ? options.target(sandbox) : resolveTarget({ baseUrl: sandbox.url }),
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    clock,
    random: () => 0.5,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const idempotency = createMemoryIdempotencyStore(clock);
  const traces = createMemoryTraceStore();
  const service = createHandoffService({
    genesys: client,
    idempotency,
    traces,
    clock,
    ...(options.newId ? { newId: options.newId } : {}),
    config: { defaultQueueId: sandbox.queues[0]?.id, botFlowId: sandbox.botFlowId, ...options.config },
  });
  return {
    sandbox,
    client,
    service,
    clock,
    idempotency,
    traces,
    apiCalls() {
      const { postToken: _token, ...byRoute } = sandbox.counters.snapshot().byRoute;
      return byRoute;
    },
    async close() {
      await client.close();
      await sandbox.close();
    },
  };
}
