import type { Models } from 'purecloud-platform-client-v2';
import { messageIndex, type ConversationRecord, type MessageRecord, type ParticipantRecord } from '../state/records.js';
import { iso } from './json.js';

export function messageStatus(m: MessageRecord): string {
  return m.from === 'customer' ? 'received' : 'delivery-success';
}

/** `participants[].messages[]` entries: ids, status and time only, no text (docs/genesys-facts.md#message-conversation). */
export function messageDetails(c: ConversationRecord, m: MessageRecord): Models.MessageDetails {
  return {
    messageId: m.id,
    messageURI: `/api/v2/conversations/messages/${c.id}/messages/${m.id}`,
    messageStatus: messageStatus(m),
    messageSegmentCount: 1,
    messageTime: iso(m.at),
    media: [],
    stickers: [],
  };
}

/** The message ids a participant lists, in its listing order (not necessarily chronological). */
export function listedDetails(c: ConversationRecord, p: ParticipantRecord): Models.MessageDetails[] {
  const out: Models.MessageDetails[] = [];
  const index = messageIndex(c);
  for (const id of p.messageIds) {
    const m = index.get(id);
    if (m) out.push(messageDetails(c, m));
  }
  return out;
}
