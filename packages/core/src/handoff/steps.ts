import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentInput, AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandToQueueInput, HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { TranscriptInput, TranscriptOutput } from '../contracts/transcript.js';
import { BatonError, describeError } from '../errors.js';
import {
  buildAgentContext,
  contextAttributes,
  contextOutputs,
  EMPTY_CONTEXT_OUTPUTS,
  type ContextFacts,
  type Summariser,
} from './agent-context.js';
import { conversationTextOf, type ConversationText } from './conversation-transcript.js';
import { decide } from './decision.js';
import {
  deliver,
  describeDelivery,
  lookUpQueue,
  planDelivery,
  resolveQueueId,
} from './delivery.js';
import { lookUpIntent } from './intent-sources.js';
import { describeRouting, findCustomer, isAlreadyHandedOff } from './participants.js';
import type { QueueRef } from './queue-cache.js';
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

/** Step 2: the conversation so far, as the agent will read it. */
export async function buildTranscript(
  req: HandoffRequest,
  input: Pick<TranscriptInput, 'maxChars' | 'mask'>,
  step: StepRecording,
): Promise<TranscriptOutput> {
  return (await readConversationText(req, input, step)).transcript;
}

/** Step 2 for a handoff: the transcript and the entries the agent's context is built from. */
export async function readConversationText(
  req: HandoffRequest,
  input: Pick<TranscriptInput, 'maxChars' | 'mask'>,
  step: StepRecording,
): Promise<ConversationText> {
  const { rt } = req;
  const options = {
    maxChars: input.maxChars ?? rt.config.transcript.maxChars,
    mask: input.mask ?? rt.config.transcript.mask,
  };
  return conversationTextOf(rt, req.conversationId, await req.conversation(step), options, req.options(step));
}

/** Where step 3 puts the conversation, from the input and the configuration (a missing queue fails here, before any call). */
export interface Placement {
  queueId: string;
  mode: 'flow' | 'api';
  priority: number;
  waitMessage: string;
  /** Who writes the agent's context (the bridge, or the flow from the context* outputs). */
  writeContext: 'bridge' | 'flow';
  /** Also put the full transcript into the agent's context. */
  includeTranscript: boolean;
  /** Mask customer text in the agent's context (the transcript's setting). */
  mask: boolean;
}

export function placementOf(
  rt: Runtime,
  input: Pick<HandToQueueInput, 'queueId' | 'mode' | 'priority' | 'writeContext' | 'includeTranscript'> & {
    mask?: boolean | undefined;
  },
): Placement {
  return {
    queueId: resolveQueueId(rt, input.queueId),
    mode: input.mode ?? rt.config.defaultMode,
    priority: input.priority ?? rt.config.defaultPriority,
    waitMessage: rt.config.waitMessage,
    writeContext: input.writeContext ?? rt.config.writeContext,
    includeTranscript: input.includeTranscript ?? rt.config.contextTranscript,
    mask: input.mask ?? rt.config.transcript.mask,
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

/** What step 3 builds the agent's context from: the facts, this handoff's id, and optionally another summariser. */
export interface ContextInput {
  handoffId: string;
  facts: ContextFacts;
  summariser?: Summariser | undefined;
}

/**
 * Step 3: the agent's context as participant data (or, with writeContext 'flow', as outputs for the
 * flow to write), then the queue (flow mode) or the transfer (api mode); `already_handed_off` with
 * nothing written when Genesys already routed the conversation.
 * Throws handoff_incomplete when it fails after writing (delivery.ts); never once it transferred.
 */
export async function handToQueue(
  req: HandoffRequest,
  placement: Placement,
  args: {
    conversation: Models.MessageConversation;
    target: QueueTarget;
    context: ContextInput;
  },
  step: StepRecording,
): Promise<HandToQueueOutput> {
  const { queue, generic } = args.target;
  const { mode, priority, waitMessage, writeContext } = placement;
  const placed = { mode, queueId: queue.id, queueName: queue.name, priority, writeContext };
  if (isAlreadyHandedOff(args.conversation)) {
    const message = alreadyWith(req.conversationId, args.conversation);
    return {
      status: 'already_handed_off',
      ...placed,
      waitMessage: '',
      transferred: false,
      attributesWritten: 0,
      ...EMPTY_CONTEXT_OUTPUTS,
      message,
    };
  }
  const context = buildAgentContext(args.context.facts, {
    mask: placement.mask,
    includeTranscript: placement.includeTranscript,
    summariser: args.context.summariser,
  });
  // The customer's attributes already there count against the 50 (docs/genesys-facts.md#participant-data-limits).
  const existing = Object.keys(findCustomer(args.conversation)?.attributes ?? {});
  const built = contextAttributes(context, { handoffId: args.context.handoffId, queueId: queue.id }, existing);
  const outputs = contextOutputs(context, writeContext === 'bridge' ? built.trimmed : []);
  const plan = planDelivery({
    conversationId: req.conversationId,
    conversation: args.conversation,
    generic,
    mode,
    queue,
    priority,
    waitMessage,
    // With writeContext 'flow' nothing is written: the flow's Set Participant Data takes the outputs.
    attributes: writeContext === 'bridge' ? built.attributes : {},
  });
  const report = await deliver(req.rt, plan, req.options(step));
  const trimmedNote = outputs.contextTrimmed ? ` Trimmed to the participant-data limits: ${outputs.contextTrimmed}.` : '';
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
    ...outputs,
    message: `${describeDelivery(plan, report)}${trimmedNote}`,
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
