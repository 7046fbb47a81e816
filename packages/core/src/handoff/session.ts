import type { Models } from 'purecloud-platform-client-v2';
import { FLOW_PURPOSES, findFlowParticipant, isActiveParticipant } from './participants.js';

/**
 * The bot session of a conversation: what a handoff hands off. Within the messaging threading
 * timeline a customer who writes again continues the **same conversation id**, the earlier
 * session's flow, queue and agent participants left in it disconnected
 * (docs/genesys-facts.md#messaging-threading-timeline). So a handoff is keyed to the session (its
 * flow participant), not to the conversation, and its context starts where that session starts.
 */
export interface FlowSession {
  /** The session's flow participant: the connected one, else the latest (api mode's transfer disconnected it). */
  flowParticipantId: string;
  /**
   * Epoch ms the session's messages start from: when the earlier session ended (its last non-customer
   * participant's `endTime`, at or before this flow started). Not the flow's own `connectedTime`: the
   * customer's message that brought them back arrives before the flow that answers it starts.
   * Undefined for a conversation's first session (every message is its own).
   */
  since: number | undefined;
}

export function currentSession(conversation: Models.MessageConversation): FlowSession | undefined {
  const participants = conversation.participants ?? [];
  const flow = findFlowParticipant(conversation) ?? latest(participants.filter(isFlow));
  if (!flow?.id) return undefined;
  const flowStart = timeOf(flow.connectedTime ?? flow.startTime);
  let since: number | undefined;
  if (flowStart !== undefined) {
    for (const p of participants) {
      if (p === flow || p.purpose === 'customer' || isActiveParticipant(p)) continue;
      const ended = timeOf(p.endTime);
      if (ended !== undefined && ended <= flowStart && (since === undefined || ended > since)) since = ended;
    }
  }
  return { flowParticipantId: flow.id, since };
}

/**
 * The conversation as the session sees it: each participant's listed messages from `since` on (a
 * filter on the listing, before any body is fetched). A message with no listed time is kept: it
 * cannot be placed, and dropping the customer's words is worse than showing an old line.
 */
export function sessionMessages(
  conversation: Models.MessageConversation,
  since: number | undefined,
): Models.MessageConversation {
  if (since === undefined) return conversation;
  return {
    ...conversation,
    participants: (conversation.participants ?? []).map((p) => ({
      ...p,
      messages: (p.messages ?? []).filter((m) => {
        const at = timeOf(m.messageTime);
        return at === undefined || at >= since;
      }),
    })),
  };
}

const isFlow = (p: Models.MessageMediaParticipant) => p.purpose !== undefined && FLOW_PURPOSES.includes(p.purpose);

function latest(participants: Models.MessageMediaParticipant[]): Models.MessageMediaParticipant | undefined {
  let best: Models.MessageMediaParticipant | undefined;
  for (const p of participants) {
    const at = timeOf(p.connectedTime ?? p.startTime) ?? Number.NEGATIVE_INFINITY;
    const bestAt = best ? (timeOf(best.connectedTime ?? best.startTime) ?? Number.NEGATIVE_INFINITY) : undefined;
    if (bestAt === undefined || at >= bestAt) best = p;
  }
  return best;
}

function timeOf(iso: string | undefined): number | undefined {
  const at = Date.parse(iso ?? '');
  return Number.isNaN(at) ? undefined : at;
}
