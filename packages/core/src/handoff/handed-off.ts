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
 * Claims the conversation's current session (run-once.ts), once the conversation was read (its
 * session is the key) and before anything is written; a repeat gets what the run that wrote kept.
 */
export async function claimSession(
  rt: Runtime,
  conversationId: string,
  conversation: Models.MessageConversation,
  deadline: number,
): Promise<ClaimResult<HandedOff>> {
  const result = await claimOnce<HandedOff | HandoffOutput>({
    store: rt.idempotency,
    key: sessionKey(conversationId, conversation),
    ttlMs: rt.config.idempotencyTtlMs,
    deadline,
    now: rt.now,
  });
  return result.kind === 'claimed'
    ? (result as ClaimResult<HandedOff>)
    : { kind: 'repeat', stored: asHandedOff(result.stored) };
}

/** Runs `work` at most once per session of the conversation read (claimSession); a repeat gets what the run that wrote kept. */
export async function oncePerSession<V>(
  rt: Runtime,
  conversationId: string,
  conversation: Models.MessageConversation,
  deadline: number,
  work: (claim: HeldClaim) => Promise<RunOutcome<V, HandedOff>>,
): Promise<RunOnceResult<V, HandedOff>> {
  const result = await runOnce<V, HandedOff | HandoffOutput>({
    store: rt.idempotency,
    key: sessionKey(conversationId, conversation),
    ttlMs: rt.config.idempotencyTtlMs,
    deadline,
    now: rt.now,
    work,
  });
  return result.kind === 'ran' ? result : { kind: 'repeat', stored: asHandedOff(result.stored) };
}

/**
 * What is kept under the key. A replica from before HandedOff kept a handoff's bare answer there;
 * during a rolling upgrade such a value is still read, for at most idempotencyTtlMs.
 */
function asHandedOff(kept: HandedOff | HandoffOutput): HandedOff {
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
