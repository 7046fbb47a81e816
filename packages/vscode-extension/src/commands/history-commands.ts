import * as vscode from 'vscode';
import { Commands } from '../ids.js';
import type { CommandContext } from './context.js';
import type { HandoffsTreeProvider } from '../views/handoffs-tree.js';

export function registerHistoryCommands(ctx: CommandContext, tree: HandoffsTreeProvider): vscode.Disposable[] {
  return [
    // Returns the rendered document so tests (and other extensions) can check what the webview shows.
    vscode.commands.registerCommand(Commands.openTrace, (id?: string) => {
      const entry = id === undefined ? ctx.history.list()[0] : ctx.history.get(id);
      if (!entry) {
        void vscode.window.showInformationMessage('Baton: no handoff run to show yet.');
        return undefined;
      }
      const panel = ctx.traces.open(entry);
      return { id: entry.id, title: panel.title, html: panel.webview.html };
    }),
    vscode.commands.registerCommand(Commands.clearHistory, () => ctx.history.clear()),
    vscode.commands.registerCommand(Commands.refreshHistory, () => tree.refresh()),
    vscode.commands.registerCommand(Commands.showLog, () => ctx.log.show()),
  ];
}
