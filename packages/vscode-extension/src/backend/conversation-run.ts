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
 * Checks a real org before any scenario runs, as `baton test` does: the credentials (one token
 * request) and the deployment (a Guest API session, which starts no conversation). Throws the one
 * error that names what is wrong (MissingDeploymentError, RealOrgTargetError), so a run shows that
 * instead of every scenario timing out. The Sandbox org needs none: it is started by the editor.
 */
export async function preflightConversations(backend: OrgBackend): Promise<void> {
  if (!backend.deployment) return;
  await backend.deployment().target({ WebSocket: guestWebSocket() }).preflight();
}

/**
 * The one place the editor calls the conversation-scenario runner (`baton test`'s runner), on the
 * org's conversation loop, so a change of the runner's dependencies is made here only.
 */
export async function runConversationOn(
  backend: OrgBackend,
  scenario: ConversationScenario,
  now: () => number,
  /** The Test Explorer's cancel: ends the running scenario (its guest connection closes, the rest is skipped). */
  signal?: AbortSignal,
): Promise<ConversationScenarioResult> {
  const runner = { now, WebSocket: guestWebSocket(), ...(signal && { signal }) };
  if (backend.deployment) {
    // A real org (UNCONFIRMED): `baton test`'s real-org target; it skips `sandbox:` scenarios and agent steps with their reasons.
    const target = backend.deployment().target({ WebSocket: guestWebSocket() });
    return runConversationScenario(scenario, { target, ...runner });
  }
  if (!backend.conversations) throw new ConversationsNotSupportedError(backend.name);
  // The editor's Sandbox org is the healthy one; `baton test` starts a loop set up as the scenario says.
  if (scenario.sandbox)
    return skippedScenario(scenario, `sets up the sandbox (sandbox: ${JSON.stringify(scenario.sandbox)}): run it with \`pnpm baton test\`, which starts a sandbox so set up`);
  const playground = await backend.conversations();
  const target = sandboxTarget(playground.sandbox, (conversationId) => playground.rulesOf(conversationId), { loop: playground.loop });
  return runConversationScenario(scenario, { target, ...runner });
}
