import type { Models } from 'purecloud-platform-client-v2';
import type { UpstreamCall } from '../contracts/trace.js';
import { deadlineFrom } from '../deadline.js';
import type { CallOptions, GenesysApi } from '../genesys/api.js';
import type { IdempotencyStore } from '../state/idempotency-store.js';
import type { TraceStore } from '../state/trace-store.js';
import { createCallBudget } from './call-budget.js';
import type { HandoffConfig } from './config.js';
import type { QueueCache } from './queue-cache.js';
import type { HeldClaim } from './run-once.js';
import type { StepRecording } from './trace-recorder.js';

/** What a caller (the bridge, a test) passes with each step. */
export interface StepContext {
  /**
   * Absolute deadline, epoch ms, used as it is: the edge owns it (the bridge's deadline.ts folds
   * BATON_DEADLINE_MS and the request's `budgetMs` into it). Without one, the input's `budgetMs`
   * or `defaultBudgetMs` from now.
   */
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

/** The deadline of one request: the caller's when it gives one, else `budgetMs` (or the default) from now. */
export function requestDeadline(rt: Runtime, ctx: StepContext | undefined, budgetMs?: number): number {
  return deadlineFrom(rt.now(), ctx?.deadline, budgetMs ?? rt.config.defaultBudgetMs);
}

/**
 * What the steps of one request share: its deadline, its cap on Platform API calls (one per
 * request, whichever step spends it), the idempotency claim it holds, and the conversation.
 */
export interface HandoffRequest {
  readonly rt: Runtime;
  readonly conversationId: string;
  /** Call options for `step`'s calls: the deadline, the signal, the budget, the claim, and where calls are recorded. */
  options(step: StepRecording): CallOptions;
  /**
   * `GET /api/v2/conversations/messages/{id}`, fetched at most once per request (by the first step
   * that asks, whose trace shows the call): participant data, already-handed-off detection, the
   * message ids and the flow participant all come from this one fetch. `fresh` reads it again
   * (and keeps that read), for a run that claimed only after another run of the session ended.
   */
  conversation(step: StepRecording, options?: { fresh?: boolean }): Promise<Models.MessageConversation>;
  /**
   * Gives the request the idempotency claim it took once the conversation was read (the claim's key
   * is the conversation's session, handed-off.ts): every write from then on extends it.
   */
  hold(claim: HeldClaim): void;
}

export function openRequest(
  rt: Runtime,
  args: {
    conversationId: string;
    ctx: StepContext | undefined;
    deadline: number;
    /** The run's idempotency claim: every write extends it to cover the write's answer. */
    claim?: HeldClaim | undefined;
  },
): HandoffRequest {
  const { ctx, deadline } = args;
  let claim = args.claim;
  const budget = createCallBudget(rt.config.maxCallsPerHandoff);
  let fetched: Promise<Models.MessageConversation> | undefined;
  const options = (step: StepRecording): CallOptions => {
    const call: CallOptions = { deadline, budget, onCall: step.onCall };
    const held = claim;
    if (held) call.beforeWrite = (settleBy) => held.cover(settleBy);
    if (ctx?.signal) call.signal = ctx.signal;
    return call;
  };
  return {
    rt,
    conversationId: args.conversationId,
    options,
    conversation(step, read) {
      if (!fetched || read?.fresh) fetched = rt.genesys.getMessageConversation(args.conversationId, options(step));
      return fetched;
    },
    hold(held) {
      claim = held;
    },
  };
}

/**
 * Waits for every promise, then fails with the first failure in argument order. Unlike
 * Promise.all, no call of the request is still running (and missing from its trace) when it fails.
 */
export async function settleAll<T extends readonly unknown[] | []>(
  promises: T,
): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const settled = await Promise.allSettled<readonly unknown[]>(promises);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [P in keyof T]: Awaited<T[P]>;
  };
}
