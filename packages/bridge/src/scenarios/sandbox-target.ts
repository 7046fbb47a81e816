import type { Sandbox } from '@baton/sandbox';
import type { ConversationLoop } from '@baton/flow';
import type { ConversationTarget, DataActionPath, HandoffRules } from './conversation-target.js';

/** Where the sandbox's flow runs can be read (the conversation loop): `expectDataActionPath` looks there. */
export type FlowRuns = Pick<ConversationLoop, 'runOf'>;

/**
 * The sandbox's running loop as a scenario target: the guest's conversation and the agent's view
 * come straight from the sandbox's state, and its agents stand in for the agent side. A handoff is
 * observed once an agent answered (what the agent saw then is final).
 */
export function sandboxTarget(
  sb: Sandbox,
  rulesOf?: (conversationId: string) => Promise<HandoffRules>,
  options: { reorderWindowMs?: number; loop?: FlowRuns } = {},
): ConversationTarget {
  const { loop } = options;
  return {
    description: 'the sandbox',
    simulated: true,
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
          episode: `${view.agent.participantId}@${view.answeredAt}`,
        },
      );
    },
    ...(rulesOf && { rulesOf }),
    ...(loop && { dataActionPathOf: (conversationId: string) => lastDataActionPath(loop, conversationId) }),
    agent: {
      kind: 'simulated',
      reply: (conversationId, text) => void sb.agents.reply(conversationId, text),
      disconnect: (conversationId) => sb.agents.disconnect(conversationId),
    },
  };
}

/** The path of the conversation's last Call Data Action in its latest flow run, once the run has ended. */
async function lastDataActionPath(loop: FlowRuns, conversationId: string): Promise<DataActionPath | undefined> {
  const run = loop.runOf(conversationId);
  if (!run) return undefined;
  const ended = await Promise.race([run, new Promise<undefined>((resolve) => setImmediate(resolve, undefined))]);
  const call = ended?.trace.filter((e) => e.action === 'callData').at(-1);
  return call?.path === 'success' || call?.path === 'failure' || call?.path === 'timeout' ? call.path : undefined;
}
