import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandToQueueInput, HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { HandoffInput, HandoffOutput } from '../contracts/handoff.js';
import type { HandoffTrace } from '../contracts/trace.js';
import { ValidationError } from '../errors.js';
import { EMPTY_CONTEXT_OUTPUTS, type ContextOutputs } from './agent-context.js';
import { decide, readIntentFromAttributes, readIntentFromInputs, winningReason, type Decision } from './decision.js';
import { claimSession, keptIfWritten, oncePerSession, type HandedOff } from './handed-off.js';
import { parseSlots } from './slots.js';
import { findCustomer, isAlreadyHandedOff } from './participants.js';
import {
  openRequest,
  requestDeadline,
  settleAll,
  type HandoffRequest,
  type Runtime,
  type StepContext,
} from './runtime.js';
import {
  alreadyWith,
  assessIntent,
  readConversationText,
  describeHandToQueueFailure,
  handToQueue,
  placementOf,
  readQueueTarget,
  type Placement,
} from './steps.js';
import type { ClaimResult, TakenClaim } from './run-once.js';
import { createTraceRecorder, errorFacts, untracedStep, type TraceRecorder } from './trace-recorder.js';

export interface HandoffResult {
  output: HandoffOutput;
  trace: HandoffTrace;
}

/**
 * The whole handoff: decide, build the transcript, give the agent the context, queue. Idempotent
 * per conversation; every upstream call is traced; the trace is stored whatever the outcome.
 */
export async function runHandoff(
  rt: Runtime,
  input: HandoffInput,
  ctx: StepContext | undefined,
): Promise<HandoffResult> {
  const started = rt.now();
  const cid = input.conversationId;
  const deadline = requestDeadline(rt, ctx, input.budgetMs);
  // Checked before any call (a missing queue fails here); routed again once the intent is known.
  const placement = firstPlacement(rt, input);
  const recorder = createTraceRecorder({
    handoffId: rt.newId(),
    conversationId: cid,
    now: rt.now,
    forward: ctx?.onCall,
  });
  const req = openRequest(rt, { conversationId: cid, ctx, deadline });
  // Taken by step 1 once the conversation is read (its session is the key), before any write.
  let claim: TakenClaim<HandedOff> | undefined;
  const claimFor = async (conversation: Models.MessageConversation) => {
    const claimed = await claimSession(rt, cid, conversation, deadline);
    if (claimed.kind === 'claimed') {
      claim = claimed.claim;
      req.hold(claimed.claim);
    }
    return claimed;
  };

  let ran: Awaited<ReturnType<typeof handOff>>;
  try {
    ran = await handOff(req, input, placement, recorder, started, claimFor);
  } catch (error) {
    await appendTrace(rt, recorder.finish({ status: 'failed', error: errorFacts(error) }));
    await claim?.release(error);
    throw error;
  }
  if ('repeat' in ran) {
    // A repeat: the answer of the run that wrote; this request only read the conversation.
    const output = handoffAnswer(ran.repeat, cid, input.threshold ?? rt.config.threshold);
    return { output, trace: { ...recorder.finish({ status: output.status }), handoffId: output.handoffId } };
  }
  const { output, delivered } = ran;
  const trace = recorder.finish({ status: output.status, transcript: output.transcript || undefined });
  await appendTrace(rt, trace);
  await claim?.finish(keptIfWritten(recorder.handoffId, delivered, output));
  return { output, trace };
}

/** The standalone hand-to-queue: step 3 alone, under the same per-session claim as a handoff. */
export async function runHandToQueue(
  rt: Runtime,
  input: HandToQueueInput,
  ctx: StepContext | undefined,
): Promise<HandToQueueOutput> {
  const cid = input.conversationId;
  const deadline = requestDeadline(rt, ctx);
  const placement = placementOf(rt, input, { intent: input.intent, exitReason: input.exitReason });
  const req = openRequest(rt, { conversationId: cid, ctx, deadline });
  const step = untracedStep(ctx?.onCall);
  // The conversation first: its session is the key, claimed before anything is written.
  const read = await req.conversation(step);
  const result = await oncePerSession(rt, cid, read, deadline, async (claim) => {
    req.hold(claim);
    // Claimed after waiting for another run of this session, which may have changed it: read it again.
    const conversation = claim.waited ? await req.conversation(step, { fresh: true }) : read;
    const target = await readQueueTarget(req, placement, step);
    // No messages are read here: the context is what the flow passes (the transcript, when given and asked for).
    const { intent, confidence, reason, transcript, exitReason } = input;
    const context = {
      handoffId: rt.newId(),
      facts: { intent, confidence, reason, transcript, exitReason, slots: parseSlots(input.slots).slots },
    };
    const output = await handToQueue(req, placement, { conversation, target, context }, step);
    return { value: output, keep: keptIfWritten(context.handoffId, output) };
  });
  return result.kind === 'ran' ? result.value : result.stored.handToQueue;
}

