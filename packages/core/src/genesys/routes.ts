/**
 * The Platform API operations Baton calls, named by the SDK's operation ids
 * (purecloud-platform-client-v2) so traces, metrics and sandbox faults share one vocabulary.
 */
export type ApiRoute =
  | 'getConversationsMessage'
  | 'postConversationsMessageMessagesBulk'
  | 'patchConversationsMessageParticipantAttributes'
  | 'postConversationParticipantReplaceQueue'
  | 'patchRoutingConversation'
  | 'getRoutingQueues'
  | 'getRoutingQueue'
  | 'getAnalyticsBotflowSessions'
  | 'getAnalyticsBotflowDivisionsReportingturns'
  | 'postAnalyticsConversationsDetailsQuery'
  | 'postConversationsMessageCommunicationMessages'
  | 'getConversation';

/** Every upstream route, the OAuth token request included. */
export type GenesysRoute = ApiRoute | 'postToken';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH';
  /**
   * Whether a 5xx or a network error may be retried. Only for calls that are safe to repeat: reads,
   * the POSTs that only query, and the attributes PATCH (a merge: applying it twice leaves the same
   * state). A 429 is retried for every call, because Genesys did not process the request.
   */
  idempotent: boolean;
}

export const ROUTES: Readonly<Record<ApiRoute, RouteSpec>> = {
  getConversationsMessage: { method: 'GET', idempotent: true },
  // POST only because the id list is a body; it reads.
  postConversationsMessageMessagesBulk: { method: 'POST', idempotent: true },
  patchConversationsMessageParticipantAttributes: { method: 'PATCH', idempotent: true },
  // A transfer that timed out may have happened: repeating it could transfer twice or fail on a
  // conversation that already left the flow. Never retried after a 5xx or network error.
  postConversationParticipantReplaceQueue: { method: 'POST', idempotent: false },
  // Sets priority/skills: repeating sets the same values, but it acts on routing state that may
  // have moved on (e.g. the conversation was answered), so it is treated like a write.
  patchRoutingConversation: { method: 'PATCH', idempotent: false },
  getRoutingQueues: { method: 'GET', idempotent: true },
  getRoutingQueue: { method: 'GET', idempotent: true },
  getAnalyticsBotflowSessions: { method: 'GET', idempotent: true },
  getAnalyticsBotflowDivisionsReportingturns: { method: 'GET', idempotent: true },
  // POST only because the query is a body; it reads.
  postAnalyticsConversationsDetailsQuery: { method: 'POST', idempotent: true },
  // A retried send would show the customer the same message twice.
  postConversationsMessageCommunicationMessages: { method: 'POST', idempotent: false },
  getConversation: { method: 'GET', idempotent: true },
};
