import { randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import {
  assessIntentInputSchema,
  type AssessIntentInput,
  type AssessIntentOutput,
} from '../contracts/assess-intent.js';
import {
  handToQueueInputSchema,
  type HandToQueueInput,
  type HandToQueueOutput,
} from '../contracts/hand-to-queue.js';
import { handoffInputSchema, type HandoffInput } from '../contracts/handoff.js';
import {
  transcriptInputSchema,
  type TranscriptInput,
  type TranscriptOutput,
} from '../contracts/transcript.js';
import { parseOrThrow } from '../contracts/validate.js';
import type { GenesysApi } from '../genesys/api.js';
import { systemClock, type Clock } from '../clock.js';
import type { IdempotencyStore } from '../state/idempotency-store.js';
import { createMemoryIdempotencyStore, createMemoryTraceStore } from '../state/memory.js';
import type { TraceStore } from '../state/trace-store.js';
import { buildAgentContextAttributes } from './agent-context.js';
import { resolveHandoffConfig, type HandoffConfig } from './config.js';
import { transcriptOf } from './conversation-transcript.js';
import { createCallBudget } from './call-budget.js';
import { decide } from './decision.js';
import { deliver, describeDelivery, lookUpQueue, planDelivery, resolveQueueId } from './delivery.js';
import { lookUpIntent } from './intent-sources.js';
import { describeRouting, isAlreadyHandedOff } from './participants.js';
import { runHandoff, type HandoffResult } from './pipeline.js';
import { createQueueCache } from './queue-cache.js';
import { runOnce } from './run-once.js';
import { callOptions, deadlineFor, type Runtime, type StepContext } from './runtime.js';

export interface HandoffService {
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

/** Idempotency key of a standalone hand-to-queue: one per conversation. */
export const handToQueueKey = (conversationId: string) => `baton:hand-to-queue:${conversationId}`;

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

  return {
    async assessIntent(rawInput, ctx) {
      const input = parseOrThrow(assessIntentInputSchema, rawInput);
      const options = callOptions(deadlineFor(rt, ctx), ctx, { budget: createCallBudget(config.maxCallsPerHandoff) });
      let fetch: Promise<Models.MessageConversation> | undefined;
      const conversation = () => (fetch ??= rt.genesys.getMessageConversation(input.conversationId, options));
      const lookup = await lookUpIntent(rt, input, conversation, options);
      return decide(
        lookup.reading,
        { threshold: input.threshold ?? config.threshold, onUnknownIntent: config.onUnknownIntent },
        lookup.reason,
      );
    },

    async buildTranscript(rawInput, ctx) {
      const input = parseOrThrow(transcriptInputSchema, rawInput);
      const options = callOptions(deadlineFor(rt, ctx), ctx, { budget: createCallBudget(config.maxCallsPerHandoff) });
      const conversation = await rt.genesys.getMessageConversation(input.conversationId, options);
      return transcriptOf(
        rt,
        input.conversationId,
        conversation,
        {
          maxChars: input.maxChars ?? config.transcript.maxChars,
          mask: input.mask ?? config.transcript.mask,
        },
        options,
      );
    },

    async handToQueue(rawInput, ctx) {
      const input = parseOrThrow(handToQueueInputSchema, rawInput);
      return handToQueue(rt, input, ctx);
    },

    async handoff(rawInput, ctx) {
      return runHandoff(rt, parseOrThrow(handoffInputSchema, rawInput), ctx);
    },
  };
}

async function handToQueue(
  rt: Runtime,
  input: HandToQueueInput,
  ctx: StepContext | undefined,
): Promise<HandToQueueOutput> {
  const cid = input.conversationId;
  const deadline = deadlineFor(rt, ctx);
  const queueId = resolveQueueId(rt, input.queueId);
  const mode = input.mode ?? rt.config.defaultMode;
  const priority = input.priority ?? rt.config.defaultPriority;
  const waitMessage = rt.config.waitMessage;
  const result = await runOnce<HandToQueueOutput, HandToQueueOutput>({
    store: rt.idempotency,
    key: handToQueueKey(cid),
    ttlMs: rt.config.idempotencyTtlMs,
    deadline,
    now: rt.now,
    work: async (claim) => {
      const options = callOptions(deadline, ctx, { claim, budget: createCallBudget(rt.config.maxCallsPerHandoff) });
      // Independent reads in parallel; the queue lookup (cached) fails an unknown queue before any write.
      const [conversation, queue, generic] = await Promise.all([
        rt.genesys.getMessageConversation(cid, options),
        lookUpQueue(rt, queueId, options),
        mode === 'api' && waitMessage ? rt.genesys.getConversation(cid, options) : Promise.resolve(undefined),
      ]);
      const base = {
        mode,
        queueId: queue.id,
        queueName: queue.name,
        priority,
        waitMessage,
        transferred: false,
        attributesWritten: 0,
      };
      if (isAlreadyHandedOff(conversation)) {
        const output: HandToQueueOutput = {
          ...base,
          status: 'already_handed_off',
          waitMessage: '',
          message: `Conversation ${cid} is already with ${describeRouting(conversation) || 'a queue or agent'}: nothing written, nothing transferred.`,
        };
        return { value: output };
      }
      const plan = planDelivery({
        conversationId: cid,
        conversation,
        generic,
        mode,
        queue,
        priority,
        waitMessage,
        attributes: buildAgentContextAttributes({
          handoffId: rt.newId(),
          queueId: queue.id,
          intent: input.intent,
          confidence: input.confidence,
          reason: input.reason,
          transcript: input.transcript,
        }),
      });
      const report = await deliver(rt, plan, options);
      const output: HandToQueueOutput = {
        ...base,
        status: report.transferred ? 'transferred' : report.transferRequested ? 'transfer_unconfirmed' : 'ready_for_transfer',
        transferred: report.transferred,
        attributesWritten: report.attributesWritten,
        message: describeDelivery(plan, report),
      };
      return { value: output, keep: output };
    },
  });
  return result.kind === 'ran' ? result.value : result.stored;
}