/** The three steps in sequence; `delivered` is step 3's answer when it ran. */
async function handOff(
  req: HandoffRequest,
  input: HandoffInput,
  placement: Placement,
  recorder: TraceRecorder,
  started: number,
  claimFor: (conversation: Models.MessageConversation) => Promise<ClaimResult<HandedOff>>,
): Promise<{ output: HandoffOutput; delivered?: HandToQueueOutput } | { repeat: HandedOff }> {
  const { rt, conversationId: cid } = req;
  const threshold = input.threshold ?? rt.config.threshold;
  const answer = (
    fields: Partial<HandoffOutput> & Pick<HandoffOutput, 'status' | 'message'>,
  ): HandoffOutput => ({
    ...emptyAnswer(recorder.handoffId, threshold, placement),
    ...fields,
    apiCalls: recorder.requestCount(),
    durationMs: Math.max(0, Math.round(rt.now() - started)),
  });
  const alreadyHandedOff = (conversation: Models.MessageConversation, assessment?: Decision) =>
    answer({
      status: 'already_handed_off',
      message: alreadyWith(cid, conversation),
      ...intentFields(assessment ?? intentFromParticipantData(rt, conversation, threshold)),
    });
  const skipTheRest = (summary: string) => {
    for (const step of ['buildTranscript', 'handToQueue'] as const) recorder.skip(step, summary);
  };

  // 1. Assess intent: no call with the flow's inputs (and when the bot keeps the conversation, no
  // claim either: nothing is written); otherwise the conversation, which also tells whether Genesys
  // already routed it (then nothing else is needed). The conversation read gives the claim its key.
  const assessed = await recorder.run('assessIntent', async (step) => {
    let fromInputs: AssessIntentOutput | undefined;
    if (readIntentFromInputs(input)) {
      fromInputs = await assessIntent(req, input, step);
      if (!fromInputs.handoffRecommended) return { value: { assessment: fromInputs }, summary: fromInputs.message };
    }
    let conversation = await req.conversation(step);
    const claimed = await claimFor(conversation);
    if (claimed.kind === 'repeat')
      return { value: { repeat: claimed.stored }, summary: 'a repeat: answered from the handoff of this session that wrote' };
    // Claimed after waiting for another run of this session, which may have changed it: read it again.
    if (claimed.claim.waited) conversation = await req.conversation(step, { fresh: true });
    if (!fromInputs && isAlreadyHandedOff(conversation))
      return { value: { conversation }, summary: 'already handed off: intent not needed' };
    const assessment = fromInputs ?? (await assessIntent(req, input, step));
    return { value: { assessment }, summary: assessment.message };
  });
  if (assessed.repeat) {
    skipTheRest('a repeat: answered from the handoff of this session that wrote');
    return { repeat: assessed.repeat };
  }
  const { assessment } = assessed;
  if (!assessment) {
    skipTheRest('already handed off: nothing written');
    // Without an assessment, step 1 answered with the conversation it found already routed.
    return { output: alreadyHandedOff(assessed.conversation as Models.MessageConversation) };
  }
  if (!assessment.handoffRecommended) {
    // Nothing written, and no transcript fetched: the bot carries on.
    skipTheRest('the bot keeps the conversation');
    return {
      output: answer({ status: 'bot_keeps', message: assessment.message, ...intentFields(assessment) }),
    };
  }

  // The queue and priority for what step 1 found (the intent may come from participant data or analytics).
  const routed = placementOf(rt, input, { intent: assessment.intent, exitReason: assessment.exitReason });

  // 2 and 3. The transcript and step 3's reads in parallel; step 3's writes once the transcript is built.
  const transcribed = recorder.run('buildTranscript', async (step) => {
    const conversation = await req.conversation(step);
    if (isAlreadyHandedOff(conversation))
      return { value: { conversation }, summary: 'already handed off: no transcript needed' };
    const { transcript, entries } = await readConversationText(req, input, step);
    return { value: { conversation, transcript, entries }, summary: transcript.message };
  });
  const { conversation, transcript, delivered } = await recorder.run(
    'handToQueue',
    async (step) => {
      const [built, target] = await settleAll([transcribed, readQueueTarget(req, routed, step)]);
      const context = {
        handoffId: recorder.handoffId,
        facts: {
          intent: assessment.intent,
          exitReason: assessment.exitReason || undefined,
          confidence: assessment.source === 'none' ? undefined : assessment.confidence,
          slots: parseSlots(input.slots).slots,
          reason: winningReason(assessment.message),
          entries: built.entries,
          transcript: built.transcript?.transcript,
        },
      };
      const queued = await handToQueue(
        req,
        routed,
        { conversation: built.conversation, target, context },
        step,
      );
      return { value: { ...built, delivered: queued }, summary: queued.message };
    },
    describeHandToQueueFailure,
  );
  if (delivered.status === 'already_handed_off' || !transcript) {
    return { output: alreadyHandedOff(conversation, assessment) };
  }
  return {
    delivered,
    output: answer({
      ...placedFields(delivered),
      ...contextFields(delivered),
      message: `${assessment.message} ${delivered.message}`,
      ...intentFields(assessment),
      transcript: transcript.transcript,
      messageCount: transcript.messageCount,
      truncated: transcript.truncated,
    }),
  };
}

