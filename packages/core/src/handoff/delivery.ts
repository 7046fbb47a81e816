import type { Models } from 'purecloud-platform-client-v2';
import { BatonError, DeadlineExceededError, GenesysApiError, RateBudgetExhaustedError, ValidationError, describeError } from '../errors.js';
import type { CallOptions } from '../genesys/api.js';
import {
  describeRouting,
  findCommunicationId,
  findCustomer,
  findFlowParticipant,
  findRoutedParticipants,
} from './participants.js';
import type { QueueRef } from './queue-cache.js';
import type { Runtime } from './runtime.js';

/**
 * The writes of a handoff, in the order that keeps it recoverable:
 * 1. agent context as participant data on the customer (a PATCH: repeating it is harmless; none
 *    with writeContext 'flow', where the flow's own Set Participant Data writes it);
 * 2. api mode only: the "please wait" message, sent as the flow participant while it still holds
 *    the conversation (after the transfer it is disconnected and can no longer send);
 * 3. api mode only: `replace/queue` on the flow participant (never retried blindly), then the
 *    conversation re-read until a queue (or agent) participant for it shows: Genesys answers 202
 *    and applies the transfer asynchronously, so a 2xx alone does not say it happened
 *    (docs/genesys-facts.md#transfer-to-a-queue);
 * 4. api mode only, once the queue participant shows: the priority, which
 *    `PATCH /api/v2/routing/conversations/{id}` accepts only once the conversation is in queue
 *    (docs/genesys-facts.md#in-queue-conversation-update).
 * Nothing fails silently: a failure before the transfer throws `handoff_incomplete` saying what was
 * done; after the transfer it is reported in `problems` (the transfer must not be undone by a retry).
 */
export interface DeliveryPlan {
  conversationId: string;
  customerId: string;
  attributes: Record<string, string>;
  mode: 'flow' | 'api';
  queue: QueueRef;
  priority: number;
  /** api mode: the connected flow participant to replace. */
  flowParticipantId?: string | undefined;
  /** api mode: the flow participant's message communication, to send the wait message from. */
  communicationId?: string | undefined;
  waitMessage: string;
}

export interface DeliveryReport {
  attributesWritten: number;
  waitMessageSent: boolean;
  /** Genesys accepted `replace/queue` (2xx). */
  transferRequested: boolean;
  /** The conversation was seen in the target queue (or with an agent) after the request. */
  transferred: boolean;
  prioritySet: boolean;
  /** What failed after the transfer (or was skipped), in words. */
  problems: string[];
}

export async function deliver(
  rt: Runtime,
  plan: DeliveryPlan,
  options: CallOptions,
): Promise<DeliveryReport> {
  const { genesys } = rt;
  const cid = plan.conversationId;
  const report: DeliveryReport = {
    attributesWritten: 0,
    waitMessageSent: false,
    transferRequested: false,
    transferred: false,
    prioritySet: false,
    problems: [],
  };

  // A failure here leaves nothing written that matters (a partial PATCH is repeated by the retry).
  // No attributes (writeContext 'flow': the flow writes them): no call.
  if (Object.keys(plan.attributes).length > 0) {
    await genesys.patchParticipantAttributes(cid, plan.customerId, plan.attributes, options);
    report.attributesWritten = Object.keys(plan.attributes).length;
  }
  if (plan.mode === 'flow') return report;

  if (!plan.flowParticipantId) {
    // Checked by the callers before anything is written; kept as a guard.
    throw incomplete(report, new BatonError('internal_error', 'no flow participant to transfer'));
  }

  if (plan.waitMessage) {
    if (plan.communicationId) {
      try {
        await genesys.sendMessage(cid, plan.communicationId, { textBody: plan.waitMessage }, options);
        report.waitMessageSent = true;
      } catch (error) {
        // The customer missing a "please wait" must not keep them from a human: go on to the transfer.
        report.problems.push(`the wait message was not sent (${describeError(error)})`);
      }
    } else {
      report.problems.push(
        'the wait message was not sent (the flow participant has no message communication)',
      );
    }
  }

  let confirmation: Awaited<ReturnType<typeof confirmTransfer>> | undefined;
  try {
    await genesys.replaceParticipantWithQueue(
      cid,
      plan.flowParticipantId,
      { queueId: plan.queue.id },
      options,
    );
  } catch (error) {
    if (transferOutcomeOf(error) !== 'unknown') throw incomplete(report, error);
    // The request left and no answer came back: Genesys may have accepted it and be applying it
    // (docs/genesys-facts.md#transfer-to-a-queue). Wait (bounded) for the queue participant before
    // deciding: failing now would let a re-run, which sees the flow still holding the conversation,
    // send a second transfer while this one is being applied.
    confirmation = await confirmTransfer(rt, plan, options);
    if (!confirmation.confirmed) throw incomplete(report, error);
    report.problems.push(
      `Genesys's answer to the transfer was lost (${describeError(error)}), but the conversation shows it in queue '${plan.queue.name}'`,
    );
  }
  report.transferRequested = true;
  confirmation ??= await confirmTransfer(rt, plan, options);
  if (!confirmation.confirmed) {
    report.problems.push(
      `the transfer was requested (Genesys accepted it) but not confirmed: ${confirmation.reason}; check the conversation before handing it off again`,
      `priority ${plan.priority} not set (Genesys takes it only once the conversation is in queue)`,
    );
    return report;
  }
  report.transferred = true;

  try {
    await genesys.patchRoutingConversation(cid, { priority: plan.priority }, options);
    report.prioritySet = true;
  } catch (error) {
    report.problems.push(`setting priority ${plan.priority} failed (${describeError(error)})`);
  }
  return report;
}

