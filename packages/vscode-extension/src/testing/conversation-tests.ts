import * as vscode from 'vscode';
import type { ConversationScenario } from '@baton/core';
import type { ConversationScenarioResult } from '@baton/bridge/conversations';
import { ConversationsNotSupportedError, preflightConversations, runConversationOn } from '../backend/conversation-run.js';
import { MissingDeploymentError } from '../backend/org-backend.js';
import type { CommandContext } from '../commands/context.js';
import { ConversationTestControllerId, Settings } from '../ids.js';
import { DEFAULT_CONVERSATION_GLOB, failureText, parseConversationFile, stepLabel, stepStates, type StepState } from '../model/conversation-steps.js';
import { activeOrgName } from '../model/org-profile.js';

export type ConversationTestState = StepState | 'errored';

/** One scenario of a finished Test Explorer run; exposed on the extension API for the e2e tests. */
export interface ConversationRunResult {
  id: string;
  name: string;
  /** 0-based, as VS Code's ranges. */
  line: number;
  state: ConversationTestState;
  steps: { id: string; label: string; line: number; state: ConversationTestState }[];
  failure?: { line: number; expected: string; actual: string; message: string };
  transcript: readonly string[];
  /** Why the scenario could not run at all (an errored item). */
  error?: string;
  /** The run was cancelled while this scenario ran: its unfinished steps are skipped, not failed. */
  cancelled?: true;
}

export interface ConversationRunSummary {
  org: string;
  results: ConversationRunResult[];
  /** Why no scenario could run (the org failed its preflight, or the Sandbox org did not start): shown once. */
  error?: string;
}

/** The Test Explorer's tree of conversation items (file → scenario → step), for the e2e tests. */
export interface ConversationTestNode {
  id: string;
  label: string;
  /** 0-based; undefined for a file item without an error. */
  line?: number;
  error?: string;
  children: ConversationTestNode[];
}

interface ScenarioData {
  scenario: ConversationScenario;
  steps: vscode.TestItem[];
}

/**
 * `*.conversation.yaml` files in the Test Explorer: file → scenario → one child per step, run on
 * the Sandbox org's conversation loop with the runner `baton test` uses. A failure is placed at its
 * step with expected vs actual and the transcript; the steps after it are skipped.
 */
