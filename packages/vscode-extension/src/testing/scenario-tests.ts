import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { parseScenarioFile, runScenario, type Scenario, type ScenarioResult } from '@baton/core';
import { Settings, TestControllerId } from '../ids.js';
import { locateJsonPointer, positionAt } from '../model/json-locate.js';
import { activeOrgName } from '../model/org-profile.js';
import type { CommandContext } from '../commands/context.js';
import { confirmWrite } from '../commands/confirm-write.js';

/** What a finished Test Explorer run looked like; exposed on the extension API for the e2e tests. */
export interface ScenarioRunSummary {
  org: string;
  results: { id: string; name: string; passed: boolean; messages: { path: string; line: number; message: string }[] }[];
}

interface ScenarioData {
  uri: vscode.Uri;
  index: number;
  scenario: Scenario;
}

/**
 * `*.handoff.json` files in the Test Explorer: one item per file, one child per scenario, run
 * against the active org with core's runner (the same one `baton test` uses), failures placed at
 * the expectation's JSON pointer.
 */
export class ScenarioTests implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController(TestControllerId, 'Baton handoff scenarios');
  private readonly scenarios = new WeakMap<vscode.TestItem, ScenarioData>();
  private readonly disposables: vscode.Disposable[] = [this.controller];
  private readonly finished = new vscode.EventEmitter<ScenarioRunSummary>();
  readonly onDidFinishRun = this.finished.event;
  lastRun: ScenarioRunSummary | undefined;

  constructor(private readonly ctx: CommandContext) {
    this.disposables.push(this.finished);
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
      else await this.loadFile(item.uri!);
    };
    this.controller.refreshHandler = () => this.discoverAll();
    this.controller.createRunProfile('Run against the active org', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(this.glob());
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.loadFile(uri)),
      watcher.onDidChange((uri) => this.loadFile(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
    );
  }

  private glob(): string {
    return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.scenarioGlob) || '**/*.handoff.json';
  }

  async discoverAll(): Promise<void> {
    const files = await vscode.workspace.findFiles(this.glob(), '**/node_modules/**');
    for (const uri of files) await this.loadFile(uri);
  }

  /** (Re)reads one file; a file that does not parse shows its error on the file item. */
  async loadFile(uri: vscode.Uri): Promise<vscode.TestItem> {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const file = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    this.controller.items.add(file);
    const parsed = parseScenarioFile(text);
    if ('error' in parsed) {
      file.error = parsed.error.message;
      file.range = rangeAt(text, parsed.error.path);
      file.children.replace([]);
      return file;
    }
    file.error = undefined;
    file.children.replace(
      parsed.file.scenarios.map((scenario, index) => {
        const item = this.controller.createTestItem(`${uri.toString()}#/scenarios/${index}`, scenario.name, uri);
        item.range = rangeAt(text, `/scenarios/${index}`);
        this.scenarios.set(item, { uri, index, scenario });
        return item;
      }),
    );
    return file;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const queue: vscode.TestItem[] = [];
    const collect = (item: vscode.TestItem): void => {
      if (request.exclude?.includes(item)) return;
      if (this.scenarios.has(item)) queue.push(item);
      else item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else {
      await this.discoverAll();
      this.controller.items.forEach(collect);
    }
    queue.forEach((item) => run.enqueued(item));

    const org = this.ctx.orgs.active();
    const summary: ScenarioRunSummary = { org: activeOrgName(org), results: [] };
    // A scenario runs a real handoff: on a real org it writes participant data (and transfers in api
    // mode). Ask once per run, before anything is sent; declining skips every scenario.
    const what = `Running ${queue.length} scenario${queue.length === 1 ? '' : 's'} (agent context and transfer)`;
    if (queue.length > 0 && !(await confirmWrite(this.ctx.askWrite, org, what))) {
      queue.forEach((item) => run.skipped(item));
      run.end();
      this.lastRun = summary;
      this.finished.fire(summary);
      return;
    }
    try {
      const backend = await this.ctx.orgs.backend();
      const queues = await backend.queues();
      for (const item of queue) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        const data = this.scenarios.get(item)!;
        run.started(item);
        const result = await runScenario(data.scenario, {
          service: backend,
          queues,
          pointer: `/scenarios/${data.index}`,
          ...(backend.seedConversation ? { seedConversation: backend.seedConversation } : {}),
        });
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(data.uri));
        await this.report(run, item, data, result, text, summary);
        if (result.trace) {
          await this.ctx.history.add(
            { id: randomUUID(), org: summary.org, ranAt: new Date(this.ctx.now()).toISOString(), source: 'scenario', label: data.scenario.name, trace: result.trace, ...(result.output ? { output: result.output } : {}) },
            backend.secrets(),
          );
        }
      }
    } catch (error) {
      // The org could not be reached at all: every scenario still waiting fails with that reason.
      const message = new vscode.TestMessage(`Baton: ${error instanceof Error ? error.message : String(error)}`);
      for (const item of queue) if (!summary.results.some((r) => r.id === item.id)) run.errored(item, message);
      this.ctx.log.error('scenario run failed', { message: message.message });
    } finally {
      run.end();
      this.lastRun = summary;
      this.finished.fire(summary);
    }
  }

  private async report(
    run: vscode.TestRun,
    item: vscode.TestItem,
    data: ScenarioData,
    result: ScenarioResult,
    text: string,
    summary: ScenarioRunSummary,
  ): Promise<void> {
    const failed = result.expectations.filter((e) => !e.passed);
    for (const e of result.expectations) run.appendOutput(`${e.passed ? '✓' : '✗'} ${e.message}\r\n`, undefined, item);
    const messages = failed.map((e) => {
      const range = rangeAt(text, e.path);
      const message =
        typeof e.expected === 'string' || typeof e.expected === 'number' || typeof e.expected === 'boolean'
          ? vscode.TestMessage.diff(e.message, String(e.expected), String(e.actual ?? ''))
          : new vscode.TestMessage(e.message);
      message.location = new vscode.Location(data.uri, range);
      return { message, path: e.path, line: range.start.line };
    });
    if (failed.length === 0) run.passed(item, result.durationMs);
    else run.failed(item, messages.map((m) => m.message), result.durationMs);
    summary.results.push({
      id: item.id,
      name: result.name,
      passed: result.passed,
      messages: messages.map((m) => ({ path: m.path, line: m.line, message: m.message.message.toString() })),
    });
    this.ctx.log.log(result.passed ? 'info' : 'warn', 'scenario finished', {
      scenario: result.name,
      passed: result.passed,
      apiCalls: result.apiCalls,
      failures: failed.map((e) => `${e.path}: ${e.message}`),
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function rangeAt(text: string, pointer: string): vscode.Range {
  const span = locateJsonPointer(text, pointer);
  const start = positionAt(text, span.offset);
  const end = positionAt(text, span.offset + span.length);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}
