import type { UpstreamCall } from '../contracts/trace.js';
import type { CallBudget, CallOptions, GenesysApi } from '../genesys/api.js';
import type { IdempotencyStore } from '../state/idempotency-store.js';
import type { TraceStore } from '../state/trace-store.js';
import type { HandoffConfig } from './config.js';
import type { QueueCache } from './queue-cache.js';
import type { HeldClaim } from './run-once.js';

/** What a caller (the bridge, a test) passes with each step. */
export interface StepContext {
  /** Absolute deadline, epoch ms (e.g. the data action's timeout minus a margin). */
  deadline?: number;
  signal?: AbortSignal;
  /** Receives each upstream call as it completes (route, status, duration, retries). */
  onCall?: (call: UpstreamCall) => void;
}

/** The service's injected dependencies, resolved once. */
export interface Runtime {
  genesys: GenesysApi;
  idempotency: IdempotencyStore;
  traces: TraceStore;
  config: Readonly<HandoffConfig>;
  queues: QueueCache;
  now: () => number;
  /** Waits (transfer confirmation reads); the same clock as `now`. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  newId: () => string;
}

/** The earlier of the caller's deadline and `budgetMs` from now. */
export function deadlineFor(rt: Runtime, ctx: StepContext | undefined, budgetMs?: number): number {
  const own = rt.now() + (budgetMs ?? rt.config.defaultBudgetMs);
  return ctx?.deadline === undefined ? own : Math.min(ctx.deadline, own);
}

/** A step's call options: the deadline and abort signal, where calls are reported, and what bounds them. */
export function callOptions(
  deadline: number,
  ctx: StepContext | undefined,
  extra: {
    onCall?: ((call: UpstreamCall) => void) | undefined;
    /** The run's idempotency claim: every write extends it to cover the write's answer. */
    claim?: HeldClaim | undefined;
    /** This request's cap on Platform API calls (one per service call). */
    budget?: CallBudget | undefined;
  } = {},
): CallOptions {
  const options: CallOptions = { deadline };
  const { claim } = extra;
  if (claim) options.beforeWrite = (settleBy) => claim.cover(settleBy);
  if (extra.budget) options.budget = extra.budget;
  if (ctx?.signal) options.signal = ctx.signal;
  const sink = extra.onCall ?? ctx?.onCall;
  if (sink) options.onCall = sink;
  return options;
}
