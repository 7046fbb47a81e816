import { EMPTY_CONTEXT_OUTPUTS } from './agent-context.js';
import type { HandToQueueOutput } from '../contracts/hand-to-queue.js';
import type { HandoffOutput } from '../contracts/handoff.js';
import type { Models } from 'purecloud-platform-client-v2';
import { claimOnce, runOnce, type ClaimResult, type HeldClaim, type RunOnceResult, type RunOutcome } from './run-once.js';
import type { Runtime } from './runtime.js';
import { currentSession } from './session.js';

/**
 * The idempotency key of a conversation's bot session, whichever action hands it off: the whole
 * handoff and the standalone hand-to-queue claim this one key, so the two never both transfer a
 * conversation (with a key each, a hand-to-queue during or after a handoff claimed its own key,
 * found the conversation not yet moved, and transferred it again). A repeat of either action within
 * idempotencyTtlMs is answered from what the run that wrote kept here (HandedOff).
 *
 * Keyed to the session's flow participant, not to the conversation alone: a customer who comes back
 * within the threading timeline continues the same conversation id with a new flow participant
 * (docs/genesys-facts.md#messaging-threading-timeline), and is handed off again, not answered from
 * the earlier session's handoff.
 */
export const handoffKey = (conversationId: string, flowParticipantId?: string) =>
  flowParticipantId === undefined
    ? `baton:handoff:${conversationId}`
    : `baton:handoff:${conversationId}:${flowParticipantId}`;

/** The key of the conversation as read: its current session's (session.ts), or the conversation's when no flow participant was ever in it. */
export const sessionKey = (conversationId: string, conversation: Models.MessageConversation) =>
  handoffKey(conversationId, currentSession(conversation)?.flowParticipantId);

/** What a run that wrote keeps under the conversation's key. */
export interface HandedOff {
  /** Written to the agent context (`baton.handoffId`); the trace id of a whole handoff. */
  handoffId: string;
  /** Step 3's answer: every run that wrote has one, and a repeated hand-to-queue gets it. */
  handToQueue: HandToQueueOutput;
  /** The whole handoff's answer, when a handoff (not a standalone hand-to-queue) wrote. */
  handoff?: HandoffOutput | undefined;
}

/** What a run keeps for repeats: only a run that wrote answers them; bot_keeps and already_handed_off are re-evaluated. */
export function keptIfWritten(
  handoffId: string,
  handToQueue: HandToQueueOutput | undefined,
  handoff?: HandoffOutput,
): HandedOff | undefined {
  if (!handToQueue || handToQueue.status === 'already_handed_off') return undefined;
  return { handoffId, handToQueue, ...(handoff && { handoff }) };
}

/**
 * What is stored under the key for a handoff that wrote: its answer once, plus what step 3's answer
 * has beyond it (`attributesWritten`, and where step 3's message starts in the handoff's), instead
 * of both answers (about half the bytes each record kept, issue 17). A standalone hand-to-queue,
 * or a handoff whose step-3 answer cannot be rebuilt from its own, is stored as HandedOff.
 */
export interface StoredHandoff {
  handoffId: string;
  handoff: HandoffOutput;
  queued: { attributesWritten: number; messageAt: number };
}

/** What the store holds: StoredHandoff, or HandedOff / a bare handoff answer written by an earlier replica. */
export type Stored = StoredHandoff | HandedOff | HandoffOutput;

/** Step 3's answer rebuilt from a handoff's: the fields the handoff took from it (pipeline.ts), in step 3's order. */
function queuedFrom(handoff: HandoffOutput, queued: StoredHandoff['queued']): HandToQueueOutput {
  const { status, mode, queueId, queueName, priority, routingRule, waitMessage, transferred, writeContext } = handoff;
  const { contextSummary, contextIntent, contextExitReason, contextConfidence, contextLastMessage, contextBotTried, contextSlots, contextTrimmed } = handoff;
  return {
    status: status as HandToQueueOutput['status'],
    mode,
    queueId,
    queueName,
    priority,
    routingRule,
    waitMessage,
    transferred,
    attributesWritten: queued.attributesWritten,
    writeContext,
    contextSummary,
    contextIntent,
    contextExitReason,
    contextConfidence,
    contextLastMessage,
    contextBotTried,
    contextSlots,
    contextTrimmed,
    message: handoff.message.slice(queued.messageAt),
  };
}

