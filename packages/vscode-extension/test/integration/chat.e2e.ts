// Runs inside VS Code's extension host (code-server): Chat as Customer against the Sandbox org's loop.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseConversationScenarios } from '@baton/core';
import type { BatonApi } from '../../src/extension';
import type { ChatState } from '../../src/chat/chat-protocol';
import { Commands, ExtensionId } from '../../src/ids';

const ASK = 'I want to talk to a human about my invoice';

async function until(api: BatonApi, what: string, test: (s: ChatState) => boolean, ms = 20_000): Promise<ChatState> {
  for (let waited = 0; ; waited += 50) {
    const s = api.testing!.chat.state();
    if (s && test(s)) return s;
    if (waited > ms) assert.fail(`timed out waiting for ${what}; state ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function chatTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Baton: Chat as Customer');
}

describe('Chat as Customer in a real VS Code (Sandbox org)', function () {
  this.timeout(120_000);
  let api: BatonApi;

  before(async () => {
    api = await vscode.extensions.getExtension<BatonApi>(ExtensionId)!.activate();
    assert.ok(api.testing, 'the test API is there in ExtensionMode.Test');
    if (api.activeOrg() !== 'Sandbox') await vscode.commands.executeCommand(Commands.switchOrg, 'Sandbox');
  });

  it('opens the panel; the customer asks for a human; the panel has the bot reply, the handoff trace and the agent view', async () => {
    const opened = await vscode.commands.executeCommand<ChatState | undefined>(Commands.chatAsCustomer);
    assert.equal(opened?.status, 'open', JSON.stringify(opened));
    // The extension host hears of new tabs from the workbench asynchronously.
    for (let i = 0; i < 100 && !chatTab(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(chatTab(), 'the webview panel is open');

    await api.testing!.chat.post({ type: 'say', text: ASK });
    const s = await until(api, 'the bot reply, the trace and the agent view', (st) =>
      st.messages.some((m) => m.from === 'bot' && m.text.includes('Transferring to human support')) && st.handoff !== undefined && st.agentView !== undefined,
    );
    assert.ok(s.messages.some((m) => m.from === 'customer' && m.text === ASK));
    assert.equal(s.handoff!.status, 'ready_for_transfer');
    assert.match(s.handoff!.decisionRule ?? '', /^customer_asked_for_agent/);
    assert.match(s.handoff!.routingRule ?? '', /queue 'Support', priority 5/);
    const calls = s.handoff!.steps.flatMap((st) => st.calls);
    assert.ok(calls.length >= 3 && calls.every((c) => c.status === 200), JSON.stringify(calls));
    assert.equal(s.agentView!.queue, 'Support');
    assert.equal(s.agentView!.participantData.find((e) => e.label === 'Baton Exit Reason')?.value, 'AgentRequestedByUser');
    assert.ok(s.agentView!.messages.some((m) => m.text === ASK), "the agent sees the customer's message");
  });

  it('refuses a malformed webview message (the zod protocol): nothing is sent', async () => {
    const before = api.testing!.chat.state()!.messages.length;
    await api.testing!.chat.post({ type: 'say', text: '   ' });
    await api.testing!.chat.post({ type: 'say', text: 'x', command: 'workbench.action.terminal.new' } as never);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(api.testing!.chat.state()!.messages.length, before);
  });

  let saved: string | undefined;

  it('the agent replies and ends it from the panel; Save as Scenario writes a file that parses and opens it', async () => {
    await api.testing!.chat.post({ type: 'agentSays', text: 'Hello, I can see your invoice.' });
    await until(api, "the agent's message", (st) => st.messages.some((m) => m.from === 'agent'));
    await api.testing!.chat.post({ type: 'agentDisconnect' });
    await until(api, 'the end of the conversation', (st) => st.status === 'ended');

    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    saved = await vscode.commands.executeCommand<string | undefined>(Commands.saveChatAsScenario, { file: 'invoice-chat.conversation.yaml' });
    assert.equal(saved, path.join(folder, 'invoice-chat.conversation.yaml'));
    const text = fs.readFileSync(saved, 'utf8');
    const [scenario] = parseConversationScenarios(saved, text);
    const steps = scenario!.steps.map((x) => x.step);
    assert.deepEqual(steps[0], { say: ASK });
    assert.ok(steps.some((x) => 'expectHandoff' in x && x.expectHandoff.queue === 'Support' && x.expectHandoff.decisionRule === 'customer_asked_for_agent'), text);
    assert.ok(steps.some((x) => 'expectParticipantData' in x && x.expectParticipantData['Baton Exit Reason'] === 'AgentRequestedByUser'), text);
    assert.deepEqual(steps.slice(-2), [{ disconnect: true }, { expectDisconnect: true }]);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, saved, 'the file is opened');
    assert.equal(api.testing!.chat.state()!.savedFile, 'invoice-chat.conversation.yaml');
  });

  it('without a file argument it asks (an input box in test mode), suggesting a name from the first message', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    let settled = false;
    const pending = Promise.resolve(vscode.commands.executeCommand<string | undefined>(Commands.saveChatAsScenario)).finally(() => (settled = true));
    // The input box holds the suggested path; accept it as a user pressing Enter would, once it shows.
    for (let i = 0; i < 40 && !settled; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const file = await pending;
    assert.equal(file, path.join(folder, 'i-want-to-talk-to-a-human-about-my-invoice.conversation.yaml'));
    assert.ok(fs.existsSync(file!));
  });

  it('New conversation starts over with a new customer', async () => {
    const before = api.testing!.chat.state()!.conversationId;
    await api.testing!.chat.post({ type: 'newConversation' });
    const s = await until(api, 'a fresh open conversation', (st) => st.status === 'open' && st.messages.length === 0);
    assert.equal(s.handoff, undefined);
    await api.testing!.chat.post({ type: 'say', text: 'where is my order 5551234' });
    const after = await until(api, 'the order status', (st) => st.messages.some((m) => m.text.includes('Order 5551234 is on its way')));
    assert.ok(after.conversationId && after.conversationId !== before);
  });

  it('on a real org without a deploymentId the panel names the setting to add instead of chatting', async () => {
    await vscode.commands.executeCommand(Commands.addOrg, { name: 'Chat Real Org', region: 'us_east_1', clientId: 'chat-client', clientSecret: `e2e-secret-chat-${Date.now()}` });
    try {
      await vscode.commands.executeCommand(Commands.switchOrg, 'Chat Real Org');
      const s = await vscode.commands.executeCommand<ChatState | undefined>(Commands.chatAsCustomer, { newConversation: true });
      assert.equal(s?.status, 'error');
      assert.match(s?.error ?? '', /no "deploymentId" in the baton\.orgs setting/);
    } finally {
      await vscode.commands.executeCommand(Commands.removeOrg, 'Chat Real Org');
    }
    assert.equal(api.activeOrg(), 'Sandbox');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