/**
 * The placement from the inputs alone, before any call: a missing queue fails here. With a routing
 * table the queue may depend on an intent step 1 has yet to find (participant data, analytics), so
 * a miss waits for the route made after step 1.
 */
function firstPlacement(rt: Runtime, input: HandoffInput): Placement {
  try {
    return placementOf(rt, input, { intent: input.intent, exitReason: input.exitReason });
  } catch (error) {
    if (!(error instanceof ValidationError) || !rt.config.routing) throw error;
    return {
      queue: { id: '' },
      mode: input.mode ?? rt.config.defaultMode,
      priority: input.priority ?? rt.config.defaultPriority,
      waitMessage: rt.config.waitMessage,
      routingRule: '',
      writeContext: input.writeContext ?? rt.config.writeContext,
      includeTranscript: input.includeTranscript ?? rt.config.contextTranscript,
      mask: input.mask ?? rt.config.transcript.mask,
    };
  }
}

function emptyAnswer(
  handoffId: string,
  threshold: number,
  placement: Pick<Placement, 'mode' | 'priority' | 'writeContext'>,
): Omit<HandoffOutput, 'status' | 'message'> {
  return {
    handoffId,
    intent: '',
    confidence: 0,
    intentSource: 'none',
    threshold,
    mode: placement.mode,
    queueId: '',
    queueName: '',
    priority: placement.priority,
    exitReason: '',
    decisionRule: '',
    routingRule: '',
    waitMessage: '',
    transcript: '',
    messageCount: 0,
    truncated: false,
    transferred: false,
    writeContext: placement.writeContext,
    ...EMPTY_CONTEXT_OUTPUTS,
    apiCalls: 0,
    durationMs: 0,
  };
}

/** The agent's context as step 3 returned it (flat, for the flow's Set Participant Data). */
function contextFields(queued: HandToQueueOutput): ContextOutputs {
  const { contextSummary, contextIntent, contextExitReason, contextConfidence, contextLastMessage, contextBotTried, contextSlots, contextTrimmed } = queued;
  return { contextSummary, contextIntent, contextExitReason, contextConfidence, contextLastMessage, contextBotTried, contextSlots, contextTrimmed };
}

/** What a handoff's answer takes from step 3's. */
function placedFields(queued: HandToQueueOutput) {
  const { status, mode, queueId, queueName, priority, routingRule, waitMessage, transferred } = queued;
  return { status, mode, queueId, queueName, priority, routingRule, waitMessage, transferred };
}

/** A repeated handoff's answer: the handoff's own, or, after a standalone hand-to-queue, that one's in a handoff's shape. */
function handoffAnswer(kept: HandedOff, conversationId: string, threshold: number): HandoffOutput {
  if (kept.handoff) return kept.handoff;
  const queued = kept.handToQueue;
  return {
    ...emptyAnswer(kept.handoffId, threshold, queued),
    ...placedFields(queued),
    ...contextFields(queued),
    message: `Conversation ${conversationId} was already handed to a queue by an earlier hand-to-queue: ${queued.message}`,
  };
}

function intentFields(
  assessment: Decision | undefined,
): Pick<HandoffOutput, 'intent' | 'confidence' | 'intentSource' | 'exitReason' | 'decisionRule'> {
  if (!assessment) return { intent: '', confidence: 0, intentSource: 'none', exitReason: '', decisionRule: '' };
  return {
    intent: assessment.intent,
    confidence: assessment.confidence,
    intentSource: assessment.source,
    exitReason: assessment.exitReason,
    decisionRule: assessment.decisionRule,
  };
}

/** What the bot wrote, when it is on the conversation anyway (free: no call). */
function intentFromParticipantData(
  rt: Runtime,
  conv: Models.MessageConversation,
  threshold: number,
): Decision | undefined {
  const read = readIntentFromAttributes(findCustomer(conv)?.attributes, rt.config.intentAttributes);
  return read.reading
    ? decide(read.reading, { threshold, onUnknownIntent: rt.config.onUnknownIntent })
    : undefined;
}

/**
 * A lost trace must not turn a done handoff into a failed one (the flow would retry it). The trace
 * is already redacted: the recorder is the trace's redaction edge (trace-recorder.ts).
 */
async function appendTrace(rt: Runtime, trace: HandoffTrace): Promise<void> {
  await rt.traces.append(trace).catch(() => undefined);
}
