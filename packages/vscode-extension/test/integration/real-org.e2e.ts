// A real-org profile with a deploymentId, in a real VS Code, without a real org: `baton serve` in
// sandbox mode (its conversation loop running) stands in, reached only through the profile's baseUrl
// (the Guest API origin derived from it), deploymentId and client credentials from SecretStorage.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { serve, type ServeHandle } from '@baton/bridge';
import type { BatonApi } from '../../src/extension';
import type { ChatState } from '../../src/chat/chat-protocol';
import type { ConversationRunSummary, ConversationTestNode } from '../../src/testing/conversation-tests';
import { Commands, ConversationTestControllerId, ExtensionId } from '../../src/ids';
import { cancelRunningScenario, startTestRun, waitFor as waitForShared, WAITS_LONG_SCENARIO } from './workbench-tests';

const ORG = 'Real Org Stand-in';
const FILE = 'human-invoice.conversation.yaml';

/** This suite's waits: a served stand-in and a Platform API poll take longer than the sandbox's loop. */
const waitFor = <T>(what: string | (() => string), probe: () => T | undefined, timeoutMs = 20_000): Promise<T> => waitForShared(what, probe, timeoutMs);

describe('a real-org profile with a deploymentId (a served sandbox standing in)', function () {
  this.timeout(120_000);
  let api: BatonApi;
  let handle: ServeHandle;
  const file = () => path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, FILE);

  /**
   * The active org becomes a profile of the served stand-in with a least-permission client of its own
   * and `deploymentId` (the stand-in's own, or one it refuses).
   */
  async function useProfile(deploymentId: string): Promise<void> {
    const sb = handle.runtime.sandbox!;
    const client = sb.addClient({ permissions: ['conversation:message:view', 'conversation:communication:view', 'routing:queue:view'] });
    const profile = { name: ORG, region: 'us_east_1', clientId: client.clientId, baseUrl: sb.url, deploymentId };
    await vscode.workspace.getConfiguration('baton').update('orgs', [profile], vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand(Commands.setOrgSecret, { name: ORG, clientSecret: client.clientSecret }), true);
    assert.equal(await vscode.commands.executeCommand(Commands.switchOrg, ORG), ORG);
  }

  before(async () => {
    api = await vscode.extensions.getExtension<BatonApi>(ExtensionId)!.activate();
    assert.ok(api.testing);
    handle = await serve(
      { env: { LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' }, stdout: () => undefined, stderr: () => undefined, cwd: os.tmpdir() },
      { banner: false, logDestination: { write: () => undefined } },
    );
    await useProfile(handle.runtime.sandbox!.deploymentId);
  });

  after(async () => {
    if (fs.existsSync(file())) fs.unlinkSync(file());
    await vscode.commands.executeCommand(Commands.removeOrg, ORG);
    assert.equal(api.activeOrg(), 'Sandbox');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await handle?.stop('test');
  });

  it('Chat as Customer: the bot answers over the Guest API; the panel shows the handoff as the Platform API shows it (queue, priority, participant data), UNCONFIRMED', async () => {
    const asked = api.testing!.confirmationsAsked().length;
    const opened = await vscode.commands.executeCommand<ChatState | undefined>(Commands.chatAsCustomer, { newConversation: true });
    assert.equal(opened?.status, 'open', JSON.stringify(opened));
    assert.equal(opened?.org, ORG);
    await api.testing!.chat.post({ type: 'say', text: 'I want to talk to a human about my invoice' });
    const s = await waitFor(
      () => `the bot and the handoff; state ${JSON.stringify(api.testing!.chat.state())}`,
      () => {
        const st = api.testing!.chat.state();
        return st?.orgHandoff && st.messages.some((m) => m.from === 'bot' && m.text.includes('Transferring to human support')) ? st : undefined;
      },
    );
    assert.equal(s.orgHandoff!.queue, 'Support');
    assert.equal(s.orgHandoff!.priority, 5);
    assert.match(s.orgHandoff!.note, /^UNCONFIRMED/);
    assert.equal(s.orgHandoff!.participantData.find((e) => e.label === 'Baton Exit Reason')?.value, 'AgentRequestedByUser');
    assert.equal(s.handoff, undefined, 'no Baton trace: it is in the deployed bridge');
    assert.equal(s.canActAsAgent, false);
    assert.equal(api.testing!.confirmationsAsked().length, asked, 'chatting writes nothing through the Platform API: nothing to confirm');
  });

  it('Test Explorer: a conversation scenario runs on the deployment; customer steps pass, agent steps are skipped', async () => {
    fs.writeFileSync(
      file(),
      'name: A human about an invoice\nsteps:\n  - say: I want to talk to a human about my invoice\n  - expectBot: { contains: Transferring to human support }\n' +
        '  - expectHandoff: { queue: Support, priority: 5 }\n  - agentSays: Hello, I can see your invoice.\n  - expectAgent: { contains: invoice }\n',
    );
    await vscode.commands.executeCommand('testing.refreshTests');
    const node = await waitFor('the file in the Test Explorer', () =>
      api.conversationTestItems().find((n: ConversationTestNode) => n.label === FILE && n.children.length === 1 && n.children[0]!.children.length === 5),
    );
    const scenario = node.children[0]!;
    const finished: ConversationRunSummary[] = [];
    const sub = api.onDidFinishConversationRun((s) => void finished.push(s));
    try {
      await (await startTestRun([[ConversationTestControllerId, node.id, scenario.id].join('\0')], () => finished.length > 0 || api.runningConversationScenario() !== undefined)).ended;
      const summary = await waitFor('the run', () => finished.find((s) => s.results.some((r) => r.id === scenario.id)), 60_000);
      assert.equal(summary.org, ORG);
      const result = summary.results.find((r) => r.id === scenario.id)!;
      assert.deepEqual(result.steps.map((x) => x.state), ['passed', 'passed', 'passed', 'skipped', 'skipped'], JSON.stringify(result, null, 2));
      assert.notEqual(result.state, 'passed', 'a scenario with skipped steps is not shown as passed');
    } finally {
      sub.dispose();
    }
  });

  it("Test Explorer: a deployment the org refuses fails the preflight once; every scenario errors with that message, none runs into a timeout", async () => {
    await useProfile('no-such-deployment');
    fs.writeFileSync(
      file(),
      // The chatbot tester's format: two scenarios in one file.
      'scenarios:\n  first:\n    - say: I want to talk to a human\n    - waitForReplyContaining: Transferring\n' +
        '  second:\n    - say: hello\n    - waitForReplyContaining: anything\n',
    );
    await vscode.commands.executeCommand('testing.refreshTests');
    const node = await waitFor('the two scenarios in the Test Explorer', () =>
      api.conversationTestItems().find((n: ConversationTestNode) => n.label === FILE && n.children.length === 2),
    );
    const finished: ConversationRunSummary[] = [];
    const sub = api.onDidFinishConversationRun((s) => void finished.push(s));
    try {
      await (await startTestRun([[ConversationTestControllerId, node.id].join('\0')], () => finished.length > 0 || api.runningConversationScenario() !== undefined)).ended;
      // Before any step's timeout: the preflight stops the run.
      const summary = await waitFor('the run', () => finished.find((s) => s.results.length === 2), 30_000);
      assert.match(summary.error ?? '', /refused deployment no-such-deployment .*the "deploymentId" of "Real Org Stand-in" in the baton\.orgs setting/);
      assert.deepEqual(summary.results.map((r) => [r.name, r.state, r.error]), [
        ['first', 'errored', summary.error],
        ['second', 'errored', summary.error],
      ]);
      assert.ok(summary.results.every((r) => r.steps.every((x) => x.state === 'skipped')));
    } finally {
      sub.dispose();
    }
  });

  it('Chat as Customer: a deployment the org refuses is one message in the panel naming the profile setting; no conversation starts', async () => {
    await useProfile('no-such-deployment');
    const state = await vscode.commands.executeCommand<ChatState | undefined>(Commands.chatAsCustomer, { newConversation: true });
    assert.equal(state?.status, 'error', JSON.stringify(state));
    assert.match(state?.error ?? '', /^Could not start the conversation: .*refused deployment no-such-deployment .*the "deploymentId" of "Real Org Stand-in" in the baton\.orgs setting/);
    assert.deepEqual(api.testing!.chat.state()?.messages, []);
    assert.equal(api.testing!.chat.state()?.conversationId, undefined);
  });

  it('Test Explorer: cancelling a run stops the scenario that is running; its unfinished steps are skipped (cancelled), not failed, long before their timeout', async function () {
    this.timeout(60_000);
    await useProfile(handle.runtime.sandbox!.deploymentId);
    fs.writeFileSync(file(), WAITS_LONG_SCENARIO);
    await vscode.commands.executeCommand('testing.refreshTests');
    const node = await waitFor('the file in the Test Explorer', () =>
      api.conversationTestItems().find((n: ConversationTestNode) => n.label === FILE && n.children[0]?.label === 'waits long' && n.children[0].children.length === 2),
    );
    await cancelRunningScenario(api, node.id, node.children[0]!.id);
  });
});
