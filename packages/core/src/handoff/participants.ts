import type { Models } from 'purecloud-platform-client-v2';

/**
 * Reading who is in a web-messaging conversation, from `GET /api/v2/conversations/messages/{id}`.
 * One fetch of that conversation answers every question here.
 */

type Participant = Models.MessageMediaParticipant;

/**
 * Purposes of the Architect flow participant that holds a bot-run conversation. Which one a real
 * org shows for a web-messaging bot is UNCONFIRMED (docs/genesys-facts.md#bot-held-participant lists both `workflow` and
 * `botflow`); `workflow` is what the inbound message flow is expected to show.
 */
export const FLOW_PURPOSES: readonly string[] = ['workflow', 'botflow'];
/** Participants that mean the conversation is already routed to humans. */
export const ROUTED_PURPOSES: readonly string[] = ['acd', 'agent'];

/** Ended participants stay listed with state `disconnected` / `terminated` and an `endTime`. */
export function isActiveParticipant(participant: Participant): boolean {
  const state = participant.state?.toLowerCase();
  return state !== 'disconnected' && state !== 'terminated' && !participant.endTime;
}

/** The customer: where the bot flow's participant data lives and where agent context goes (it travels through transfers). */
export function findCustomer(conversation: Models.MessageConversation): Participant | undefined {
  const customers = (conversation.participants ?? []).filter((p) => p.purpose === 'customer');
  return customers.find(isActiveParticipant) ?? customers[0];
}

/** The connected flow participant holding the conversation: the one `replace/queue` replaces. */
export function findFlowParticipant(conversation: Models.MessageConversation): Participant | undefined {
  const flows = (conversation.participants ?? []).filter(
    (p) => p.purpose !== undefined && FLOW_PURPOSES.includes(p.purpose) && isActiveParticipant(p),
  );
  // `workflow` first: with both present, the bot runs inside the inbound message flow.
  return flows.find((p) => p.purpose === FLOW_PURPOSES[0]) ?? flows[0];
}

/** Active queue (acd) and agent participants. */
export function findRoutedParticipants(conversation: Models.MessageConversation): Participant[] {
  return (conversation.participants ?? []).filter(
    (p) => p.purpose !== undefined && ROUTED_PURPOSES.includes(p.purpose) && isActiveParticipant(p),
  );
}

/**
 * Already with humans: a queue or agent participant is active and no flow holds the conversation
 * any more (after a transfer to ACD the flow participant is disconnected). Handing off again would
 * write over the agent's context or transfer twice.
 */
export function isAlreadyHandedOff(conversation: Models.MessageConversation): boolean {
  return findRoutedParticipants(conversation).length > 0 && findFlowParticipant(conversation) === undefined;
}

/** Words for a message, e.g. "queue 3f1c… (acd)". */
export function describeRouting(conversation: Models.MessageConversation): string {
  const routed = findRoutedParticipants(conversation);
  return routed
    .map((p) =>
      p.purpose === 'acd' ? `queue ${p.queue?.id ?? p.name ?? '?'}` : `agent ${p.user?.id ?? p.name ?? '?'}`,
    )
    .join(', ');
}

/**
 * The message communication id of a participant, from the generic `GET /api/v2/conversations/{id}`
 * (the messaging model does not carry it): needed to send the customer a message as that participant.
 */
export function findCommunicationId(
  conversation: Models.Conversation,
  participantId: string,
): string | undefined {
  const participant = conversation.participants.find((p) => p.id === participantId);
  const messages = participant?.messages ?? [];
  const active = messages.find((m) => {
    const state = m.state?.toLowerCase();
    return state !== 'disconnected' && state !== 'terminated';
  });
  return (active ?? messages[0])?.id;
}
