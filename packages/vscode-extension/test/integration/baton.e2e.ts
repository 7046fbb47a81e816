// Runs inside VS Code's extension host (code-server), against the built-in sandbox org.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from '../../src/extension';
import type { HistoryEntry } from '../../src/model/history';
import type { ConversationInspection } from '../../src/backend/org-backend';
import type { DataActionRun } from '../../src/backend/data-actions-api';
import type { ScenarioRunSummary } from '../../src/testing/scenario-tests';
import { Commands, ExtensionId } from '../../src/ids';
import { actionContract, AGENT_CONTEXT_KEYS } from '@baton/core';
import { createSandbox, type Sandbox } from '@baton/sandbox';

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return folder.uri.fsPath;
}

describe('Baton extension in a real VS Code', function () {
  let api: BatonApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<BatonApi>(ExtensionId);
    assert.ok(ext, `${ExtensionId} is installed`);
    api = await ext.activate();
  });

  it('activates lazily (no "*" activation) and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(ExtensionId)!;
    const events: string[] = ext.packageJSON.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `lazy activation, got ${events.join(', ')}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(Commands)) assert.ok(registered.has(id), `${id} registered`);
  });

  it('shows the built-in Sandbox org in the status bar', () => {
    assert.equal(api.activeOrg(), 'Sandbox');
    assert.match(api.statusBarText(), /Baton: Sandbox/);
  });

  it('keeps an org profile in settings and its client secret only in SecretStorage', async () => {
    const secret = `e2e-secret-${Date.now()}`;
    await vscode.commands.executeCommand(Commands.addOrg, { name: 'E2E Org', region: 'us_east_1', clientId: 'e2e-client', clientSecret: secret });
    const orgs = vscode.workspace.getConfiguration('baton').get<unknown[]>('orgs');
    assert.deepEqual(orgs, [{ name: 'E2E Org', region: 'us_east_1', clientId: 'e2e-client' }]);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('baton')).includes(secret), 'secret not in settings');
    assert.equal(await api.orgSecretStored('E2E Org'), true, 'secret stored in SecretStorage');

    assert.equal(await vscode.commands.executeCommand(Commands.switchOrg, 'E2E Org'), 'E2E Org');
    assert.match(api.statusBarText(), /Baton: E2E Org/);

    await vscode.commands.executeCommand(Commands.removeOrg, 'E2E Org');
    assert.equal(await api.orgSecretStored('E2E Org'), false, 'secret deleted with the profile');
    assert.equal(api.activeOrg(), 'Sandbox', 'removing the active org falls back to the sandbox');
  });

  let entry: HistoryEntry | undefined;

  it('Run Handoff hands a sandbox conversation to a queue and records its trace', async () => {
    const conversations = await api.recentConversations();
    assert.ok(conversations.length > 0, 'the analytics details query lists sandbox conversations');
    const jane = conversations.find((c) => c.label === 'Jane Low') ?? conversations[0]!;
    const queues = await api.queues();
    const support = queues.find((q) => q.name === 'Support') ?? queues[0]!;

    entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.runHandoff, {
      conversationId: jane.id,
      queueId: support.id,
      mode: 'flow',
    });
    assert.ok(entry, 'the command returned the run');
    assert.equal(entry.trace.conversationId, jane.id);
    assert.ok(entry.output, 'output recorded');
    assert.equal(entry.output.queueId, support.id);
    assert.deepEqual(
      entry.trace.steps.map((s) => s.step),
      ['assessIntent', 'buildTranscript', 'handToQueue'],
    );
    assert.ok(entry.trace.calls.length > 0, 'upstream calls recorded');
    assert.equal(api.history()[0]?.id, entry.id, 'newest run first in the history');

    // The extension's client captures bodies: the PATCH attributes call carries the agent context it wrote.
    const patch = entry.trace.calls.find((c) => c.route === 'patchConversationsMessageParticipantAttributes');
    assert.ok(patch, `the agent context was written: ${JSON.stringify(entry.trace.calls.map((c) => c.route))}`);
    const sent = (patch.requestBody as { attributes?: Record<string, string> } | undefined)?.attributes;
    assert.ok(sent, `requestBody holds the attributes sent: ${JSON.stringify(patch.requestBody)}`);
    for (const key of [AGENT_CONTEXT_KEYS.intent, AGENT_CONTEXT_KEYS.handoffId, AGENT_CONTEXT_KEYS.queueId]) {
      assert.ok(key in sent, `"${key}" sent: ${JSON.stringify(Object.keys(sent))}`);
    }
    // The agent sees the messages in the interaction: no transcript unless asked for.
    assert.ok(!(AGENT_CONTEXT_KEYS.transcriptParts in sent), `no transcript by default: ${JSON.stringify(Object.keys(sent))}`);
    assert.equal(sent[AGENT_CONTEXT_KEYS.handoffId], entry.trace.handoffId);
    assert.ok(patch.responseBody !== undefined, 'the answer recorded');
  });

  it('lists the run in the Handoffs tree and renders its trace webview with a CSP nonce', async () => {
    assert.ok(entry);
    const rows = api.treeChildren();
    assert.ok(rows.some((r) => r.label === entry!.label && r.description.includes('Sandbox')), JSON.stringify(rows));
    const shown = await vscode.commands.executeCommand<{ html: string } | undefined>(Commands.openTrace, entry.id);
    assert.ok(shown);
    const nonce = /script-src 'nonce-([^']+)'/.exec(shown.html)?.[1];
    assert.ok(nonce, 'CSP with a script nonce');
    assert.ok(shown.html.includes(`<script nonce="${nonce}">`), 'the only script carries the nonce');
    assert.ok(shown.html.includes(entry.trace.handoffId));
    assert.ok(!/sandbox-secret|Bearer [A-Za-z0-9]/.test(shown.html), 'no credentials in the trace');
    // Each upstream call's request and response (issue 6): the PATCH attributes answer, as the webview escapes it.
    const patch = entry.trace.calls.find((c) => c.route === 'patchConversationsMessageParticipantAttributes');
    assert.ok(patch?.responseBody !== undefined, 'the PATCH answer is in the trace');
    const escaped = JSON.stringify(patch.responseBody, null, 2).replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
    assert.ok(shown.html.includes(`<summary>response</summary><pre>${escaped}</pre>`), 'the webview shows the response of the call');
    assert.ok(shown.html.includes('<summary>request</summary>'), 'and its request');
  });

  it('Inspect Conversation shows participants, intent with its source and the transcript, read-only', async () => {
    const conversations = await api.recentConversations();
    const hugo = conversations.find((c) => c.label === 'Hugo High') ?? conversations[1]!;
    const before = await api.testing?.sandboxState(hugo.id);
    assert.ok(before, 'the active org is the built-in sandbox, and the test seam shows its state');
    assert.ok(Object.keys(before.participantAttributes).length > 0, 'the conversation has participants');
    const inspection = await vscode.commands.executeCommand<ConversationInspection | undefined>(Commands.inspectConversation, {
      conversationId: hugo.id,
    });
    assert.ok(inspection);
    // Read-only: nothing written to the sandbox.
    const after = await api.testing!.sandboxState(hugo.id);
    assert.deepEqual(after?.participantAttributes, before.participantAttributes, 'participant attributes unchanged');
    assert.equal(after?.transfers, before.transfers, 'no transfer');
    assert.equal(after?.writeRequests, before.writeRequests, 'no write request reached the sandbox');
    const customer = inspection.participants.find((p) => p.purpose === 'customer');
    assert.ok(customer, 'customer participant listed');
    assert.notEqual(inspection.intent.source, undefined);
    assert.ok(inspection.transcript.messageCount > 0);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /## Transcript as the agent will see it/);
    assert.match(text, new RegExp(`source: \`${inspection.intent.source}\``));
  });

  it('runs *.handoff.json scenarios from the Test Explorer and places a failure at its expectation', async () => {
    const dir = workspaceDir();
    const failing = path.join(dir, 'wrong-queue.handoff.json');
    const text = JSON.stringify(
      {
        scenarios: [
          {
            name: 'expects the wrong queue',
            conversation: { fixture: { participantData: { 'bot.intent': 'Refund', 'bot.confidence': '0.2' }, messages: [{ from: 'customer', text: 'refund please', at: 3 }] } },
            input: { queue: 'Support' },
            expect: { decision: 'handoff', queue: 'Billing' },
          },
        ],
      },
      null,
      2,
    );
    fs.writeFileSync(failing, text);
    const queueLine = text.split('\n').findIndex((l) => l.includes('"queue": "Billing"'));

    const finished = new Promise<ScenarioRunSummary>((resolve) => {
      const sub = api.onDidFinishScenarioRun((s) => {
        sub.dispose();
        resolve(s);
      });
    });
    await vscode.commands.executeCommand('testing.refreshTests');
    await vscode.commands.executeCommand('testing.runAll');
    const summary = await finished;

    const byName = new Map(summary.results.map((r) => [r.name, r]));
    assert.equal(byName.get('low confidence is handed to Support with the transcript')?.passed, true, JSON.stringify(summary));
    assert.equal(byName.get('high confidence stays with the bot')?.passed, true, JSON.stringify(summary));
    const wrong = byName.get('expects the wrong queue');
    assert.equal(wrong?.passed, false);
    assert.deepEqual(wrong.messages.map((m) => m.path), ['/scenarios/0/expect/queue']);
    assert.equal(wrong.messages[0]!.line, queueLine, 'failure placed on the expectation that failed');
    fs.unlinkSync(failing);
  });

  it('Export Data Actions writes importable JSON into the workspace', async () => {
    await vscode.workspace.getConfiguration('baton').update('bridgeUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    const outDir = path.join(workspaceDir(), 'exported-actions');
    const files = await vscode.commands.executeCommand<string[] | undefined>(Commands.exportDataActions, { format: 'json', outDir });
    assert.ok(files && files.length >= 4, `files: ${JSON.stringify(files)}`);
    const handoff = fs.readdirSync(outDir).find((f) => f.includes('handoff'));
    assert.ok(handoff, 'the handoff action is exported');
    const json = JSON.parse(fs.readFileSync(path.join(outDir, handoff), 'utf8'));
    assert.ok(json.contract?.input?.inputSchema?.properties?.conversationId, 'input contract generated from core');
  });

  it('Test Data Action calls the configured baton.bridgeUrl and reports every step', async () => {
    // The bridge URL points at a closed port: the runtime still validates, renders and reports the failed request.
    const run = await vscode.commands.executeCommand<DataActionRun | undefined>(Commands.testDataAction, {
      actionName: 'Baton - Assess Intent',
      input: { conversationId: '00000000-0000-4000-8000-000000000001', confidence: 0.4 },
    });
    assert.ok(run, 'the command returned the run');
    assert.equal(run.bridge, 'http://127.0.0.1:9');
    assert.equal(run.ok, false, 'nothing listens on the bridge URL');
    assert.ok(run.steps.length >= 2, JSON.stringify(run.steps));
    assert.equal(run.steps[0]!.ok, true, 'input validated against the contract');
    await vscode.workspace.getConfiguration('baton').update('bridgeUrl', undefined, vscode.ConfigurationTarget.Global);
  });

  let inProcessBridge: string | undefined;

  it('Test Data Action on the Sandbox org with no bridge configured runs a generated action through an in-process bridge', async () => {
    assert.equal(vscode.workspace.getConfiguration('baton').get<string>('bridgeUrl'), '', 'no bridge URL configured');
    const conversations = await api.recentConversations();
    const hugo = conversations.find((c) => c.label === 'Hugo High') ?? conversations[0]!;
    const asked = api.testing?.confirmationsAsked().length;

    const run = await vscode.commands.executeCommand<DataActionRun | undefined>(Commands.testDataAction, {
      actionName: 'Baton - Assess Intent',
      input: { conversationId: hugo.id },
    });
    assert.ok(run, 'the command returned the run');
    assert.equal(run.ok, true, JSON.stringify(run, null, 2));
    assert.ok(run.steps.length >= 3 && run.steps.every((s) => s.ok), JSON.stringify(run.steps, null, 2));
    const output = run.output as Record<string, unknown>;
    for (const field of Object.keys(actionContract('assess-intent').output.shape)) {
      assert.ok(field in output, `finalResult has the output contract's "${field}": ${JSON.stringify(output)}`);
    }
    assert.match(run.bridge, /^http:\/\/127\.0\.0\.1:\d+$/, 'a bridge on 127.0.0.1, any port');
    assert.equal(api.testing?.confirmationsAsked().length, asked, 'the sandbox never asks');

    // The same sandbox org as Run Handoff and Inspect: the same intent for the same conversation.
    const inspection = await vscode.commands.executeCommand<ConversationInspection | undefined>(Commands.inspectConversation, { conversationId: hugo.id });
    assert.equal(output.intent, inspection?.intent.intent);
    assert.equal(output.source, inspection?.intent.source);

    // The bridge is behind its dev API key, which appears nowhere in the run.
    const anonymous = await fetch(`${run.bridge}/v1/actions/assess-intent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: hugo.id }),
    });
    assert.equal(anonymous.status, 401);
    assert.ok(!/dev-[A-Za-z0-9_-]{32}/.test(JSON.stringify(run)), 'no API key in the run');
    inProcessBridge = run.bridge;
  });

  describe('an org profile with a baseUrl (a standalone sandbox, as a real org)', () => {
    const orgName = 'Standalone';
    let standalone: Sandbox;

    before(async () => {
      assert.ok(api.testing, 'the test seam exists in ExtensionMode.Test');
      standalone = await createSandbox({ port: 0, host: '127.0.0.1' });
      const profile = { name: orgName, region: 'us_east_1', clientId: standalone.clientId, baseUrl: standalone.url };
      await vscode.workspace.getConfiguration('baton').update('orgs', [profile], vscode.ConfigurationTarget.Global);
      assert.equal(await vscode.commands.executeCommand(Commands.setOrgSecret, { name: orgName, clientSecret: standalone.clientSecret }), true);
      assert.equal(await api.orgSecretStored(orgName), true);
      assert.equal(await vscode.commands.executeCommand(Commands.switchOrg, orgName), orgName);
    });

    after(async () => {
      await vscode.commands.executeCommand(Commands.removeOrg, orgName);
      assert.equal(api.activeOrg(), 'Sandbox');
      await standalone?.close();
    });

    it('switching away from the Sandbox org stopped its in-process bridge', async () => {
      assert.ok(inProcessBridge, 'the in-process bridge ran');
      await assert.rejects(fetch(`${inProcessBridge}/healthz`), 'nothing listens any more');
    });

    it('Run Handoff in api mode asks first; declining writes nothing', async () => {
      const conversationId = standalone.scenarios.lowConfidence;
      const queue = standalone.queues[0]!;
      const attributesBefore = { ...standalone.org.customerAttributes(conversationId) };
      const transfersBefore = standalone.org.transfers.length;
      const historyBefore = api.history().length;
      const asked = api.testing!.confirmationsAsked().length;

      api.testing!.answerNextConfirmation(false);
      const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.runHandoff, { conversationId, queueId: queue.id, mode: 'api' });

      const questions = api.testing!.confirmationsAsked();
      assert.equal(questions.length, asked + 1, 'one confirmation asked');
      assert.match(questions.at(-1)!, /org "Standalone"/);
      assert.match(questions.at(-1)!, /transfer/);
      assert.equal(entry, undefined, 'nothing ran');
      assert.equal(standalone.org.transfers.length, transfersBefore, 'no transfer');
      assert.deepEqual(standalone.org.customerAttributes(conversationId), attributesBefore, 'no participant data written');
      assert.equal(api.history().length, historyBefore);
    });

    it('running scenarios from the Test Explorer on a real org asks first; declining skips them and writes nothing', async () => {
      const asked = api.testing!.confirmationsAsked().length;
      const transfersBefore = standalone.org.transfers.length;
      const conversationsBefore = standalone.org.listConversations().length;
      const finished = new Promise<ScenarioRunSummary>((resolve) => {
        const sub = api.onDidFinishScenarioRun((s) => {
          sub.dispose();
          resolve(s);
        });
      });
      api.testing!.answerNextConfirmation(false);
      await vscode.commands.executeCommand('testing.runAll');
      const summary = await finished;

      const questions = api.testing!.confirmationsAsked();
      assert.equal(questions.length, asked + 1, 'one confirmation for the whole run');
      assert.match(questions.at(-1)!, /org "Standalone"/);
      assert.equal(summary.results.length, 0, `no scenario ran: ${JSON.stringify(summary)}`);
      assert.equal(standalone.org.transfers.length, transfersBefore);
      assert.equal(standalone.org.listConversations().length, conversationsBefore);
    });

    it('Run Handoff in api mode, accepted, transfers on the org at the profile baseUrl', async () => {
      const conversationId = standalone.scenarios.lowConfidence;
      const queue = standalone.queues[0]!;
      const attributesBefore = { ...standalone.org.customerAttributes(conversationId) };

      api.testing!.answerNextConfirmation(true);
      const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.runHandoff, { conversationId, queueId: queue.id, mode: 'api' });

      assert.ok(entry?.output, 'the handoff ran');
      assert.equal(entry.org, orgName);
      assert.equal(entry.output.transferred, true, JSON.stringify(entry.output));
      assert.deepEqual(
        standalone.org.transfers.filter((t) => t.conversationId === conversationId).map((t) => t.queueId),
        [queue.id],
        'transferred to the queue on the standalone sandbox',
      );
      assert.notDeepEqual(standalone.org.customerAttributes(conversationId), attributesBefore, "the agent's context was written");
      // A real org profile's client captures bodies too: the trace shows the attributes sent and the transfer requested.
      const patch = entry.trace.calls.find((c) => c.route === 'patchConversationsMessageParticipantAttributes');
      assert.ok(patch && AGENT_CONTEXT_KEYS.handoffId in ((patch.requestBody as { attributes?: object } | undefined)?.attributes ?? {}), JSON.stringify(patch));
      const transfer = entry.trace.calls.find((c) => c.route === 'postConversationParticipantReplaceQueue');
      assert.equal((transfer?.requestBody as { queueId?: string } | undefined)?.queueId, queue.id, JSON.stringify(transfer));
      assert.ok(!JSON.stringify(api.history()).includes(standalone.clientSecret), 'the client secret is not in the history');
    });
  });
});
