import { API_ROUTES, ROUTES } from '@baton/core';
import type { Sandbox } from '@baton/sandbox';

/**
 * What a handoff could have written to the sandbox org about one conversation: its record
 * (participant attributes, routing fields), its applied transfers, the messages sent into it, and
 * how many write requests (core's route table: `writes`) reached the sandbox at all. Two snapshots
 * are deep-equal exactly when nothing was written in between.
 */
export function sandboxWrites(sandbox: Sandbox, conversationId: string) {
  const { byRoute } = sandbox.counters.snapshot();
  // Not `messagesById`: a lookup index the sandbox builds on first read.
  const { messagesById: _index, ...conversation } = sandbox.org.getConversation(conversationId) ?? {};
  return {
    conversation: JSON.parse(JSON.stringify(conversation)) as unknown,
    transfers: sandbox.org.transfers.filter((t) => t.conversationId === conversationId).map((t) => ({ ...t })),
    sentMessages: sandbox.org.sentMessages.filter((m) => m.conversationId === conversationId).map((m) => ({ ...m })),
    writeRequests: Object.fromEntries(API_ROUTES.filter((route) => ROUTES[route].writes).map((route) => [route, byRoute[route] ?? 0])),
  };
}
