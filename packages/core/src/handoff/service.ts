import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { parseActionInput, type ActionId, type ActionInput } from '../contracts/actions.js';
import type { AssessIntentInput, AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandToQueueInput, HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { HandoffInput } from '../contracts/handoff.js';
import type { TranscriptInput, TranscriptOutput } from '../contracts/transcript.js';
import type { GenesysApi } from '../genesys/api.js';
import type { IdempotencyStore } from '../state/idempotency-store.js';
import { createMemoryIdempotencyStore, createMemoryTraceStore } from '../state/memory.js';
import type { TraceStore } from '../state/trace-store.js';
import { resolveHandoffConfig, type HandoffConfig } from './config.js';
import { runHandToQueue, runHandoff, type HandoffResult } from './pipeline.js';
import { createQueueCache } from './queue-cache.js';
import { openRequest, requestDeadline, type Runtime, type StepContext } from './runtime.js';
import { assessIntent, buildTranscript } from './steps.js';
import { untracedStep } from './trace-recorder.js';

/** What each action of the contract table (contracts/actions.ts) answers. */
export interface ActionResults {
  'assess-intent': { output: AssessIntentOutput };
  transcript: { output: TranscriptOutput };
  'hand-to-queue': { output: HandToQueueOutput };
  handoff: HandoffResult;
}
export type ActionResult<Id extends ActionId> = ActionResults[Id];

/**
 * The one entry an edge (the bridge) calls: an action of the contract table by its id, with an
 * input the edge already parsed (parseActionInput: once, where the request came in) and the
 * deadline the edge owns.
 */
export interface HandoffActions {
  run<Id extends ActionId>(id: Id, input: ActionInput<Id>, ctx: StepContext): Promise<ActionResult<Id>>;
}

/** The same actions for direct library use (the extension, the CLI, tests): each parses its input, then runs. */
export interface HandoffService extends HandoffActions {
  /** Step 1: should the bot hand off? Never throws for a missing intent: that is status `unknown`. */
  assessIntent(input: AssessIntentInput, ctx?: StepContext): Promise<AssessIntentOutput>;
  /** Step 2: the conversation so far, as the agent will read it. */
  buildTranscript(input: TranscriptInput, ctx?: StepContext): Promise<TranscriptOutput>;
  /** Step 3: the agent's context as participant data, then the queue (flow mode) or the transfer (api mode). Idempotent per conversation. */
  handToQueue(input: HandToQueueInput, ctx?: StepContext): Promise<HandToQueueOutput>;
  /** All three, with a trace of every upstream call. Idempotent per conversation. */
  handoff(input: HandoffInput, ctx?: StepContext): Promise<HandoffResult>;
}

export interface HandoffServiceDeps {
  /** The Platform API; the steps use nothing else to reach Genesys. */
  genesys: GenesysApi;
  /** Default: in memory (single process). Use a shared one (Redis) with several replicas. */
  idempotency?: IdempotencyStore;
  /** Where handoff traces go. Default: in memory. */
  traces?: TraceStore;
  config?: Partial<HandoffConfig>;
  /** Time for deadlines, idempotency records, the queue cache and the waits between transfer confirmation reads. Default: systemClock. */
  clock?: Clock;
  newId?: () => string;
}

type ActionRunners = {
  [Id in ActionId]: (input: ActionInput<Id>, ctx: StepContext | undefined) => Promise<ActionResult<Id>>;
};

export function createHandoffService(deps: HandoffServiceDeps): HandoffService {
  const config = resolveHandoffConfig(deps.config);
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const rt: Runtime = {
    genesys: deps.genesys,
    idempotency: deps.idempotency ?? createMemoryIdempotencyStore(clock),
    traces: deps.traces ?? createMemoryTraceStore(),
    config,
    queues: createQueueCache({ ttlMs: config.queueCacheTtlMs, now }),
    now,
    sleep: (ms, signal) => clock.sleep(ms, signal),
    newId: deps.newId ?? randomUUID,
  };
  /** A step run on its own: a request of its own (deadline, call budget, conversation fetch), no trace. */
  const alone = (conversationId: string, ctx: StepContext | undefined) => ({
    req: openRequest(rt, { conversationId, ctx, deadline: requestDeadline(rt, ctx) }),
    step: untracedStep(ctx?.onCall),
  });

  const actions: ActionRunners = {
    'assess-intent': async (input, ctx) => {
      const { req, step } = alone(input.conversationId, ctx);
      return { output: await assessIntent(req, input, step) };
    },
    transcript: async (input, ctx) => {
      const { req, step } = alone(input.conversationId, ctx);
      return { output: await buildTranscript(req, input, step) };
    },
    'hand-to-queue': async (input, ctx) => ({ output: await runHandToQueue(rt, input, ctx) }),
    handoff: (input, ctx) => runHandoff(rt, input, ctx),
  };
  const run = <Id extends ActionId>(id: Id, input: ActionInput<Id>, ctx: StepContext | undefined) =>
    actions[id](input, ctx);

  return {
    run,
    assessIntent: async (input, ctx) =>
      (await run('assess-intent', parseActionInput('assess-intent', input), ctx)).output,
    buildTranscript: async (input, ctx) =>
      (await run('transcript', parseActionInput('transcript', input), ctx)).output,
    handToQueue: async (input, ctx) =>
      (await run('hand-to-queue', parseActionInput('hand-to-queue', input), ctx)).output,
    handoff: (input, ctx) => run('handoff', parseActionInput('handoff', input), ctx),
  };
}
