import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandToQueueInput, HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { HandoffInput, HandoffOutput } from '../contracts/handoff.js';
import type { HandoffTrace } from '../contracts/trace.js';
import { decide, readIntentFromAttributes, readIntentFromInputs } from './decision.js';
import { claimSession, keptIfWritten, oncePerSession, type HandedOff } from './handed-off.js';
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
  buildTranscript,
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
  const placement = placementOf(rt, input);
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
  const placement = placementOf(rt, input);
  const req = openRequest(rt, { conversationId: cid, ctx, deadline });
  const step = untracedStep(ctx?.onCall);
  // The conversation first: its session is the key, claimed before anything is written.
  const read = await req.conversation(step);
  const result = await oncePerSession(rt, cid, read, deadline, async (claim) => {
    req.hold(claim);
    // Claimed after waiting for another run of this session, which may have changed it: read it again.
    const conversation = claim.waited ? await req.conversation(step, { fresh: true }) : read;
    const target = await readQueueTarget(req, placement, step);
    const { intent, confidence, reason, transcript } = input;
    const context = { handoffId: rt.newId(), intent, confidence, reason, transcript };
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
  const alreadyHandedOff = (conversation: Models.MessageConversation, assessment?: AssessIntentOutput) =>
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
    return { output: alreadyHandedOff(assessed.conversation) };
  }
  if (!assessment.handoffRecommended) {
    // Nothing written, and no transcript fetched: the bot carries on.
    skipTheRest('the bot keeps the conversation');
    return {
      output: answer({ status: 'bot_keeps', message: assessment.message, ...intentFields(assessment) }),
    };
  }

  // 2 and 3. The transcript and step 3's reads in parallel; step 3's writes once the transcript is built.
  const transcribed = recorder.run('buildTranscript', async (step) => {
    const conversation = await req.conversation(step);
    if (isAlreadyHandedOff(conversation))
      return { value: { conversation }, summary: 'already handed off: no transcript needed' };
    const transcript = await buildTranscript(req, input, step);
    return { value: { conversation, transcript }, summary: transcript.message };
  });
  const { conversation, transcript, delivered } = await recorder.run(
    'handToQueue',
    async (step) => {
      const [built, target] = await settleAll([transcribed, readQueueTarget(req, placement, step)]);
      const context = {
        handoffId: recorder.handoffId,
        intent: assessment.intent,
        confidence: assessment.source === 'none' ? undefined : assessment.confidence,
        reason: assessment.message,
        transcript: built.transcript?.transcript,
      };
      const queued = await handToQueue(
        req,
        placement,
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
      message: `${assessment.message} ${delivered.message}`,
      ...intentFields(assessment),
      transcript: transcript.transcript,
      messageCount: transcript.messageCount,
      truncated: transcript.truncated,
    }),
  };
}

function emptyAnswer(
  handoffId: string,
  threshold: number,
  placement: Pick<Placement, 'mode' | 'priority'>,
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
    waitMessage: '',
    transcript: '',
    messageCount: 0,
    truncated: false,
    transferred: false,
    apiCalls: 0,
    durationMs: 0,
  };
}

/** What a handoff's answer takes from step 3's. */
function placedFields(queued: HandToQueueOutput) {
  const { status, mode, queueId, queueName, priority, waitMessage, transferred } = queued;
  return { status, mode, queueId, queueName, priority, waitMessage, transferred };
}

/** A repeated handoff's answer: the handoff's own, or, after a standalone hand-to-queue, that one's in a handoff's shape. */
function handoffAnswer(kept: HandedOff, conversationId: string, threshold: number): HandoffOutput {
  if (kept.handoff) return kept.handoff;
  const queued = kept.handToQueue;
  return {
    ...emptyAnswer(kept.handoffId, threshold, queued),
    ...placedFields(queued),
    message: `Conversation ${conversationId} was already handed to a queue by an earlier hand-to-queue: ${queued.message}`,
  };
}

function intentFields(
  assessment: AssessIntentOutput | undefined,
): Pick<HandoffOutput, 'intent' | 'confidence' | 'intentSource'> {
  if (!assessment) return { intent: '', confidence: 0, intentSource: 'none' };
  return { intent: assessment.intent, confidence: assessment.confidence, intentSource: assessment.source };
}

/** What the bot wrote, when it is on the conversation anyway (free: no call). */
function intentFromParticipantData(
  rt: Runtime,
  conv: Models.MessageConversation,
  threshold: number,
): AssessIntentOutput | undefined {
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
