import type { Models } from 'purecloud-platform-client-v2';
import type { ConversationRecord, MessageRecord, ParticipantRecord } from '../state/records.js';
import { compact, iso } from './json.js';
import { messageStatus } from './message-details.js';

/**
 * MessageData as the bulk and send endpoints return it. SDK 259 documents `textBody` (deprecated,
 * dropped when `useNormalizedMessage=true`); SDK 262's model no longer declares it, so it is
 * emitted beside the typed model. Clients should read `normalizedMessage.text`.
 */
export type MessageDataWithLegacy = Models.MessageData & { textBody?: string };

export function toMessageData(
  c: ConversationRecord,
  m: MessageRecord,
  opts: { useNormalizedMessage: boolean },
): MessageDataWithLegacy {
  const inbound = m.from === 'customer';
  const customer = c.participants.find((p) => p.purpose === 'customer') as ParticipantRecord;
  const sender = c.participants.find((p) => p.id === m.participantId);
  const time = iso(m.at);
  const normalized: Models.ConversationNormalizedMessage = {
    id: m.id,
    channel: {
      platform: 'Genesys',
      type: 'Private',
      messageId: m.id,
      time,
      ...(inbound ? { from: { id: customer.address, idType: 'Opaque' } } : { to: { id: customer.address, idType: 'Opaque' } }),
    },
    type: m.kind === 'text' ? 'Text' : m.kind === 'receipt' ? 'Receipt' : 'Event',
    direction: inbound ? 'Inbound' : 'Outbound',
  };
  if (m.kind === 'text') {
    normalized.text = m.text;
    normalized.content = [];
  } else if (m.kind === 'receipt') {
    normalized.status = 'Delivered';
    normalized.isFinalReceipt = true;
  } else {
    normalized.events = [{ eventType: 'Typing', typing: { type: 'On', duration: 5000 } }];
  }
  // originatingEntity tells a bot's outbound message from a person's (ConversationNormalizedMessage).
  if (!inbound) normalized.originatingEntity = m.from === 'bot' ? 'Bot' : 'Human';

  const data: MessageDataWithLegacy = compact({
    id: m.id,
    conversationId: c.id,
    timestamp: time,
    direction: inbound ? 'inbound' : 'outbound',
    messengerType: 'webmessaging',
    status: messageStatus(m),
    fromAddress: inbound ? customer.address : sender?.address,
    toAddress: inbound ? c.participants.find((p) => p.purpose !== 'customer')?.address : customer.address,
    normalizedMessage: normalized,
    selfUri: `/api/v2/conversations/messages/${c.id}/messages/${m.id}`,
  });
  // The User model requires `version`; a message's createdBy is a reference (id, selfUri) only.
  if (m.userId !== undefined) data.createdBy = { id: m.userId, selfUri: `/api/v2/users/${m.userId}` } as Models.User;
  if (!opts.useNormalizedMessage) data.textBody = m.text;
  return data;
}
