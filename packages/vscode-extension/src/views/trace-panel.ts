import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { TraceViewType } from '../ids.js';
import type { HistoryEntry } from '../model/history.js';
import { renderTraceHtml } from '../model/trace-html.js';

/** One webview per run (opening a run again reveals it). Scripts are on, but only the nonce'd one runs. */
export class TracePanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  open(entry: HistoryEntry): vscode.WebviewPanel {
    const existing = this.panels.get(entry.id);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const title = `Handoff ${entry.trace.status} · ${entry.trace.conversationId.slice(0, 8)}`;
    const panel = vscode.window.createWebviewPanel(TraceViewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.webview.html = renderTraceHtml(entry.trace, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: panel.webview.cspSource,
      org: entry.org,
      title,
    });
    this.panels.set(entry.id, panel);
    panel.onDidDispose(() => this.panels.delete(entry.id));
    return panel;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.panels.clear();
  }
}
