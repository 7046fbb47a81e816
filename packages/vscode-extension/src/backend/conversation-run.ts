import type { ConversationScenario } from '@baton/core';
import { runConversationScenario, sandboxTarget, skippedScenario, type ConversationScenarioResult } from '@baton/bridge/conversations';
import { guestWebSocket } from '../chat/guest-websocket.js';
import type { OrgBackend } from './org-backend.js';

/** The active org cannot run conversation scenarios from the editor (a real org: no conversation loop here). */
export class ConversationsNotSupportedError extends Error {
  constructor(orgName: string) {
    super(
      `Conversation scenarios run on the Sandbox org only: running them against "${orgName}" is not supported in the editor yet. Switch to the Sandbox org (Baton: Switch Org).`,
    );
    this.name = 'ConversationsNotSupportedError';
  }
}

/**
 * The one place the editor calls the conversation-scenario runner (`baton test`'s runner), on the
 * org's conversation loop, so a change of the runner's dependencies is made here only.
 */
export async function runConversationOn(
  backend: OrgBackend,
  scenario: ConversationScenario,
  now: () => number,
): Promise<ConversationScenarioResult> {
  if (backend.deployment) {
    // A real org (UNCONFIRMED): `baton test`'s real-org target; it skips `sandbox:` scenarios and agent steps with their reasons.
    const target = backend.deployment().target({ WebSocket: guestWebSocket() });
    return runConversationScenario(scenario, { target, now, WebSocket: guestWebSocket() });
  }
  if (!backend.conversations) throw new ConversationsNotSupportedError(backend.name);
  // The editor's Sandbox org is the healthy one; `baton test` starts a loop set up as the scenario says.
  if (scenario.sandbox)
    return skippedScenario(scenario, `sets up the sandbox (sandbox: ${JSON.stringify(scenario.sandbox)}): run it with \`pnpm baton test\`, which starts a sandbox so set up`);
  const playground = await backend.conversations();
  const target = sandboxTarget(playground.sandbox, (conversationId) => playground.rulesOf(conversationId), { loop: playground.loop });
  return runConversationScenario(scenario, { target, now, WebSocket: guestWebSocket() });
}
