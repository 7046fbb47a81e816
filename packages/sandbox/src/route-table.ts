/**
 * Every emulated operation, named by its SDK operation id, with the permissions the SDK docs list
 * for it (MyPureCloud/platform-client-sdk-javascript build/docs/*.md, v259.0.0, "Requires ANY/ALL
 * permissions"). An empty list means the docs say "Requires NO permissions" (division and role
 * access still apply in a real org; how exactly for client credentials is UNCONFIRMED).
 */
export const routeNames = [
  'postToken',
  'getConversationsMessage',
  'postConversationsMessageMessagesBulk',
  'patchConversationsMessageParticipantAttributes',
  'postConversationParticipantReplaceQueue',
  'patchRoutingConversation',
  'getRoutingQueues',
  'getRoutingQueue',
  'getAnalyticsBotflowSessions',
  'getAnalyticsBotflowDivisionsReportingturns',
  'postAnalyticsConversationsDetailsQuery',
  'postConversationsMessageCommunicationMessages',
  'getConversation',
  'getConversationsMessageDetails',
] as const;

export type RouteName = (typeof routeNames)[number];

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH';
  /** The Platform API path, `{param}` style as in the SDK docs. */
  path: string;
  permissions: readonly string[];
  /** ANY: one of `permissions` suffices; ALL: every one is needed. */
  mode: 'any' | 'all';
}

export const routeTable: Record<Exclude<RouteName, 'postToken'>, RouteSpec> = {
  getConversationsMessage: {
    method: 'GET',
    path: '/api/v2/conversations/messages/{conversationId}',
    permissions: [],
    mode: 'any',
  },
  postConversationsMessageMessagesBulk: {
    method: 'POST',
    path: '/api/v2/conversations/messages/{conversationId}/messages/bulk',
    permissions: ['conversation:message:view', 'conversation:webmessaging:view'],
    mode: 'any',
  },
  patchConversationsMessageParticipantAttributes: {
    method: 'PATCH',
    path: '/api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes',
    permissions: [],
    mode: 'any',
  },
  postConversationParticipantReplaceQueue: {
    method: 'POST',
    path: '/api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue',
    permissions: ['conversation:communication:blindTransfer', 'conversation:communication:blindTransferQueue'],
    mode: 'any',
  },
  patchRoutingConversation: {
    method: 'PATCH',
    path: '/api/v2/routing/conversations/{conversationId}',
    permissions: ['routing:conversation:edit'],
    mode: 'any',
  },
  getRoutingQueues: {
    method: 'GET',
    path: '/api/v2/routing/queues',
    permissions: ['routing:queue:view'],
    mode: 'any',
  },
  getRoutingQueue: {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}',
    permissions: ['routing:queue:view'],
    mode: 'all',
  },
  getAnalyticsBotflowSessions: {
    method: 'GET',
    path: '/api/v2/analytics/botflows/{botFlowId}/sessions',
    permissions: ['analytics:botFlowSession:view'],
    mode: 'any',
  },
  getAnalyticsBotflowDivisionsReportingturns: {
    method: 'GET',
    path: '/api/v2/analytics/botflows/{botFlowId}/divisions/reportingturns',
    permissions: ['analytics:botFlowDivisionAwareReportingTurn:view'],
    mode: 'any',
  },
  postAnalyticsConversationsDetailsQuery: {
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/query',
    permissions: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'],
    mode: 'any',
  },
  postConversationsMessageCommunicationMessages: {
    method: 'POST',
    path: '/api/v2/conversations/messages/{conversationId}/communications/{communicationId}/messages',
    permissions: ['conversation:message:create', 'conversation:webmessaging:create'],
    mode: 'any',
  },
  getConversation: {
    method: 'GET',
    path: '/api/v2/conversations/{conversationId}',
    permissions: ['conversation:communication:view'],
    mode: 'any',
  },
  // Maps a message id (what a Guest API client saw) to its MessageData, conversationId included
  // (docs/genesys-facts.md#conversation-from-a-guest-session: the permissions are the SDK docs').
  getConversationsMessageDetails: {
    method: 'GET',
    path: '/api/v2/conversations/messages/{messageId}/details',
    permissions: ['conversation:message:view', 'conversation:webmessaging:view'],
    mode: 'any',
  },
};

/** `{param}` → Express's `:param`. */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
