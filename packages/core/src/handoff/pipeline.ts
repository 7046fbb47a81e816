import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentOutput } from '../contracts/assess-intent.js';
import type { HandoffInput, HandoffOutput } from '../contracts/handoff.js';
import type { HandoffTrace } from '../contracts/trace.js';
import type { TranscriptOutput } from '../contracts/transcript.js';
import { BatonError, GenesysApiError, describeError } from '../errors.js';
import { buildAgentContextAttributes } from './agent-context.js';
import { createCallBudget } from './call-budget.js';
import { transcriptOf } from './conversation-transcript.js';
import { decide, readIntentFromAttributes, readIntentFromInputs } from './decision.js';
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
import { runOnce, type HeldClaim } from './run-once.js';
import { callOptions, deadlineFor, type Runtime, type StepContext } from './runtime.js';
import { createTraceRecorder, type StepRecording, type TraceRecorder } from './trace-recorder.js';

export interface HandoffResult {
  output: HandoffOutput;
  trace: HandoffTrace;
}

/** Idempotency key of a whole handoff: one per conversation. */
export const handoffKey = (conversationId: string) => `baton:handoff:${conversationId}`;

/**
 * The seed's whole pipeline on the real API: decide, build the transcript, give the agent the
 * context, queue. Idempotent per conversation; every upstream call is traced; the trace is stored
 * whatever the outcome.
 */
export async function runHandoff(
  rt: Runtime,
  input: HandoffInput,
  ctx: StepContext | undefined,
): Promise<HandoffResult> {
  const started = rt.now();
  const deadline = deadlineFor(rt, ctx, input.budgetMs);
  const queueId = resolveQueueId(rt, input.queueId);
  const handoffId = rt.newId();

  const result = await runOnce<HandoffResult, HandoffOutput>({
    store: rt.idempotency,
    key: handoffKey(input.conversationId),
    ttlMs: rt.config.idempotencyTtlMs,
    deadline,
    now: rt.now,
    work: async (claim) => {
      const recorder = createTraceRecorder({
        handoffId,
        conversationId: input.conversationId,
        now: rt.now,
        forward: ctx?.onCall,
      });
      try {
        const output = await pipeline(rt, input, { recorder, deadline, queueId, ctx, started, claim });
        const trace = recorder.finish({ status: output.status, transcript: output.transcript || undefined });
        await appendTrace(rt, trace);
        // Only a handoff that wrote something answers repeats; bot_keeps / already_handed_off are re-evaluated.
        const wrote = output.status === 'ready_for_transfer' || output.status === 'transferred' || output.status === 'transfer_unconfirmed';
        return { value: { output, trace }, keep: wrote ? output : undefined };
      } catch (error) {
        await appendTrace(rt, recorder.finish({ status: 'failed', error: errorFacts(error) }));
        throw error;
      }
    },
  });
  if (result.kind === 'ran') return result.value;

  // A repeat: the first handoff's answer, and a trace saying this request made no calls.
  const stored = result.stored;
  return {
    output: stored,
    trace: {
      handoffId: stored.handoffId,
      conversationId: input.conversationId,
      startedAt: new Date(started).toISOString(),
      durationMs: Math.max(0, rt.now() - started),
      status: stored.status,
      steps: [],
      calls: [],
    },
  };
}

interface Run {
  recorder: TraceRecorder;
  deadline: number;
  queueId: string;
  ctx: StepContext | undefined;
  started: number;
  /** This run's idempotency claim: every write extends it to cover the write's answer. */
  claim: HeldClaim;
}

