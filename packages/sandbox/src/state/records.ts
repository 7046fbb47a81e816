/**
 * The sandbox org's internal state. Routes render these records into the SDK models on each
 * request, so state changes (transfers, attributes, sent messages) show up everywhere at once.
 * Times are epoch milliseconds.
 */

export type MessageRole = 'customer' | 'bot' | 'agent';

export interface MessageRecord {
  readonly id: string;
  readonly from: MessageRole;
  readonly text: string;
  readonly at: number;
  /** `receipt` / `event` entries carry no text (delivery receipts, typing events). */
  readonly kind: 'text' | 'receipt' | 'event';
  /** The participant that sent it. */
  readonly participantId: string;
  /** The agent user for agent messages. */
  readonly userId?: string;
}

/**
 * `workflow` is the Architect flow holding the conversation while the bot runs. The exact purpose a
 * bot-held web-messaging participant shows in a real org is UNCONFIRMED (docs/genesys-facts.md#bot-held-participant lists both
 * `workflow` and `botflow` among the purposes).
 */
export type ParticipantPurpose = 'customer' | 'workflow' | 'acd' | 'agent';

export interface ParticipantRecord {
  readonly id: string;
  readonly purpose: ParticipantPurpose;
  readonly name: string;
  state: 'connected' | 'disconnected';
  readonly startTime: number;
  connectedTime?: number;
  endTime?: number;
  disconnectType?: 'transfer' | 'client' | 'endpoint';
  readonly queueId?: string;
  readonly userId?: string;
  /**
   * An `acd` participant that left its queue (answered, or the conversation ended): the routing
   * priority it waited with. While it waits, the conversation's `priority` is the live value.
   */
  routingPriority?: number;
  /** Participant data (Set Participant Data / PATCH attributes): string → string. */
  attributes: Record<string, string>;
  /** The id of this participant's message communication (`participants[].messages[].id` in `GET /api/v2/conversations/{id}`). */
  readonly communicationId: string;
  /** Message ids as `participants[].messages` lists them (not necessarily in timestamp order). */
  messageIds: string[];
  /** Guest / deployment address (web messaging). */
  readonly address: string;
}

export interface ReportingTurnRecord {
  readonly userInput: string;
  readonly botPrompts: string[];
  readonly actionId: string;
  readonly actionName: string;
  readonly actionNumber: number;
  readonly actionType: string;
  readonly intent?: { id: string; name: string; confidence: number; slots?: readonly { name: string; value: string }[] };
  readonly askActionResult: string;
  readonly dateCreated: number;
  readonly dateCompleted: number;
  readonly sessionEnd?: { type: string; reason: string };
}

export interface BotSessionRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly flowId: string;
  readonly dateCreated: number;
  readonly dateCompleted: number;
  readonly botResult: string;
  readonly botResultCategory: string;
  readonly language: string;
  readonly turns: ReportingTurnRecord[];
}

export interface ConversationRecord {
  readonly id: string;
  readonly startTime: number;
  readonly divisionId: string;
  readonly participants: ParticipantRecord[];
  /** Every message, chronological. */
  readonly messages: MessageRecord[];
  /** Index by id, built on first use (`messageIndex`) so that seeding 10,000 conversations stays cheap. */
  messagesById?: Map<string, MessageRecord>;
  /** Routing priority once queued (Genesys default 0); undefined while never queued. */
  priority: number | undefined;
  skillIds: string[];
  languageId: string | undefined;
  /** The latest bot session's id (set when a live bot session ends). */
  botSessionId: string | undefined;
}

export interface QueueRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly dateCreated: number;
  readonly memberCount: number;
  /** The queue's division; the org's Home division when absent (every object starts there). */
  division?: { readonly id: string; readonly name: string };
}

export interface TransferRecord {
  readonly conversationId: string;
  /** The participant that was replaced (the flow participant). */
  readonly participantId: string;
  readonly queueId: string;
  /** ISO-8601. */
  readonly at: string;
  readonly clientId: string;
}

export interface SentMessageRecord {
  readonly conversationId: string;
  readonly communicationId: string;
  readonly participantId: string;
  readonly messageId: string;
  readonly text: string;
  /** ISO-8601. */
  readonly at: string;
  readonly clientId: string;
}

/** The conversation's messages by id (built once, then kept up to date by the org). */
export function messageIndex(c: ConversationRecord): Map<string, MessageRecord> {
  c.messagesById ??= new Map(c.messages.map((m) => [m.id, m]));
  return c.messagesById;
}