/**
 * Waits before each confirmation read, ms. Not at once: Genesys applies the transfer after its 202
 * (docs/genesys-facts.md#transfer-to-a-queue), so a read at once would nearly always still see the
 * flow, a call spent for nothing (the sandbox applies it 200 ms later by default). Then two more;
 * the reads stop early at the deadline. How long a real org takes is UNCONFIRMED.
 */
export const CONFIRM_WAITS_MS: readonly number[] = [250, 500, 1000];
/** How long after a late answer (past the deadline) the transfer is still read back; below CLAIM_MARGIN_MS. */
const LATE_CONFIRM_MS = 3000;

/**
 * Re-reads the conversation after `replace/queue` until a participant for the target queue (or an
 * agent it was already routed to) is active. Never throws: the transfer was requested, and the
 * caller must report that rather than fail (a retry would transfer again).
 */
async function confirmTransfer(
  rt: Runtime,
  plan: DeliveryPlan,
  options: CallOptions,
): Promise<{ confirmed: true } | { confirmed: false; reason: string }> {
  let reason = 'the deadline left no time to read the conversation';
  let reads = 0;
  // A transfer that answered after the deadline (a sent write may: writeSettleMs) is still read
  // back for a moment: the caller has had its 504, but its retry gets the stored outcome, which
  // should be the true one. The claim covers this: it outlives the write's answer by CLAIM_MARGIN_MS.
  const late = options.deadline !== undefined && rt.now() >= options.deadline;
  const deadline = late ? rt.now() + LATE_CONFIRM_MS : options.deadline;
  const readOptions = deadline === undefined ? options : { ...options, deadline };
  for (const wait of CONFIRM_WAITS_MS) {
    if (deadline !== undefined && rt.now() + wait >= deadline) break;
    try {
      if (wait > 0) await rt.sleep(wait, options.signal);
      const conversation = await rt.genesys.getMessageConversation(plan.conversationId, readOptions);
      reads += 1;
      if (isInQueue(conversation, plan.queue.id)) return { confirmed: true };
      reason = `after ${reads} read${reads === 1 ? '' : 's'} the conversation shows ${describeRouting(conversation) || 'no queue or agent'}${
        findFlowParticipant(conversation) ? ' and is still held by the flow' : ''
      }, not queue '${plan.queue.name}'`;
    } catch (error) {
      reason = `reading the conversation back failed (${describeError(error)})`;
      // A failed read (a 500, a bad body) may be followed by a good one; no time or budget left may not.
      if (error instanceof DeadlineExceededError || error instanceof RateBudgetExhaustedError || options.signal?.aborted) break;
    }
  }
  return { confirmed: false, reason };
}

/** In the target queue (an active acd participant for it), or already with an agent. */
function isInQueue(conversation: Models.MessageConversation, queueId: string): boolean {
  return findRoutedParticipants(conversation).some((p) => p.purpose === 'agent' || (p.purpose === 'acd' && p.queue?.id === queueId));
}

/**
 * What a failed `replace/queue` says of the transfer. A 4xx is a refusal: Genesys did not transfer.
 * The call may have stopped itself before sending (e.g. its idempotency claim was lost). A 5xx, a
 * reset or a timeout after the request was sent leaves the outcome unknown: the transfer may still
 * be applied (the run's claim is then left to lapse rather than given back, run-once.ts).
 */
export function transferOutcomeOf(cause: unknown): 'refused' | 'not_sent' | 'unknown' {
  if (cause instanceof BatonError && cause.details['notSent'] === true) return 'not_sent';
  const refused =
    cause instanceof GenesysApiError && cause.facts.upstreamStatus >= 400 && cause.facts.upstreamStatus < 500;
  return refused ? 'refused' : 'unknown';
}

