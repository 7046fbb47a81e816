import type { Sandbox } from '@baton/sandbox';
import type { ConversationTarget, HandoffRules } from './conversation-target.js';

/**
 * The sandbox's running loop as a scenario target: the guest's conversation and the agent's view
 * come straight from the sandbox's state, and its agents stand in for the agent side. A handoff is
 * observed once an agent answered (what the agent saw then is final).
 */
export function sandboxTarget(
  sb: Sandbox,
  rulesOf?: (conversationId: string) => Promise<HandoffRules>,
  options: { reorderWindowMs?: number } = {},
): ConversationTarget {
  return {
    description: 'the sandbox',
    // The sandbox pushes a session's frames in order unless a test injects its `reorder` fault (then
    // pass the client's window): holding each message 300 ms for nothing made every step that long.
    webMessaging: { origin: sb.webMessagingUrl, deploymentId: sb.deploymentId, reorderWindowMs: options.reorderWindowMs ?? 0 },
    pollMs: 10,
    conversationIdOf: ({ token }) => Promise.resolve(sb.guest.conversationIdOf(token)),
    observeHandoff(conversationId) {
      const view = sb.agents.viewOf(conversationId);
      return Promise.resolve(
        view && {
          conversationId,
          queue: view.queue,
          priority: view.priority,
          participantData: view.participantData,
          agentAnswered: true,
          settled: true,
        },
      );
    },
    ...(rulesOf && { rulesOf }),
    agent: {
      kind: 'simulated',
      reply: (conversationId, text) => void sb.agents.reply(conversationId, text),
      disconnect: (conversationId) => sb.agents.disconnect(conversationId),
    },
  };
}
