import type { Models } from 'purecloud-platform-client-v2';
import type { OrgDirectory } from '../state/org.js';
import type { ConversationRecord, ParticipantRecord } from '../state/records.js';
import { compact, iso } from './json.js';
import { listedDetails } from './message-details.js';

export function divisionRef(dir: OrgDirectory): Models.ConversationDivisionMembership {
  return {
    division: { id: dir.division.id, name: dir.division.name, selfUri: `/api/v2/authorization/divisions/${dir.division.id}` },
    entities: [],
  };
}

function participant(c: ConversationRecord, p: ParticipantRecord, dir: OrgDirectory): Models.MessageMediaParticipant {
  const out: Models.MessageMediaParticipant = compact({
    id: p.id,
    name: p.name,
    address: p.address,
    startTime: iso(p.startTime),
    connectedTime: iso(p.connectedTime),
    endTime: iso(p.endTime),
    purpose: p.purpose,
    state: p.state,
    direction: 'inbound',
    disconnectType: p.disconnectType,
    held: false,
    wrapupRequired: p.purpose === 'agent',
    attributes: { ...p.attributes },
    provider: 'PureCloud Messaging',
    type: 'webmessaging',
    authenticated: false,
    messages: listedDetails(c, p),
  });
  if (p.queueId !== undefined) {
    const q = dir.queues.find((x) => x.id === p.queueId);
    out.queue = compact({ id: p.queueId, name: q?.name, selfUri: `/api/v2/routing/queues/${p.queueId}` });
  }
  if (p.userId !== undefined) out.user = { id: p.userId, selfUri: `/api/v2/users/${p.userId}` };
  return out;
}

/** `GET /api/v2/conversations/messages/{conversationId}` → MessageConversation (ids and status, no text). */
export function toMessageConversation(c: ConversationRecord, dir: OrgDirectory): Models.MessageConversation {
  return {
    id: c.id,
    participants: c.participants.map((p) => participant(c, p, dir)),
    otherMediaUris: [],
    recentTransfers: [],
    divisions: [divisionRef(dir)],
    selfUri: `/api/v2/conversations/messages/${c.id}`,
  };
}