/** The transfer failed after the context was written: say exactly what was and was not done. */
function incomplete(report: DeliveryReport, cause: unknown): BatonError {
  const done = [
    report.attributesWritten > 0
      ? `agent context written (${report.attributesWritten} participant-data keys)`
      : "agent context left to the flow's Set Participant Data",
  ];
  if (report.waitMessageSent) done.push('wait message sent');
  const notDone = ['transfer to the queue', 'priority'];
  if (!report.waitMessageSent) notDone.unshift('wait message');
  const outcome = transferOutcomeOf(cause);
  const refused = outcome === 'refused';
  const notSent = outcome === 'not_sent';
  const state = notSent
    ? 'The transfer was never sent, so the conversation is still with the flow.'
    : refused
    ? 'Genesys refused the transfer, so the conversation is still with the flow; running the handoff again is safe.'
    : 'Whether Genesys applied the transfer is unknown; running the handoff again is safe: it re-reads the conversation first and reports already_handed_off if the transfer happened.';
  return new BatonError(
    'handoff_incomplete',
    `Handoff incomplete: ${done.join(', ')}; NOT done: ${notDone.join(', ')} (the transfer failed: ${describeError(cause)}). ${state}`,
    {
      // Its HTTP status (a 5xx: the cause's when that is one) is the bridge's to decide (bridge errors.ts).
      cause,
      details: {
        attributesWritten: report.attributesWritten > 0,
        attributeCount: report.attributesWritten,
        waitMessageSent: report.waitMessageSent,
        transferred: false,
        prioritySet: false,
        failedStep: 'transfer',
        transferOutcome: outcome,
        ...(cause instanceof GenesysApiError
          ? { contextId: cause.facts.contextId, upstreamStatus: cause.facts.upstreamStatus }
          : {}),
      },
    },
  );
}

/** The target queue: from the argument, else the configured default; missing is the caller's error. */
export function resolveQueueId(rt: Runtime, queueId: string | undefined): string {
  const id = queueId ?? rt.config.defaultQueueId;
  if (!id) {
    throw new ValidationError([
      {
        field: 'queueId',
        problem: 'no target queue: pass queueId or configure a default queue (GENESYS_QUEUE_ID)',
      },
    ]);
  }
  return id;
}

/** The queue's id and name, through the cache; an unknown queue fails here, before anything is written. */
export async function lookUpQueue(rt: Runtime, queueId: string, options: CallOptions): Promise<QueueRef> {
  try {
    return await rt.queues.get(queueId, () => rt.genesys.getQueue(queueId, options));
  } catch (error) {
    if (error instanceof GenesysApiError && error.code === 'genesys_not_found') {
      throw new GenesysApiError(
        'genesys_not_found',
        `Queue ${queueId} was not found (or the OAuth client's role cannot see its division): nothing was written. ` +
          'Check the queueId input or GENESYS_QUEUE_ID.',
        error.facts,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The plan for one conversation, from its participants: the customer carries the context, the
 * connected flow participant is what api mode replaces. Throws before anything is written when the
 * conversation cannot take the handoff.
 */
export function planDelivery(args: {
  conversationId: string;
  conversation: Models.MessageConversation;
  /** The generic conversation (`GET /api/v2/conversations/{id}`), for the flow's communication id (api mode). */
  generic?: Models.Conversation | undefined;
  mode: 'flow' | 'api';
  queue: QueueRef;
  priority: number;
  waitMessage: string;
  attributes: Record<string, string>;
}): DeliveryPlan {
  const customer = findCustomer(args.conversation);
  if (!customer?.id) {
    throw new BatonError(
      'genesys_conflict',
      `Conversation ${args.conversationId} has no customer participant to give the agent's context to: nothing was written.`,
    );
  }
  const flow = findFlowParticipant(args.conversation);
  if (args.mode === 'api' && !flow?.id) {
    throw new BatonError(
      'genesys_conflict',
      `Conversation ${args.conversationId} has no connected flow participant to transfer (it may have ended): nothing was written.`,
    );
  }
  return {
    conversationId: args.conversationId,
    customerId: customer.id,
    attributes: args.attributes,
    mode: args.mode,
    queue: args.queue,
    priority: args.priority,
    flowParticipantId: flow?.id,
    communicationId: args.generic && flow?.id ? findCommunicationId(args.generic, flow.id) : undefined,
    waitMessage: args.waitMessage,
  };
}

/** What a delivery did, in words, for the output's `message`. */
export function describeDelivery(plan: DeliveryPlan, report: DeliveryReport): string {
  const context =
    report.attributesWritten > 0
      ? `Agent context written (${report.attributesWritten} participant-data keys)`
      : "Agent context returned for the flow's Set Participant Data (context* outputs), nothing written";
  if (plan.mode === 'flow') {
    return `${context}. Transfer to ACD: queue '${plan.queue.name}', priority ${plan.priority}.`;
  }
  const wait = report.waitMessageSent ? ', wait message sent' : '';
  const done = report.transferred
    ? `${context}${wait}, transferred to queue '${plan.queue.name}'${report.prioritySet ? ` at priority ${plan.priority}` : ''}.`
    : `${context}${wait}, transfer to queue '${plan.queue.name}' requested but NOT confirmed.`;
  return report.problems.length > 0 ? `${done} NOT done: ${report.problems.join('; ')}.` : done;
}
