import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentInput, AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandToQueueInput, HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { TranscriptInput, TranscriptOutput } from '../contracts/transcript.js';
import { BatonError, describeError } from '../errors.js';
import { buildAgentContextAttributes, type AgentContext } from './agent-context.js';
import { transcriptOf } from './conversation-transcript.js';
import { decide } from './decision.js';
import {
  deliver,
  describeDelivery,
  lookUpQueue,
  planDelivery,
  resolveQueueId,
} from './delivery.js';
import { lookUpIntent } from './intent-sources.js';
import { describeRouting, isAlreadyHandedOff } from './participants.js';
import type { QueueRef } from './queue-cache.js';
import { currentSession, sessionMessages } from './session.js';
import { settleAll, type HandoffRequest, type Runtime } from './runtime.js';
import type { StepRecording } from './trace-recorder.js';

/*
 * The three steps of a handoff, each written once: the standalone actions (service.ts) and the
 * whole handoff (pipeline.ts) both call these. A step takes the request (its deadline, call budget,
 * claim and the conversation fetched at most once) and the recording its calls go to.
 */

/** Step 1: should the bot hand off? Intent and confidence from the best source, against the threshold. */
export async function assessIntent(
  req: HandoffRequest,
  input: Omit<AssessIntentInput, 'conversationId'>,
  step: StepRecording,
): Promise<AssessIntentOutput> {
  const { rt } = req;
  const lookup = await lookUpIntent(
    rt,
    { ...input, conversationId: req.conversationId },
    () => req.conversation(step),
    req.options(step),
  );
  return decide(
    lookup.reading,
    { threshold: input.threshold ?? rt.config.threshold, onUnknownIntent: rt.config.onUnknownIntent },
    lookup.reason,
  );
}

/**
 * Step 2: the conversation so far, as the agent will read it: the current session's messages only
 * (session.ts), as a customer who came back within the threading timeline continues the same
 * conversation id after an earlier session the agent of that session already handled.
 */
export async function buildTranscript(
  req: HandoffRequest,
  input: Pick<TranscriptInput, 'maxChars' | 'mask'>,
  step: StepRecording,
): Promise<TranscriptOutput> {
  const { rt } = req;
  const options = {
    maxChars: input.maxChars ?? rt.config.transcript.maxChars,
    mask: input.mask ?? rt.config.transcript.mask,
  };
  const conversation = await req.conversation(step);
  const session = sessionMessages(conversation, currentSession(conversation)?.since);
  return transcriptOf(rt, req.conversationId, session, options, req.options(step));
}

/** Where step 3 puts the conversation, from the input and the configuration (a missing queue fails here, before any call). */
export interface Placement {
  queueId: string;
  mode: 'flow' | 'api';
  priority: number;
  waitMessage: string;
}

export function placementOf(
  rt: Runtime,
  input: Pick<HandToQueueInput, 'queueId' | 'mode' | 'priority'>,
): Placement {
  return {
    queueId: resolveQueueId(rt, input.queueId),
    mode: input.mode ?? rt.config.defaultMode,
    priority: input.priority ?? rt.config.defaultPriority,
    waitMessage: rt.config.waitMessage,
  };
}

/** Step 3's reads, made before anything is written. */
export interface QueueTarget {
  queue: QueueRef;
  /** api mode with a wait message: the generic conversation, for the flow's communication id (the messaging model lacks it). */
  generic: Models.Conversation | undefined;
}

/** The queue (cached; an unknown queue fails here, before any write) and, when api mode sends the wait message, the generic conversation. */
export async function readQueueTarget(
  req: HandoffRequest,
  placement: Placement,
  step: StepRecording,
): Promise<QueueTarget> {
  const sendsWaitMessage = placement.mode === 'api' && placement.waitMessage !== '';
  const [queue, generic] = await settleAll([
    lookUpQueue(req.rt, placement.queueId, req.options(step)),
    sendsWaitMessage
      ? req.rt.genesys.getConversation(req.conversationId, req.options(step))
      : Promise.resolve(undefined),
  ]);
  return { queue, generic };
}

/**
 * Step 3: the agent's context as participant data, then the queue (flow mode) or the transfer (api
 * mode); `already_handed_off` with nothing written when Genesys already routed the conversation.
 * Throws handoff_incomplete when it fails after writing (delivery.ts); never once it transferred.
 */
export async function handToQueue(
  req: HandoffRequest,
  placement: Placement,
  args: {
    conversation: Models.MessageConversation;
    target: QueueTarget;
    context: Omit<AgentContext, 'queueId'>;
  },
  step: StepRecording,
): Promise<HandToQueueOutput> {
  const { queue, generic } = args.target;
  const { mode, priority, waitMessage } = placement;
  const placed = { mode, queueId: queue.id, queueName: queue.name, priority };
  if (isAlreadyHandedOff(args.conversation)) {
    const message = alreadyWith(req.conversationId, args.conversation);
    return {
      status: 'already_handed_off',
      ...placed,
      waitMessage: '',
      transferred: false,
      attributesWritten: 0,
      message,
    };
  }
  const plan = planDelivery({
    conversationId: req.conversationId,
    conversation: args.conversation,
    generic,
    mode,
    queue,
    priority,
    waitMessage,
    attributes: buildAgentContextAttributes({ ...args.context, queueId: queue.id }),
  });
  const report = await deliver(req.rt, plan, req.options(step));
  return {
    status: report.transferred
      ? 'transferred'
      : report.transferRequested
        ? 'transfer_unconfirmed'
        : 'ready_for_transfer',
    ...placed,
    waitMessage,
    transferred: report.transferred,
    attributesWritten: report.attributesWritten,
    message: describeDelivery(plan, report),
  };
}

/** Step 3's failure in words: it fails with handoff_incomplete once it wrote (delivery.ts); any other failure wrote nothing. */
export function describeHandToQueueFailure(error: unknown): string {
  const wrote = error instanceof BatonError && error.code === 'handoff_incomplete';
  return wrote ? describeError(error) : `nothing written: ${describeError(error)}`;
}

/** The message of an already_handed_off answer (Genesys already routed the conversation to a queue or an agent). */
export function alreadyWith(conversationId: string, conversation: Models.MessageConversation): string {
  return `Conversation ${conversationId} is already with ${describeRouting(conversation) || 'a queue or agent'}: nothing written, nothing transferred.`;
}
