import type { QueueValue } from './expression.js';

/** How a digital bot flow ended, as Call Digital Bot Flow hands it to the message flow. */
export interface BotExit {
  /** Genesys's exit reason, e.g. `AgentRequestedByUser`, `RecognitionFailure`. */
  readonly exitReason: string;
  /** Absent when the bot detected none (the flow sees NOT_SET). */
  readonly intent?: string;
  readonly slots?: Readonly<Record<string, string>>;
  /** The bot's own confidence; Genesys gives the message flow none (kept for tests and traces). */
  readonly confidence?: number;
}

/** One bot turn: what the bot answers, and whether it exits. */
export interface BotTurn {
  readonly reply?: string;
  readonly exit?: BotExit;
}

/** A running bot session for one conversation. */
export interface BotSession {
  turn(text: string): BotTurn | Promise<BotTurn>;
}

/**
 * What an inbound message flow does to the outside world. The sandbox adapter
 * (`createSandboxFlowHost`) implements it over the Guest API and the org; tests can give their own.
 */
export interface FlowHost {
  /** Send Response / a bot reply: an Outbound message the guest sees (originatingEntity Bot). */
  sendResponse(conversationId: string, text: string): void | Promise<void>;
  /** Set Participant Data on the customer participant. */
  setParticipantData(conversationId: string, attributes: Readonly<Record<string, string>>): void | Promise<void>;
  /** Transfer to ACD: the conversation waits in the queue at this priority. */
  transferToAcd(conversationId: string, queueId: string, priority: number): void | Promise<void>;
  /** Disconnect: the conversation ends. */
  disconnect(conversationId: string): void | Promise<void>;
  /** Call Digital Bot Flow: starts the named bot flow for this conversation. */
  startBot(conversationId: string, botFlowName: string): BotSession | Promise<BotSession>;
  /** FindQueueById: the queue, or null (NOT_SET) when the org has none with that id. */
  findQueueById(id: string): QueueValue | null;
}