/** The stored form of `kept`: StoredHandoff when step 3's answer is exactly rebuilt from the handoff's, else `kept` as it is. */
export function toStored(kept: HandedOff): Stored {
  const { handoffId, handoff, handToQueue } = kept;
  if (!handoff || !handoff.message.endsWith(handToQueue.message)) return kept;
  const queued = { attributesWritten: handToQueue.attributesWritten, messageAt: handoff.message.length - handToQueue.message.length };
  const rebuilt = queuedFrom(handoff, queued) as Record<string, unknown>;
  const original = handToQueue as Record<string, unknown>;
  const keys = Object.keys(original);
  if (keys.length !== Object.keys(rebuilt).length || keys.some((k) => rebuilt[k] !== original[k])) return kept;
  return { handoffId, handoff, queued };
}

/**
 * Claims the conversation's current session (run-once.ts), once the conversation was read (its
 * session is the key) and before anything is written; a repeat gets what the run that wrote kept.
 */
export async function claimSession(
  rt: Runtime,
  conversationId: string,
  conversation: Models.MessageConversation,
  deadline: number,
): Promise<ClaimResult<HandedOff>> {
  const result = await claimOnce<Stored>({
    store: rt.idempotency,
    key: sessionKey(conversationId, conversation),
    ttlMs: rt.config.idempotencyTtlMs,
    deadline,
    now: rt.now,
  });
  if (result.kind === 'repeat') return { kind: 'repeat', stored: asHandedOff(result.stored) };
  const claim = result.claim;
  return {
    kind: 'claimed',
    claim: {
      get waited() {
        return claim.waited;
      },
      cover: (until) => claim.cover(until),
      finish: (keep) => claim.finish(keep && toStored(keep)),
      release: (failure) => claim.release(failure),
    },
  };
}

/** Runs `work` at most once per session of the conversation read (claimSession); a repeat gets what the run that wrote kept. */
export async function oncePerSession<V>(
  rt: Runtime,
  conversationId: string,
  conversation: Models.MessageConversation,
  deadline: number,
  work: (claim: HeldClaim) => Promise<RunOutcome<V, HandedOff>>,
): Promise<RunOnceResult<V, HandedOff>> {
  const result = await runOnce<V, Stored>({
    store: rt.idempotency,
    key: sessionKey(conversationId, conversation),
    ttlMs: rt.config.idempotencyTtlMs,
    deadline,
    now: rt.now,
    work: async (claim) => {
      const outcome = await work(claim);
      return { value: outcome.value, keep: outcome.keep && toStored(outcome.keep) };
    },
  });
  return result.kind === 'ran' ? result : { kind: 'repeat', stored: asHandedOff(result.stored) };
}

/**
 * What is kept under the key, as the actions use it. A replica from before StoredHandoff kept
 * HandedOff (both answers), and one from before HandedOff a handoff's bare answer; during a rolling
 * upgrade such values are still read, for at most idempotencyTtlMs.
 */
export function asHandedOff(kept: Stored): HandedOff {
  if ('queued' in kept) return { handoffId: kept.handoffId, handoff: kept.handoff, handToQueue: queuedFrom(kept.handoff, kept.queued) };
  if ('handToQueue' in kept) return kept;
  const { handoffId, mode, queueId, queueName, priority, waitMessage, transferred, message } = kept;
  // Only a handoff that wrote was kept, so its status is one that step 3 gives.
  const status = kept.status as HandToQueueOutput['status'];
  const handToQueue: HandToQueueOutput = {
    ...EMPTY_CONTEXT_OUTPUTS,
    status,
    mode,
    queueId,
    queueName,
    priority,
    // A value kept before routingRule existed (a rolling upgrade) has none.
    routingRule: (kept as Partial<HandoffOutput>).routingRule ?? '',
    waitMessage,
    transferred,
    attributesWritten: 0,
    // A value stored before writeContext existed: the bridge wrote the context then.
    writeContext: kept.writeContext ?? 'bridge',
    message,
  };
  return { handoffId, handoff: kept, handToQueue };
}
