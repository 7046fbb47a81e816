import assert from 'node:assert/strict';
import type { Logger } from '@baton/bridge';
import { runConversationScenario, sandboxTarget } from '@baton/bridge/conversations';
import { parseConversationScenarios } from '@baton/core';
import { createBackend } from '../../src/backend/create-backend.js';
import type { ConversationPlayground, OrgBackend } from '../../src/backend/org-backend.js';
import { chatStateSchema, hostToWebviewSchema, type ChatState } from '../../src/chat/chat-protocol.js';
import { conversationScenarioYaml } from '../../src/chat/chat-scenario.js';
import { ChatSession, chatTargetOf } from '../../src/chat/chat-session.js';
import { SANDBOX_ORG_NAME } from '../../src/model/org-profile.js';

/** Polls the session's state (the loop answers in milliseconds; nothing sleeps longer than it must). */
async function until(session: ChatSession, what: string, test: (s: ChatState) => boolean, ms = 10_000): Promise<ChatState> {
  for (let waited = 0; ; waited += 20) {
    const s = session.state();
    if (test(s)) return s;
    if (waited > ms) assert.fail(`timed out waiting for ${what}; state ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue #16, section 3: "Chat as Customer" against the Sandbox org's whole loop (Guest API, bot, exported
 * flow, in-process bridge, agents), and "Save as Scenario" from what it recorded, run by the
 * conversation-scenario runner `baton test` uses.
 */
describe('Chat as Customer: the session against the sandbox loop, and Save as Scenario', () => {
  let backend: OrgBackend;
  let playground: ConversationPlayground;
  const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as unknown as Logger;
  const sessions: ChatSession[] = [];
  const open = async () => {
    const session = new ChatSession({ target: chatTargetOf(SANDBOX_ORG_NAME, playground) });
    sessions.push(session);
    await session.start();
    return session;
  };
  before(async function () {
    this.timeout(60_000);
    backend = await createBackend({ kind: 'sandbox', name: SANDBOX_ORG_NAME }, undefined, { logger: silent });
    playground = await backend.conversations!();
  });
  after(async () => {
    for (const s of sessions) await s.close();
    await backend?.dispose();
  });

  it('when the customer asks for a human, then the panel state has the bot replies, the handoff trace with its rule and calls, and the agent view', async function () {
    this.timeout(30_000);
    const session = await open();
    const seen: ChatState[] = [];
    session.onChange((s) => seen.push(s));
    assert.equal(session.state().status, 'open');
    await session.say('I want to talk to a human about my invoice');
    // Messages come through the Guest API client's reorder window, the trace and the agent's view
    // from the sandbox: they reach the state in either order.
    const s = await until(
      session,
      'the replies, the trace and the agent view',
      (st) => st.handoff !== undefined && st.agentView !== undefined && st.messages.some((m) => m.from === 'bot' && m.text.includes("I'll connect you")),
    );
    assert.ok(s.messages.some((m) => m.from === 'customer' && m.text === 'I want to talk to a human about my invoice'), JSON.stringify(s.messages));
    assert.ok(s.messages.some((m) => m.from === 'bot' && m.text.includes("I'll connect you")), JSON.stringify(s.messages));
    assert.ok(s.conversationId && playground.sandbox.agents.viewOf(s.conversationId), 'the panel names the conversation the agent answered');
    assert.equal(s.handoff!.status, 'ready_for_transfer');
    assert.match(s.handoff!.decisionRule ?? '', /^customer_asked_for_agent/);
    assert.deepEqual(s.handoff!.steps.map((st) => st.step), ['assessIntent', 'buildTranscript', 'handToQueue']);
    assert.ok(s.handoff!.steps.flatMap((st) => st.calls).some((c) => c.method === 'PATCH' && /participants\/.+\/attributes$/.test(c.path)), 'each Platform API call is listed');
    assert.equal(s.agentView!.queue, 'Support');
    const exit = s.agentView!.participantData.find((e) => e.label === 'Baton Exit Reason');
    assert.deepEqual(exit && { value: exit.value, agentVisible: exit.agentVisible }, { value: 'AgentRequestedByUser', agentVisible: true });
    const summary = s.agentView!.participantData.find((e) => e.label === 'Baton Summary');
    assert.equal(summary?.display, 'longtext', 'long text is shown as such');
    assert.ok(s.agentView!.participantData.find((e) => e.key === 'baton.handoffId')?.agentVisible === false);
    // Every state the host posts is a valid protocol message.
    for (const st of seen) assert.ok(hostToWebviewSchema.safeParse({ type: 'state', state: st }).success);
    assert.ok(chatStateSchema.safeParse(s).success);
  });

  it('when the chat is saved as a scenario, then the file parses and PASSES when the runner plays it against the sandbox', async function () {
    this.timeout(60_000);
    const session = await open();
    await session.say('I want to talk to a human about my invoice');
    await until(session, 'the agent view', (st) => st.agentView !== undefined && st.handoff !== undefined);
    await until(session, 'the "please wait"', (st) => st.messages.some((m) => m.text.includes('Please wait')));
    session.agentSays('Hello, I can see your invoice.');
    await until(session, "the agent's message", (st) => st.messages.some((m) => m.from === 'agent'));
    session.agentDisconnect();
    const ended = await until(session, 'the disconnect', (st) => st.status === 'ended');
    assert.equal(ended.status, 'ended');

    const yaml = conversationScenarioYaml(session.record(), { name: 'invoice handoff (saved from a chat)' });
    for (const step of ['say:', 'expectBot:', 'expectHandoff:', 'expectParticipantData:', 'expectAgentAnswers:', 'agentSays:', 'disconnect: true', 'expectDisconnect: true']) {
      assert.ok(yaml.includes(step), `${step} in\n${yaml}`);
    }
    const [scenario] = parseConversationScenarios('saved.conversation.yaml', yaml);
    assert.ok(scenario);
    const result = await runConversationScenario(scenario, { target: sandboxTarget(playground.sandbox, playground.rulesOf), now: () => performance.now() });
    assert.equal(result.passed, true, `${JSON.stringify(result.failure)}\n${yaml}\n${result.transcript.join('\n')}`);
    assert.equal(result.steps, scenario.steps.length);

    // And the expectations are real: the same file with another queue fails.
    const [wrong] = parseConversationScenarios('wrong.conversation.yaml', yaml.replace(/"queue": "Support", "priority"/, '"queue": "Billing", "priority"'));
    const failed = await runConversationScenario(wrong!, { target: sandboxTarget(playground.sandbox, playground.rulesOf), now: () => performance.now() });
    assert.equal(failed.passed, false);
    assert.match(failed.failure?.expected ?? '', /queue Billing/);
  });

  it('when the conversation has ended, then saying more is refused with a message and nothing is recorded', async function () {
    this.timeout(30_000);
    const session = await open();
    await session.say('I want to talk to a human about my invoice');
    await until(session, 'the agent view', (st) => st.agentView !== undefined);
    session.agentDisconnect();
    await until(session, 'the disconnect', (st) => st.status === 'ended');
    const before = session.record().events.length;
    await session.say('hello?');
    assert.match(session.state().error ?? '', /ended/);
    assert.equal(session.record().events.length, before);
  });
});

describe('Chat as Customer on Node 20 (VS Code 1.100 extension host: no global WebSocket)', () => {
  it("when there is no global WebSocket, then the session connects with the ws package's", async function () {
    this.timeout(30_000);
    const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as unknown as Logger;
    const backend = await createBackend({ kind: 'sandbox', name: SANDBOX_ORG_NAME }, undefined, { logger: silent });
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    let session: ChatSession | undefined;
    try {
      const playground = await backend.conversations!();
      delete global.WebSocket;
      session = new ChatSession({ target: chatTargetOf(SANDBOX_ORG_NAME, playground) });
      await session.start();
      await session.say('where is my order 5551234');
      await until(session, 'the order status', (s) => s.messages.some((m) => m.from === 'bot' && m.text.includes('Order 5551234 is on its way')));
    } finally {
      global.WebSocket = saved;
      await session?.close();
      await backend.dispose();
    }
  });
});
