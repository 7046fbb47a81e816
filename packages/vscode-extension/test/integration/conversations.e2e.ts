// Conversation scenarios (*.conversation.yaml) in a real VS Code: Test Explorer items, runs on the
// Sandbox org's conversation loop, diagnostics and completion. Runs inside the extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from '../../src/extension';
import type { ConversationRunSummary, ConversationTestNode } from '../../src/testing/conversation-tests';
import { Commands, ConversationTestControllerId, ExtensionId } from '../../src/ids';
import { cancelRunningScenario, startTestRun, waitFor, WAITS_LONG_SCENARIO } from './workbench-tests';

const PASSING = 'order-status.conversation.yaml';
const FAILING = 'wrong-reply.conversation.yaml';

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return folder.uri.fsPath;
}

/** 0-based line of the first line of the file containing `text`. */
function lineOf(file: string, text: string): number {
  const line = fs.readFileSync(path.join(workspaceDir(), file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${file} contains ${text}`);
  return line;
}

describe('conversation scenarios (*.conversation.yaml) in a real VS Code', function () {
  let api: BatonApi;
  const fileNode = (name: string) => api.conversationTestItems().find((n) => n.label === name);

  /**
   * Runs the given Test Explorer items through the workbench (as the Run button does) and returns the
   * summary of that run: the first finished after the request that has every expected scenario.
   */
  async function runItems(ids: string[], scenarioIds: string[]): Promise<ConversationRunSummary> {
    const finished: ConversationRunSummary[] = [];
    const sub = api.onDidFinishConversationRun((s) => void finished.push(s));
    try {
      // The workbench's test ids are the item's path from its controller, joined by NUL.
      const extIds = ids.map((id) => [ConversationTestControllerId, ...pathTo(id)].join('\0'));
      await (await startTestRun(extIds, () => finished.length > 0 || api.runningConversationScenario() !== undefined)).ended;
      return await waitFor(
        () => `a run of ${scenarioIds.join(', ')}; runs finished meanwhile: ${JSON.stringify(finished)}; last: ${JSON.stringify(api.lastConversationRun())}`,
        () => finished.find((s) => s.results.length === scenarioIds.length && scenarioIds.every((id) => s.results.some((r) => r.id === id))),
        60_000,
      );
    } finally {
      sub.dispose();
    }
  }
  function pathTo(id: string): string[] {
    const find = (nodes: ConversationTestNode[], trail: string[]): string[] | undefined => {
      for (const n of nodes) {
        if (n.id === id) return [...trail, n.id];
        const found = find(n.children, [...trail, n.id]);
        if (found) return found;
      }
      return undefined;
    };
    const found = find(api.conversationTestItems(), []);
    assert.ok(found, `item ${id} is in the Test Explorer`);
    return found;
  }

  before(async () => {
    const ext = vscode.extensions.getExtension<BatonApi>(ExtensionId);
    assert.ok(ext, `${ExtensionId} is installed`);
    api = await ext.activate();
    if (api.activeOrg() !== 'Sandbox') await vscode.commands.executeCommand(Commands.switchOrg, 'Sandbox');
    await vscode.commands.executeCommand('testing.refreshTests');
  });

  it('ships the JSON Schema it contributes for *.conversation.yaml (yamlValidation) in the .vsix', () => {
    const ext = vscode.extensions.getExtension(ExtensionId)!;
    const entry = (ext.packageJSON.contributes.yamlValidation as { fileMatch: string; url: string }[]).find((v) => v.fileMatch === '*.conversation.yaml');
    assert.ok(entry);
    const schema = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, entry.url), 'utf8'));
    assert.ok(schema.properties?.steps, 'the installed schema describes the steps');
  });

  it('shows each file, its scenario and one child per step, at their lines', async () => {
    const file = await waitFor('the passing file in the Test Explorer', () => fileNode(PASSING));
    assert.equal(file.error, undefined);
    assert.equal(file.children.length, 1);
    const scenario = file.children[0]!;
    assert.equal(scenario.label, 'The bot answers an order status itself');
    assert.equal(scenario.line, lineOf(PASSING, 'name:'));
    assert.deepEqual(
      scenario.children.map((s) => [s.label, s.line]),
      [
        ['say "where is my order 5551234"', lineOf(PASSING, '- say:')],
        ['expectBot contains "Hi! I am the support bot"', lineOf(PASSING, 'Hi! I am')],
        ['expectBot contains "Order 5551234 is on its way"', lineOf(PASSING, 'on its way')],
      ],
    );
    const failing = await waitFor('the failing file in the Test Explorer', () => fileNode(FAILING));
    assert.equal(failing.children[0]?.children.length, 3);
  });

  it('runs a passing and a failing scenario on the Sandbox org: steps passed / failed / skipped, the failure at its step with expected, actual and transcript', async function () {
    this.timeout(90_000);
    const passing = fileNode(PASSING)!;
    const failing = fileNode(FAILING)!;
    const summary = await runItems([passing.id, failing.id], [passing.children[0]!.id, failing.children[0]!.id]);
    assert.equal(summary.org, 'Sandbox');

    const ok = summary.results.find((r) => r.id === passing.children[0]!.id);
    assert.equal(ok?.state, 'passed', JSON.stringify(ok, null, 2));
    assert.deepEqual(ok.steps.map((s) => s.state), ['passed', 'passed', 'passed']);
    assert.ok(ok.transcript.some((t) => t === 'bot: Order 5551234 is on its way' || /^bot: .*on its way/.test(t)), JSON.stringify(ok.transcript));

    const bad = summary.results.find((r) => r.id === failing.children[0]!.id);
    assert.equal(bad?.state, 'failed', JSON.stringify(bad, null, 2));
    assert.deepEqual(bad.steps.map((s) => s.state), ['passed', 'failed', 'skipped']);
    assert.ok(bad.failure);
    assert.equal(bad.failure.line, lineOf(FAILING, 'Your parcel was lost'), 'the failure points at the step that failed');
    assert.match(bad.failure.expected, /Your parcel was lost/);
    assert.match(bad.failure.actual, /on its way/, 'what the bot said instead');
    assert.ok(bad.transcript.includes('customer: where is my order 5551234'), JSON.stringify(bad.transcript));
    assert.match(bad.failure.message, /transcript:\n {2}customer: where is my order 5551234/);
    assert.equal(api.lastConversationRun(), summary, 'the API exposes the finished run');
  });

  it('running a single step runs its whole scenario', async function () {
    this.timeout(60_000);
    const scenario = fileNode(PASSING)!.children[0]!;
    const summary = await runItems([scenario.children[1]!.id], [scenario.id]);
    assert.deepEqual(summary.results.map((r) => [r.id, r.state]), [[scenario.id, 'passed']]);
  });

  it('cancelling a run stops the scenario that is running: its unfinished steps are skipped (cancelled), not failed, long before their timeout', async function () {
    this.timeout(60_000);
    const name = 'waits-long.conversation.yaml';
    const file = path.join(workspaceDir(), name);
    fs.writeFileSync(file, WAITS_LONG_SCENARIO);
    try {
      await vscode.commands.executeCommand('testing.refreshTests');
      const node = await waitFor('the file in the Test Explorer', () => (fileNode(name)?.children[0]?.children.length === 2 ? fileNode(name) : undefined));
      await cancelRunningScenario(api, node.id, node.children[0]!.id);
    } finally {
      fs.unlinkSync(file);
    }
  });

  it('on a real org without a deploymentId, reports the setting to add on the item instead of running', async () => {
    await vscode.commands.executeCommand(Commands.addOrg, { name: 'Conv Org', region: 'us_east_1', clientId: 'conv-client', clientSecret: `e2e-secret-conv-${Date.now()}` });
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.switchOrg, 'Conv Org'), 'Conv Org');
      const scenario = fileNode(PASSING)!.children[0]!;
      const summary = await runItems([scenario.id], [scenario.id]);
      assert.equal(summary.org, 'Conv Org');
      assert.equal(summary.results[0]?.state, 'errored');
      assert.match(summary.results[0]!.error!, /no "deploymentId" in the baton\.orgs setting/);
    } finally {
      await vscode.commands.executeCommand(Commands.removeOrg, 'Conv Org');
    }
    assert.equal(api.activeOrg(), 'Sandbox');
  });

  it('marks a broken file at its line (diagnostic and the file item), offers step keys, and clears both once fixed', async function () {
    this.timeout(30_000);
    const file = path.join(workspaceDir(), 'broken.conversation.yaml');
    const good = 'name: fixed\nsteps:\n  - say: hi\n  - expectBot: { contains: hello }\n';
    fs.writeFileSync(file, good.replace('expectBot', 'expectBott'));
    const uri = vscode.Uri.file(file);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const [diagnostic] = await waitFor('a diagnostic on the broken file', () => {
        const ds = vscode.languages.getDiagnostics(uri);
        return ds.length > 0 ? ds : undefined;
      });
      assert.equal(diagnostic!.range.start.line, 3, 'on the unknown step');
      assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic!.source, 'baton');
      const item = await waitFor('the parse error on the file item', () => fileNode('broken.conversation.yaml')?.error !== undefined ? fileNode('broken.conversation.yaml') : undefined);
      assert.equal(item.line, 3);

      // Completion at the start of a new step offers the step kinds of the schema.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(4, 0), '  - ');
      await vscode.workspace.applyEdit(edit);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(4, 4));
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const key of ['say', 'expectBot', 'expectHandoff', 'expectParticipantData', 'agentSays']) assert.ok(labels.includes(key), `${key} offered: ${labels.join(', ')}`);

      // Fix the file in the editor and save: the diagnostic and the item's error go away.
      const fix = new vscode.WorkspaceEdit();
      fix.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), good);
      await vscode.workspace.applyEdit(fix);
      await doc.save();
      await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(uri).length === 0 ? true : undefined));
      const fixed = await waitFor('the file item without error', () => {
        const n = fileNode('broken.conversation.yaml');
        return n && n.error === undefined && n.children.length === 1 ? n : undefined;
      });
      assert.equal(fixed.children[0]!.label, 'fixed');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.unlinkSync(file);
    }
  });
});