async function pipeline(rt: Runtime, input: HandoffInput, run: Run): Promise<HandoffOutput> {
  const { recorder, deadline, ctx } = run;
  const cid = input.conversationId;
  const mode = input.mode ?? rt.config.defaultMode;
  const priority = input.priority ?? rt.config.defaultPriority;
  const threshold = input.threshold ?? rt.config.threshold;
  // One call budget for the whole handoff, whichever step spends it.
  const budget = createCallBudget(rt.config.maxCallsPerHandoff);
  const options = (step: StepRecording) => callOptions(deadline, ctx, { onCall: step.onCall, claim: run.claim, budget });

  // One fetch of the conversation serves participant data, already-handed-off detection, the
  // message ids and the flow participant: never fetched twice.
  let conversationFetch: Promise<Models.MessageConversation> | undefined;
  const conversation = (step: StepRecording) =>
    (conversationFetch ??= rt.genesys.getMessageConversation(cid, options(step)));

  const output = (
    fields: Partial<HandoffOutput> & Pick<HandoffOutput, 'status' | 'message'>,
  ): HandoffOutput => ({
    handoffId: recorder.handoffId,
    intent: '',
    confidence: 0,
    intentSource: 'none',
    threshold,
    mode,
    queueId: '',
    queueName: '',
    priority,
    waitMessage: '',
    transcript: '',
    messageCount: 0,
    truncated: false,
    transferred: false,
    ...fields,
    apiCalls: recorder.requestCount(),
    durationMs: Math.max(0, Math.round(rt.now() - run.started)),
  });
  const alreadyHandedOff = (
    conv: Models.MessageConversation,
    assessment?: AssessIntentOutput,
  ): HandoffOutput => {
    for (const step of ['buildTranscript', 'handToQueue'] as const)
      recorder.skip(step, 'already handed off: nothing written');
    const known = assessment ?? intentFromParticipantData(rt, conv, threshold);
    return output({
      status: 'already_handed_off',
      message: `Conversation ${cid} is already with ${describeRouting(conv) || 'a queue or agent'}: nothing written, nothing transferred.`,
      ...intentFields(known),
    });
  };

  // --- 1. Assess intent (0 calls with the flow's inputs; the conversation fetch otherwise) -------
  const assessStep = recorder.step('assessIntent');
  let assessment: AssessIntentOutput;
  let fetched: Models.MessageConversation | undefined;
  try {
    if (!readIntentFromInputs(input)) {
      fetched = await conversation(assessStep);
      if (isAlreadyHandedOff(fetched)) {
        assessStep.end('ok', 'already handed off: intent not needed');
        return alreadyHandedOff(fetched);
      }
    }
    const lookup = await lookUpIntent(rt, input, () => conversation(assessStep), options(assessStep));
    assessment = decide(
      lookup.reading,
      { threshold, onUnknownIntent: rt.config.onUnknownIntent },
      lookup.reason,
    );
    assessStep.end('ok', assessment.message);
  } catch (error) {
    assessStep.end('failed', describeError(error));
    throw error;
  }

  if (!assessment.handoffRecommended) {
    // Nothing written, and no transcript fetched: the bot carries on.
    for (const step of ['buildTranscript', 'handToQueue'] as const)
      recorder.skip(step, 'the bot keeps the conversation');
    return output({ status: 'bot_keeps', message: assessment.message, ...intentFields(assessment) });
  }

  // --- 2 and 3. Transcript, queue and (api mode) the flow's communication, in parallel -------------
  const transcriptStep = recorder.step('buildTranscript');
  const queueStep = recorder.step('handToQueue');
  const waitMessage = rt.config.waitMessage;
  type TranscriptTask = { conversation: Models.MessageConversation; transcript?: TranscriptOutput };
  const transcriptTask = (async (): Promise<TranscriptTask> => {
    const conv = fetched ?? (await conversation(transcriptStep));
    if (isAlreadyHandedOff(conv)) return { conversation: conv };
    const transcriptOptions = {
      maxChars: input.maxChars ?? rt.config.transcript.maxChars,
      mask: input.mask ?? rt.config.transcript.mask,
    };
    return {
      conversation: conv,
      transcript: await transcriptOf(rt, cid, conv, transcriptOptions, options(transcriptStep)),
    };
  })();
  const queueTask = lookUpQueue(rt, run.queueId, options(queueStep));
  // The messaging model lacks communication ids; only api mode sends the wait message itself.
  const genericTask: Promise<Models.Conversation | undefined> =
    mode === 'api' && waitMessage
      ? rt.genesys.getConversation(cid, options(queueStep))
      : Promise.resolve(undefined);
  // allSettled, not all: the trace then holds every call of this handoff before it is finished.
  const [transcriptSettled, queueSettled, genericSettled] = await Promise.allSettled([
    transcriptTask,
    queueTask,
    genericTask,
  ]);
  if (transcriptSettled.status === 'rejected')
    transcriptStep.end('failed', describeError(transcriptSettled.reason));
  if (queueSettled.status === 'rejected' || genericSettled.status === 'rejected') {
    queueStep.end(
      'failed',
      `nothing written: ${describeError(queueSettled.status === 'rejected' ? queueSettled.reason : (genericSettled as PromiseRejectedResult).reason)}`,
    );
  }
  const firstFailure = [transcriptSettled, queueSettled, genericSettled].find((s) => s.status === 'rejected');
  if (firstFailure) {
    transcriptStep.end('failed', 'not finished: another part of the handoff failed');
    queueStep.end('failed', 'nothing written: another part of the handoff failed');
    throw (firstFailure as PromiseRejectedResult).reason;
  }
  const { conversation: conv, transcript } = (transcriptSettled as PromiseFulfilledResult<TranscriptTask>)
    .value;
  const queue = (queueSettled as PromiseFulfilledResult<QueueRef>).value;
  const generic = (genericSettled as PromiseFulfilledResult<Models.Conversation | undefined>).value;

  if (!transcript) {
    transcriptStep.end('ok', 'already handed off: no transcript needed');
    queueStep.end('ok', 'already handed off: nothing written');
    return alreadyHandedOff(conv, assessment);
  }
  transcriptStep.end('ok', transcript.message);

  // --- 3. Give the agent the context, then queue ---------------------------------------------------
  let plan;
  let report;
  try {
    plan = planDelivery({
      conversationId: cid,
      conversation: conv,
      generic,
      mode,
      queue,
      priority,
      waitMessage,
      attributes: buildAgentContextAttributes({
        handoffId: recorder.handoffId,
        queueId: queue.id,
        intent: assessment.intent,
        confidence: assessment.source === 'none' ? undefined : assessment.confidence,
        reason: assessment.message,
        transcript: transcript.transcript,
      }),
    });
    report = await deliver(rt, plan, options(queueStep));
  } catch (error) {
    queueStep.end('failed', describeError(error));
    throw error;
  }
  const delivered = describeDelivery(plan, report);
  queueStep.end('ok', delivered);

  return output({
    status: report.transferred ? 'transferred' : report.transferRequested ? 'transfer_unconfirmed' : 'ready_for_transfer',
    message: `${assessment.message} ${delivered}`,
    ...intentFields(assessment),
    queueId: queue.id,
    queueName: queue.name,
    waitMessage,
    transcript: transcript.transcript,
    messageCount: transcript.messageCount,
    truncated: transcript.truncated,
    transferred: report.transferred,
  });
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

function errorFacts(error: unknown): { code: string; message: string; contextId?: string | undefined } {
  if (error instanceof GenesysApiError)
    return { code: error.code, message: error.message, contextId: error.facts.contextId };
  if (error instanceof BatonError) {
    const contextId = typeof error.details['contextId'] === 'string' ? error.details['contextId'] : undefined;
    return { code: error.code, message: error.message, contextId };
  }
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * A lost trace must not turn a done handoff into a failed one (the flow would retry it). The trace
 * is already redacted: the recorder is the trace's redaction edge (trace-recorder.ts).
 */
async function appendTrace(rt: Runtime, trace: HandoffTrace): Promise<void> {
  await rt.traces.append(trace).catch(() => undefined);
}
