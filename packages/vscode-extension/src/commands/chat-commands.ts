import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../ids.js';
import { conversationScenarioYaml, defaultScenarioName, scenarioFileName, withScenarioSuffix } from '../chat/chat-scenario.js';
import type { ChatState } from '../chat/chat-protocol.js';
import type { ChatPanel } from '../views/chat-panel.js';
import type { CommandContext } from './context.js';
import { reportErrors } from './handoff-commands.js';

export interface ChatAsCustomerArgs {
  /** Start over even if a conversation is open. */
  newConversation?: boolean;
}

export interface SaveChatAsScenarioArgs {
  /** Where to write (absolute, or relative to the first workspace folder); otherwise asked for. */
  file?: string;
  /** The scenario's name; default from the customer's first message. */
  name?: string;
}

export function registerChatCommands(ctx: CommandContext, chat: ChatPanel, options: { testMode: boolean }): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.chatAsCustomer, (args?: ChatAsCustomerArgs) =>
      reportErrors(ctx, 'Chat as Customer', (): Promise<ChatState> => (args?.newConversation ? chat.newConversation() : chat.open())),
    ),
    vscode.commands.registerCommand(Commands.saveChatAsScenario, (args?: SaveChatAsScenarioArgs) =>
      reportErrors(ctx, 'Save as Scenario', () => saveChatAsScenario(ctx, chat, args ?? {}, options.testMode)),
    ),
  ];
}

async function saveChatAsScenario(ctx: CommandContext, chat: ChatPanel, args: SaveChatAsScenarioArgs, testMode: boolean): Promise<string | undefined> {
  const record = chat.record();
  if (!record || !record.events.some((e) => e.kind === 'customer')) {
    throw new Error('Nothing to save: chat as the customer first ("Baton: Chat as Customer").');
  }
  const name = args.name ?? defaultScenarioName(record);
  const yaml = conversationScenarioYaml(record, { name, recordedAt: new Date(ctx.now()).toISOString() });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const suggested = folder ? vscode.Uri.joinPath(folder, scenarioFileName(name)) : undefined;

  let target: vscode.Uri | undefined;
  if (args.file !== undefined) {
    target = path.isAbsolute(args.file) || !folder ? vscode.Uri.file(args.file) : vscode.Uri.joinPath(folder, args.file);
  } else if (testMode) {
    // VS Code shows no native dialogs while it runs extension tests: an input box stands in.
    const typed = await vscode.window.showInputBox({ title: 'Save as Scenario', prompt: 'File to write', value: suggested?.fsPath ?? scenarioFileName(name), ignoreFocusOut: true });
    if (typed) target = vscode.Uri.file(typed);
  } else {
    target = await vscode.window.showSaveDialog({
      title: 'Save as Scenario',
      saveLabel: 'Save scenario',
      filters: { 'Conversation scenario': ['yaml'] },
      ...(suggested ? { defaultUri: suggested } : {}),
    });
  }
  if (!target) return undefined;
  target = target.with({ path: withScenarioSuffix(target.path) });

  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(yaml));
  const shown = vscode.workspace.asRelativePath(target);
  chat.markSaved(shown);
  ctx.log.info('chat saved as scenario', { file: shown, events: record.events.length });
  await vscode.window.showTextDocument(target, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return target.fsPath;
}
