import * as vscode from 'vscode';
import type { StepTrace, UpstreamCall } from '@baton/core';
import { Commands } from '../ids.js';
import type { HistoryEntry, HistoryStore } from '../model/history.js';

export type HandoffNode =
  | { kind: 'run'; entry: HistoryEntry }
  | { kind: 'step'; entry: HistoryEntry; step: StepTrace }
  | { kind: 'call'; call: UpstreamCall };

/** The Handoffs view: runs (newest first) → steps → upstream calls. Reads the history; shows nothing itself. */
export class HandoffsTreeProvider implements vscode.TreeDataProvider<HandoffNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HandoffNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly history: HistoryStore) {
    this.subscription = history.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: HandoffNode): HandoffNode[] {
    if (!node) return this.history.list().map((entry) => ({ kind: 'run', entry }));
    if (node.kind === 'run') return node.entry.trace.steps.map((step) => ({ kind: 'step', entry: node.entry, step }));
    if (node.kind === 'step') return node.step.calls.map((call) => ({ kind: 'call', call }));
    return [];
  }

  getTreeItem(node: HandoffNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${entry.id}`;
        item.description = `${entry.trace.status} · ${Math.round(entry.trace.durationMs)} ms · ${entry.trace.calls.length} calls · ${entry.org}`;
        item.tooltip = `${entry.source === 'scenario' ? 'Scenario' : 'Run'} at ${entry.ranAt}\nconversation ${entry.trace.conversationId}\nhandoff ${entry.trace.handoffId}`;
        item.iconPath = new vscode.ThemeIcon(entry.trace.status === 'failed' ? 'error' : entry.source === 'scenario' ? 'beaker' : 'arrow-swap');
        item.contextValue = 'batonRun';
        item.command = { command: Commands.openTrace, title: 'Open Trace', arguments: [entry.id] };
        return item;
      }
      case 'step': {
        const { step } = node;
        const item = new vscode.TreeItem(
          step.step,
          step.calls.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `step:${node.entry.id}:${step.step}`;
        item.description = `${step.outcome} · ${Math.round(step.durationMs)} ms · ${step.calls.length} calls`;
        item.tooltip = step.summary;
        item.iconPath = new vscode.ThemeIcon(step.outcome === 'failed' ? 'error' : step.outcome === 'skipped' ? 'circle-slash' : 'pass');
        return item;
      }
      case 'call': {
        const { call } = node;
        const item = new vscode.TreeItem(`${call.method} ${call.path}`, vscode.TreeItemCollapsibleState.None);
        item.description = `${call.status} · ${Math.round(call.durationMs)} ms${call.retries > 0 ? ` · ${call.retries} retries` : ''}`;
        item.tooltip = [call.route, call.contextId ? `contextId ${call.contextId}` : '', call.error ?? ''].filter(Boolean).join('\n');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