export class ConversationTests implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController(ConversationTestControllerId, 'Baton conversation scenarios');
  private readonly scenarios = new WeakMap<vscode.TestItem, ScenarioData>();
  private readonly disposables: vscode.Disposable[] = [this.controller];
  private readonly finished = new vscode.EventEmitter<ConversationRunSummary>();
  private watcher: vscode.Disposable | undefined;
  /** Runs one after another: two runs driving the same sandbox would only slow each other down. */
  private running: Promise<void> = Promise.resolve();
  readonly onDidFinishRun = this.finished.event;
  lastRun: ConversationRunSummary | undefined;
  /** The id of the scenario running now (for the e2e tests: cancel it mid-run). */
  runningScenario: string | undefined;

  constructor(private readonly ctx: CommandContext) {
    this.disposables.push(this.finished);
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
      else if (item.uri) await this.loadFile(item.uri);
    };
    this.controller.refreshHandler = () => this.discoverAll();
    this.controller.createRunProfile('Run on the Sandbox org', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`${Settings.section}.${Settings.conversationGlob}`)) return;
        this.watch();
        this.controller.items.replace([]);
        void this.discoverAll();
      }),
    );
  }

  static glob(): string {
    return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.conversationGlob) || DEFAULT_CONVERSATION_GLOB;
  }

  private watch(): void {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(ConversationTests.glob());
    const subs = [
      watcher.onDidCreate((uri) => this.loadFile(uri)),
      watcher.onDidChange((uri) => this.loadFile(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
    ];
    this.watcher = vscode.Disposable.from(watcher, ...subs);
  }

  async discoverAll(): Promise<void> {
    const files = await vscode.workspace.findFiles(ConversationTests.glob(), '**/node_modules/**');
    for (const uri of files) await this.loadFile(uri);
  }

  /** (Re)reads one file; a file that does not parse shows its problem on the file item, at its line. */
  async loadFile(uri: vscode.Uri): Promise<vscode.TestItem> {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const file = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    this.controller.items.add(file);
    const parsed = parseConversationFile(vscode.workspace.asRelativePath(uri), text);
    if ('problem' in parsed) {
      file.error = parsed.problem.message;
      file.range = lineRange(parsed.problem.line);
      file.children.replace([]);
      return file;
    }
    file.error = undefined;
    file.range = undefined;
    file.children.replace(
      parsed.scenarios.map((scenario) => {
        const id = `${uri.toString()}#${scenario.name}`;
        const item = this.controller.createTestItem(id, scenario.name, uri);
        item.range = lineRange(scenario.line);
        const steps = scenario.steps.map(({ step, line }, i) => {
          const child = this.controller.createTestItem(`${id}/${i}`, stepLabel(step), uri);
          child.range = lineRange(line);
          return child;
        });
        item.children.replace(steps);
        this.scenarios.set(item, { scenario, steps });
        return item;
      }),
    );
    return file;
  }

  /** The items as the Test Explorer shows them. */
  nodes(): ConversationTestNode[] {
    const nodeOf = (item: vscode.TestItem): ConversationTestNode => {
      const children: ConversationTestNode[] = [];
      item.children.forEach((c) => void children.push(nodeOf(c)));
      return {
        id: item.id,
        label: item.label,
        ...(item.range ? { line: item.range.start.line } : {}),
        ...(item.error !== undefined ? { error: typeof item.error === 'string' ? item.error : item.error.value } : {}),
        children,
      };
    };
    const out: ConversationTestNode[] = [];
    this.controller.items.forEach((item) => void out.push(nodeOf(item)));
    return out;
  }

  private run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const next = this.running.then(() => this.runNow(request, token));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** The scenarios a request names: a file runs its scenarios, a step runs its whole scenario. */
  private async scenariosOf(request: vscode.TestRunRequest): Promise<vscode.TestItem[]> {
    const picked = new Set<vscode.TestItem>();
    const collect = (item: vscode.TestItem): void => {
      if (request.exclude?.includes(item)) return;
      if (this.scenarios.has(item)) picked.add(item);
      else if (item.parent && this.scenarios.has(item.parent)) picked.add(item.parent);
      else item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else {
      await this.discoverAll();
      this.controller.items.forEach(collect);
    }
    return [...picked];
  }

  private async runNow(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const queue = await this.scenariosOf(request);
    for (const item of queue) {
      run.enqueued(item);
      this.scenarios.get(item)!.steps.forEach((s) => run.enqueued(s));
    }
    const org = this.ctx.orgs.active();
    const summary: ConversationRunSummary = { org: activeOrgName(org), results: [] };
    try {
      // The Sandbox org's loop, or a real org's Messenger deployment (its profile's deploymentId).
      const backend = queue.length > 0 ? await this.ctx.orgs.backend() : undefined;
      // A real org is checked once, as `baton test` does: a refused deployment or credentials is
      // one error naming the setting, not a timeout per scenario.
      if (backend) await preflightConversations(backend);
      for (const item of queue) {
        const data = this.scenarios.get(item)!;
        if (token.isCancellationRequested) {
          this.skip(run, item, data, summary);
          continue;
        }
        run.started(item);
        // Cancel reaches the running scenario too, not only the ones after it.
        const abort = new AbortController();
        const onCancel = token.onCancellationRequested(() => abort.abort());
        this.runningScenario = item.id;
        try {
          if (!backend) throw new ConversationsNotSupportedError(summary.org);
          const result = await runConversationOn(backend, data.scenario, this.ctx.now, abort.signal);
          this.report(run, item, data, result, summary);
        } catch (error) {
          this.errored(run, item, data, error, summary);
        } finally {
          onCancel.dispose();
          this.runningScenario = undefined;
        }
      }
    } catch (error) {
      // The org failed its preflight or the Sandbox org did not start: said once, and every
      // scenario still waiting errors with that reason.
      summary.error = `Baton: ${errorText(error)}`;
      void vscode.window.showErrorMessage(`${summary.error}`);
      this.ctx.log.error('conversation scenarios could not run', { org: summary.org, message: summary.error });
      for (const item of queue) {
        if (!summary.results.some((r) => r.id === item.id)) this.errored(run, item, this.scenarios.get(item)!, error, summary, { logged: true });
      }
    } finally {
      run.end();
      this.lastRun = summary;
      this.finished.fire(summary);
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, data: ScenarioData, result: ConversationScenarioResult, summary: ConversationRunSummary): void {
    const states = stepStates(data.steps.length, result.failure, result.skipped);
    const failure = result.failure;
    const uri = item.uri!;
    let message: vscode.TestMessage | undefined;
    if (failure) {
      message = vscode.TestMessage.diff(failureText(failure, result.transcript), failure.expected, failure.actual);
      message.location = new vscode.Location(uri, lineRange(failure.line));
    }
    data.steps.forEach((step, i) => {
      const state = states[i]!;
      if (state === 'passed') run.passed(step);
      else if (state === 'skipped') run.skipped(step);
      else run.failed(step, message!);
    });
    // Steps the runner could not check make the scenario not a pass (as `baton test` reports it).
    const state: ConversationTestState = message ? 'failed' : result.skipped.length > 0 ? 'skipped' : 'passed';
    if (message) run.failed(item, message, result.durationMs);
    else if (state === 'skipped') run.skipped(item);
    else run.passed(item, result.durationMs);

    const location = new vscode.Location(uri, lineRange(failure?.line ?? result.line));
    const lines = [
      `${result.cancelled ? '⊘' : result.passed ? '✓' : '✗'} ${result.name} (${result.durationMs} ms${result.cancelled ? ', cancelled' : ''})`,
      ...result.skipped.map((k) => `step ${k.index + 1} not checked: ${k.reason}`),
      ...(failure ? failureText(failure, result.transcript).split('\n') : ['transcript:', ...result.transcript.map((t) => `  ${t}`)]),
    ];
    run.appendOutput(`${lines.join('\r\n')}\r\n`, location, item);

    summary.results.push({
      id: item.id,
      name: result.name,
      line: item.range?.start.line ?? 0,
      state,
      steps: data.steps.map((s, i) => ({ id: s.id, label: s.label, line: s.range?.start.line ?? 0, state: states[i]! })),
      ...(failure && message
        ? { failure: { line: failure.line - 1, expected: failure.expected, actual: failure.actual, message: String(message.message) } }
        : {}),
      transcript: result.transcript,
      ...(result.cancelled && { cancelled: true as const }),
    });
    this.ctx.log.log(result.passed ? 'info' : 'warn', 'conversation scenario finished', {
      scenario: result.name,
      passed: result.passed,
      skipped: result.skipped.length,
      durationMs: result.durationMs,
      ...(failure ? { failedStep: failure.index + 1, expected: failure.expected, actual: failure.actual } : {}),
    });
  }

  private errored(run: vscode.TestRun, item: vscode.TestItem, data: ScenarioData, error: unknown, summary: ConversationRunSummary, options: { logged?: boolean } = {}): void {
    const text = `Baton: ${errorText(error)}`;
    const message = new vscode.TestMessage(text);
    message.location = new vscode.Location(item.uri!, item.range ?? lineRange(1));
    run.errored(item, message);
    this.notRun(run, item, data, summary, { state: 'errored', error: text });
    if (!options.logged && !(error instanceof ConversationsNotSupportedError) && !(error instanceof MissingDeploymentError)) this.ctx.log.error('conversation scenario could not run', { scenario: data.scenario.name, message: text });
  }

  private skip(run: vscode.TestRun, item: vscode.TestItem, data: ScenarioData, summary: ConversationRunSummary): void {
    run.skipped(item);
    this.notRun(run, item, data, summary, { state: 'skipped' });
  }

  /** A scenario that did not run: every step skipped, in the run and in the summary. */
  private notRun(
    run: vscode.TestRun,
    item: vscode.TestItem,
    data: ScenarioData,
    summary: ConversationRunSummary,
    outcome: { state: 'errored'; error: string } | { state: 'skipped' },
  ): void {
    data.steps.forEach((s) => run.skipped(s));
    summary.results.push({
      id: item.id,
      name: data.scenario.name,
      line: item.range?.start.line ?? 0,
      steps: data.steps.map((s) => ({ id: s.id, label: s.label, line: s.range?.start.line ?? 0, state: 'skipped' })),
      transcript: [],
      ...outcome,
    });
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The start of a line, from core's 1-based line number (VS Code's are 0-based). */
function lineRange(line: number): vscode.Range {
  const l = Math.max(0, line - 1);
  return new vscode.Range(l, 0, l, 0);
}
