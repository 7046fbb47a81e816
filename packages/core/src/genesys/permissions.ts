import type { ApiRoute } from './routes.js';

/**
 * The permissions each call needs, as the SDK docs list them ("Requires ANY permissions": one of
 * them is enough). Sources: MyPureCloud/platform-client-sdk-javascript v259.0.0
 * `build/docs/{Conversations,Routing,Analytics}Api.md` (docs/genesys-facts.md#permissions);
 * the send-message permissions from MyPureCloud/platform-client-sdk-cli, generated from the same
 * swagger. An empty list: the docs say "Requires NO permissions"; whether a client-credentials
 * client's divisions still restrict those calls is UNCONFIRMED.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<ApiRoute, readonly string[]>> = {
  getConversationsMessage: [],
  postConversationsMessageMessagesBulk: ['conversation:message:view', 'conversation:webmessaging:view'],
  patchConversationsMessageParticipantAttributes: [],
  postConversationParticipantReplaceQueue: [
    'conversation:communication:blindTransfer',
    'conversation:communication:blindTransferQueue',
  ],
  patchRoutingConversation: ['routing:conversation:edit'],
  getRoutingQueues: ['routing:queue:view'],
  getRoutingQueue: ['routing:queue:view'],
  getAnalyticsBotflowSessions: ['analytics:botFlowSession:view'],
  getAnalyticsBotflowDivisionsReportingturns: ['analytics:botFlowDivisionAwareReportingTurn:view'],
  postAnalyticsConversationsDetailsQuery: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'],
  postConversationsMessageCommunicationMessages: ['conversation:message:create', 'conversation:webmessaging:create'],
  getConversation: ['conversation:communication:view'],
};

/** Every permission Baton's OAuth client role may need (one of each route's list suffices). */
export function permissionsFor(route: ApiRoute): readonly string[] {
  return ROUTE_PERMISSIONS[route];
}
