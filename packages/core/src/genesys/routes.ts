/**
 * The Platform API operations Baton calls: one row per operation, named by the SDK's operation id
 * (purecloud-platform-client-v2) so traces, metrics and sandbox faults share one vocabulary.
 *
 * This table is the one place the route facts live. The sandbox's route table and registrations,
 * the VS Code extension's list of writes and the README's permission list are checked against it
 * (core/test/genesys/routes.test.ts), so adding a call here without the others fails a test.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH';
  /** The Platform API path, `{param}` style as in the SDK docs. */
  path: string;
  /**
   * Whether a 5xx or a network error may be retried. Only for calls that are safe to repeat: reads,
   * the POSTs that only query, and the attributes PATCH (a merge: applying it twice leaves the same
   * state). A 429 is retried for every call, because Genesys did not process the request.
   */
  idempotent: boolean;
  /** Whether the call changes the org (what a read-only command must never call). */
  writes: boolean;
  /**
   * The permissions the SDK docs list for the call (docs/genesys-facts.md#permissions). An empty
   * list: the docs say "Requires NO permissions"; whether a client-credentials client's divisions
   * still restrict those calls is UNCONFIRMED.
   */
  permissions: readonly string[];
  /** "Requires ANY permissions": one of `permissions` suffices; "ALL": every one is needed. */
  permissionMode: 'any' | 'all';
}

const table = {
  getConversationsMessage: {
    method: 'GET',
    path: '/api/v2/conversations/messages/{conversationId}',
    idempotent: true,
    writes: false,
    permissions: [],
    permissionMode: 'any',
  },
  // POST only because the id list is a body; it reads.
  postConversationsMessageMessagesBulk: {
    method: 'POST',
    path: '/api/v2/conversations/messages/{conversationId}/messages/bulk',
    idempotent: true,
    writes: false,
    permissions: ['conversation:message:view', 'conversation:webmessaging:view'],
    permissionMode: 'any',
  },
  // Maps a message id (what a Guest API client saw) to its MessageData, conversation id included:
  // how `baton test` finds a guest's conversation on a real org (docs/genesys-facts.md#conversation-from-a-guest-session,
  // which cites the SDK docs for these permissions). Baton's handoff does not call it.
  getConversationsMessageDetails: {
    method: 'GET',
    path: '/api/v2/conversations/messages/{messageId}/details',
    idempotent: true,
    writes: false,
    permissions: ['conversation:message:view', 'conversation:webmessaging:view'],
    permissionMode: 'any',
  },
  patchConversationsMessageParticipantAttributes: {
    method: 'PATCH',
    path: '/api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes',
    idempotent: true,
    writes: true,
    permissions: [],
    permissionMode: 'any',
  },
  // A transfer that timed out may have happened: repeating it could transfer twice or fail on a
  // conversation that already left the flow. Never retried after a 5xx or network error.
  postConversationParticipantReplaceQueue: {
    method: 'POST',
    path: '/api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue',
    idempotent: false,
    writes: true,
    permissions: ['conversation:communication:blindTransfer', 'conversation:communication:blindTransferQueue'],
    permissionMode: 'any',
  },
  // Sets priority/skills: repeating sets the same values, but it acts on routing state that may
  // have moved on (e.g. the conversation was answered), so it is treated like a write.
  patchRoutingConversation: {
    method: 'PATCH',
    path: '/api/v2/routing/conversations/{conversationId}',
    idempotent: false,
    writes: true,
    permissions: ['routing:conversation:edit'],
    permissionMode: 'any',
  },
  getRoutingQueues: {
    method: 'GET',
    path: '/api/v2/routing/queues',
    idempotent: true,
    writes: false,
    permissions: ['routing:queue:view'],
    permissionMode: 'any',
  },
  getRoutingQueue: {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}',
    idempotent: true,
    writes: false,
    permissions: ['routing:queue:view'],
    permissionMode: 'all',
  },
  getAnalyticsBotflowSessions: {
    method: 'GET',
    path: '/api/v2/analytics/botflows/{botFlowId}/sessions',
    idempotent: true,
    writes: false,
    permissions: ['analytics:botFlowSession:view'],
    permissionMode: 'any',
  },
  getAnalyticsBotflowDivisionsReportingturns: {
    method: 'GET',
    path: '/api/v2/analytics/botflows/{botFlowId}/divisions/reportingturns',
    idempotent: true,
    writes: false,
    permissions: ['analytics:botFlowDivisionAwareReportingTurn:view'],
    permissionMode: 'any',
  },
  // POST only because the query is a body; it reads.
  postAnalyticsConversationsDetailsQuery: {
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/query',
    idempotent: true,
    writes: false,
    permissions: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'],
    permissionMode: 'any',
  },
  // A retried send would show the customer the same message twice. The permissions come from
  // MyPureCloud/platform-client-sdk-cli, generated from the same swagger (docs/genesys-facts.md#permissions).
  postConversationsMessageCommunicationMessages: {
    method: 'POST',
    path: '/api/v2/conversations/messages/{conversationId}/communications/{communicationId}/messages',
    idempotent: false,
    writes: true,
    permissions: ['conversation:message:create', 'conversation:webmessaging:create'],
    permissionMode: 'any',
  },
  getConversation: {
    method: 'GET',
    path: '/api/v2/conversations/{conversationId}',
    idempotent: true,
    writes: false,
    permissions: ['conversation:communication:view'],
    permissionMode: 'any',
  },
} as const satisfies Record<string, RouteSpec>;

export type ApiRoute = keyof typeof table;

/** Every upstream route, the OAuth token request included. */
export type GenesysRoute = ApiRoute | 'postToken';

export const ROUTES: Readonly<Record<ApiRoute, RouteSpec>> = table;

/** Every Platform API operation Baton calls, in table order. */
export const API_ROUTES = Object.keys(table) as readonly ApiRoute[];
