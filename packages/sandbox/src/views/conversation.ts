import type { Models } from 'purecloud-platform-client-v2';
import type { OrgDirectory } from '../state/org.js';
import type { ConversationRecord, ParticipantRecord } from '../state/records.js';
import { compact, iso } from './json.js';
import { listedDetails } from './message-details.js';
import { divisionRef } from './message-conversation.js';

/**
 * `GET /api/v2/conversations/{conversationId}` → the generic Conversation model. Each participant
 * has one message communication in `messages[]`; its `id` is the communicationId that
 * `POST .../communications/{communicationId}/messages` takes.
 */
export function toConversation(c: ConversationRecord, dir: OrgDirectory): Models.Conversation {
  const live = c.participants.some((p) => p.purpose !== 'customer' && p.state === 'connected');
  return {
    id: c.id,
    startTime: iso(c.startTime),
    participants: c.participants.map((p) => {
      const queue = p.queueId === undefined ? undefined : dir.queues.find((q) => q.id === p.queueId);
      const communication: Models.Message = compact({
        id: p.communicationId,
        state: p.state,
        initialState: p.purpose === 'customer' ? 'connected' : 'alerting',
        direction: 'inbound',
        held: false,
        provider: 'PureCloud Messaging',
        type: 'webmessaging',
        authenticated: false,
        connectedTime: iso(p.connectedTime),
        disconnectedTime: iso(p.endTime),
        disconnectType: p.disconnectType,
        messages: listedDetails(c, p),
      });
      return compact<Models.Participant>({
        id: p.id,
        startTime: iso(p.startTime),
        endTime: iso(p.endTime),
        connectedTime: iso(p.connectedTime),
        name: p.name,
        purpose: p.purpose,
        participantType: p.purpose === 'customer' ? 'External' : 'Internal',
        queueId: p.queueId,
        queueName: queue?.name,
        userId: p.userId,
        address: p.address,
        // How the conversation is routed (docs/genesys-facts.md#conversation-routing-data): on the
        // `acd` participant, its queue and the priority it waits (or waited) with.
        conversationRoutingData:
          p.purpose === 'acd' && p.queueId !== undefined ? routingData(c, p) : undefined,
        wrapupRequired: p.purpose === 'agent',
        attributes: { ...p.attributes },
        messages: [communication],
      });
    }),
    state: live ? 'connected' : 'disconnected',
    divisions: [divisionRef(dir)],
    recentTransfers: [],
    selfUri: `/api/v2/conversations/${c.id}`,
  };
}

function routingData(c: ConversationRecord, acd: ParticipantRecord): Models.ConversationRoutingData {
  const queue = { id: acd.queueId, selfUri: `/api/v2/routing/queues/${acd.queueId ?? ''}` };
  // Skills and language are the live routing state: shown while the participant waits.
  if (acd.state !== 'connected') return compact({ queue, priority: acd.routingPriority });
  return compact({
    queue,
    priority: c.priority,
    skills: c.skillIds.map((id) => ({ id, selfUri: `/api/v2/routing/skills/${id}` })),
    language:
      c.languageId === undefined
        ? undefined
        : { id: c.languageId, selfUri: `/api/v2/routing/languages/${c.languageId}` },
  });
}
