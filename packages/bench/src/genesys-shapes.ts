/**
 * The few fields of Genesys's answers the baseline and the floor read (the official SDK's
 * MessageConversation participants and MessageData), kept minimal on purpose: both targets parse
 * only what the handoff needs.
 */
export interface Participant {
  id?: string;
  purpose?: string;
  messages?: { messageId?: string }[];
}

export interface MessageData {
  timestamp?: string;
  direction?: string;
  normalizedMessage?: { type?: string; text?: string; originatingEntity?: string };
}
