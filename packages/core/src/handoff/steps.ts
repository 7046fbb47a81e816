import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentInput, AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandToQueueInput, HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { TranscriptInput, TranscriptOutput } from '../contracts/transcript.js';
import { BatonError, describeError } from '../errors.js';
import type { CallOptions } from '../genesys/api.js';
import {
  buildAgentContext,
  contextAttributes,
  contextOutputs,
  EMPTY_CONTEXT_OUTPUTS,
  type ContextFacts,
  type Summariser,
} from './agent-context.js';
import { conversationTextOf, type ConversationText } from './conversation-transcript.js';
import { decide, exitReasonDecides } from './decision.js';
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
import { chooseRoute, describeEntry, type QueueSpec, type RouteFacts } from './routing.js';
import { formatSlots, parseSlots } from './slots.js';
import { currentSession, sessionMessages } from './session.js';
import { settleAll, type HandoffRequest, type Runtime } from './runtime.js';
import type { StepRecording } from './trace-recorder.js';

/*
 * The three steps of a handoff, each written once: the standalone actions (service.ts) and the
 * whole handoff (pipeline.ts) both call these. A step takes the request (its deadline, call budget,
 * claim and the conversation fetched at most once) and the recording its calls go to.
 */

/**
 * Step 1: should the bot hand off? The bot's exit reason, then its confidence (from the best
 * source) against the threshold, then the configured default (decision.ts). The parsed slots are
 * answered in the input's own flat form (parseSlots reads them back).
 */
export async function assessIntent(
  req: HandoffRequest,
  input: Omit<AssessIntentInput, 'conversationId'>,
  step: StepRecording,
): Promise<AssessIntentOutput> {
  const { rt } = req;
  // When the exit reason already decides, a confidence is shown but not worth analytics calls.
  const exitDecides = exitReasonDecides(input.exitReason);
  const lookup = await lookUpIntent(
    rt,
    { ...input, conversationId: req.conversationId, analytics: !exitDecides },
    () => req.conversation(step),
    req.options(step),
  );
  const { slots, problems } = parseSlots(input.slots);
  const decided = decide(
    lookup.reading,
    { threshold: input.threshold ?? rt.config.threshold, onUnknownIntent: rt.config.onUnknownIntent },
    lookup.reason,
    { exitReason: input.exitReason, intent: input.intent },
  );
  const slotNote = problems.length ? ` Slots: ${problems.join('; ')} (ignored).` : '';
  return { ...decided, slots: formatSlots(slots), message: `${decided.message}${slotNote}` };
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
  const conversation = await req.conversation(step);
  const session = sessionMessages(conversation, currentSession(conversation)?.since);
  return conversationTextOf(rt, req.conversationId, session, options, req.options(step));
}

/** Where step 3 puts the conversation, from the input, the routing table and the configuration (a missing queue fails here, before any call). */
export interface Placement {
  queue: QueueSpec;
  mode: 'flow' | 'api';
  priority: number;
  waitMessage: string;
  /** What chose the queue and the priority, for the routingRule output. */
  routingRule: string;
  /** Who writes the agent's context (the bridge, or the flow from the context* outputs). */
  writeContext: 'bridge' | 'flow';
  /** Also put the full transcript into the agent's context. */
  includeTranscript: boolean;
  /** Mask customer text in the agent's context (the transcript's setting). */
  mask: boolean;
}

/**
 * The queue: the queueId input (the routing table is not consulted), else the first routing entry
 * matching the intent and exit reason, else the table's default, else GENESYS_QUEUE_ID. The
 * priority: the priority input, else the chosen entry's, else the default's, else the configured one.
 */
export function placementOf(
  rt: Runtime,
  input: Pick<HandToQueueInput, 'queueId' | 'mode' | 'priority' | 'writeContext' | 'includeTranscript'> & {
    mask?: boolean | undefined;
  },
  facts: RouteFacts = {},
): Placement {
  const common = {
    mode: input.mode ?? rt.config.defaultMode,
    waitMessage: rt.config.waitMessage,
    writeContext: input.writeContext ?? rt.config.writeContext,
    includeTranscript: input.includeTranscript ?? rt.config.contextTranscript,
    mask: input.mask ?? rt.config.transcript.mask,
  };
  const priorityFrom = (routed: number | undefined, where: string) =>
    input.priority !== undefined
      ? { priority: input.priority, why: 'priority from the priority input' }
      : routed !== undefined
        ? { priority: routed, why: `priority from ${where}` }
        : { priority: rt.config.defaultPriority, why: 'the configured priority' };
  if (input.queueId !== undefined) {
    const { priority, why } = priorityFrom(undefined, '');
    return {
      ...common,
      queue: { id: input.queueId },
      priority,
      routingRule: `the queueId input (wins over the routing table), ${why}`,
    };
  }
  const table = rt.config.routing;
  const route = chooseRoute(table, facts);
  const fallbackPriority = route?.matched ? table?.default?.priority : undefined;
  const routedPriority = route?.target.priority ?? fallbackPriority;
  const priorityWhere = route?.target.priority !== undefined ? 'the routing entry' : 'the routing default';
  const { priority, why } = priorityFrom(routedPriority, priorityWhere);
  const entryWords = route ? (route.matched ? `routing entry ${describeEntry(route.target)}` : `routing ${route.target.where}`) : '';
  const queue = route?.target.queue ?? table?.default?.queue;
  if (queue) {
    const queueWhere = route?.target.queue ? entryWords : `routing ${table?.default?.where ?? 'default'} (the entry names no queue)`;
    return { ...common, queue, priority, routingRule: `${queueWhere}, ${why}` };
  }
  const noRoute = !table ? 'no routing file' : route?.matched ? entryWords : 'no routing entry matched';
  return {
    ...common,
    queue: { id: resolveQueueId(rt, undefined) },
    priority,
    routingRule: `GENESYS_QUEUE_ID (${noRoute}), ${why}`,
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
    lookUpQueueSpec(req.rt, placement.queue, req.options(step)),
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
  const placed = { mode, queueId: queue.id, queueName: queue.name, priority, routingRule: placement.routingRule, writeContext };
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

/**
 * A queue named by the routing file, through the same cache as ids: `GET /api/v2/routing/queues?name=`
 * once per cache period (the name filter may match more than one queue, so the exact name is
 * picked; a name matching none fails before anything is written).
 */
async function lookUpQueueSpec(rt: Runtime, queue: QueueSpec, options: CallOptions): Promise<QueueRef> {
  if ('id' in queue) return lookUpQueue(rt, queue.id, options);
  return rt.queues.get(`name:${queue.name}`, async () => {
    const found = await rt.genesys.listQueues({ name: queue.name }, options);
    const exact =
      found.find((q) => q.name === queue.name) ??
      found.find((q) => q.name?.toLowerCase() === queue.name.toLowerCase());
    if (!exact?.id) {
      throw new BatonError(
        'genesys_not_found',
        `Queue '${queue.name}' (named in the routing file) was not found, or the OAuth client's role cannot see its division: nothing was written.`,
      );
    }
    return exact;
  });
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
