import type { Models } from 'purecloud-platform-client-v2';
import type { UpstreamCall } from '../contracts/trace.js';

/**
 * Options every Platform API call takes. The deadline is absolute (epoch ms) so it can be passed
 * down through parallel calls without each one restarting the clock.
 */
export interface CallOptions {
  /** Absolute deadline, epoch ms. Calls (retries and pacing included) never run past it. */
  deadline?: number;
  signal?: AbortSignal;
  /** Receives one record per upstream call (after its retries), for the handoff trace. */
  onCall?: (call: UpstreamCall) => void;
  /**
   * Called before each attempt of a write that is never retried blindly (routes.ts, `idempotent:
   * false`), with the latest epoch ms its answer may still arrive (past the deadline: writeSettleMs).
   * The handoff extends its idempotency claim to then; a rejection stops the call before it is sent.
   */
  beforeWrite?: (settleBy: number) => Promise<void>;
  /** Counts every attempt (retries too: each costs the per-token budget); throws to stop the call before it is sent. */
  budget?: CallBudget;
}

/** A cap on the Platform API calls one request may make (see createCallBudget). */
export interface CallBudget {
  /** Takes one call from the budget, or throws RateBudgetExhaustedError when none is left. */
  spend(route: string): void;
}

/** The Genesys Cloud Platform API calls Baton makes, typed with the official SDK's models. */
export interface GenesysApi {
  /** GET /api/v2/conversations/messages/{conversationId} */
  getMessageConversation(conversationId: string, options?: CallOptions): Promise<Models.MessageConversation>;
  /** POST /api/v2/conversations/messages/{conversationId}/messages/bulk (chunks of 1,000 ids; normalized messages). */
  getMessagesBulk(conversationId: string, messageIds: string[], options?: CallOptions): Promise<Models.MessageData[]>;
  /** PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes */
  patchParticipantAttributes(
    conversationId: string,
    participantId: string,
    attributes: Record<string, string>,
    options?: CallOptions,
  ): Promise<Models.ParticipantAttributes>;
  /** POST /api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue (not idempotent: never retried blindly). */
  replaceParticipantWithQueue(
    conversationId: string,
    participantId: string,
    body: Models.TransferToQueueRequest,
    options?: CallOptions,
  ): Promise<void>;
  /** PATCH /api/v2/routing/conversations/{conversationId} (only for a conversation already in queue). */
  patchRoutingConversation(
    conversationId: string,
    body: Models.RoutingConversationAttributesRequest,
    options?: CallOptions,
  ): Promise<Models.RoutingConversationAttributesResponse>;
  /** GET /api/v2/routing/queues, every page. */
  listQueues(query?: { name?: string }, options?: CallOptions): Promise<Models.Queue[]>;
  /** GET /api/v2/routing/queues/{queueId} */
  getQueue(queueId: string, options?: CallOptions): Promise<Models.Queue>;
  /**
   * GET /api/v2/analytics/botflows/{botFlowId}/sessions, paging until `match` returns true, the pages
   * end, or `maxPages` pages were read. Genesys has no conversationId filter here, so the caller's
   * predicate stops the paging early; `interval` (ISO-8601 `start/end`, on the date a session
   * completed) and `maxPages` keep a listing that never ends from costing more than a few calls.
   */
  findBotFlowSession(
    botFlowId: string,
    match: (session: Models.BotFlowSession) => boolean,
    query?: { interval?: string; maxPages?: number },
    options?: CallOptions,
  ): Promise<Models.BotFlowSession | undefined>;
  /** GET /api/v2/analytics/botflows/{botFlowId}/divisions/reportingturns?sessionId=, following nextUri to the end. */
  listReportingTurns(botFlowId: string, sessionId: string, options?: CallOptions): Promise<Models.ReportingTurn[]>;
  /**
   * POST /api/v2/analytics/conversations/details/query, every page from `query.paging.pageNumber`
   * on, or at most `limit.maxPages` of them (a picker needs one page, not every conversation).
   */
  queryConversationDetails(
    query: Models.ConversationQuery,
    options?: CallOptions,
    limit?: { maxPages?: number },
  ): Promise<Models.AnalyticsConversationWithoutAttributes[]>;
  /**
   * GET /api/v2/conversations/messages/{messageId}/details: the message a Guest API client saw
   * (its id), with the conversation it belongs to (`conversationId`).
   */
  getMessageDetails(messageId: string, options?: CallOptions): Promise<Models.MessageData>;
  /** GET /api/v2/conversations/{conversationId} (generic model: communication ids). */
  getConversation(conversationId: string, options?: CallOptions): Promise<Models.Conversation>;
  /** POST /api/v2/conversations/messages/{conversationId}/communications/{communicationId}/messages (not retried). */
  sendMessage(
    conversationId: string,
    communicationId: string,
    body: Models.AdditionalMessage,
    options?: CallOptions,
  ): Promise<Models.MessageData>;
  /** Whether a token can be had right now (for /readyz). Throws the login error if not. */
  checkToken(options?: CallOptions): Promise<void>;
}
