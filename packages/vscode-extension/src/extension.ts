import * as vscode from 'vscode';
import { createBackend } from './backend/create-backend.js';
import { createDataActionsApi } from './backend/data-actions-adapter.js';
import type { SandboxState } from './backend/org-backend.js';
import { askWithModal } from './commands/confirm-write.js';
import { registerDataActionCommands } from './commands/data-action-commands.js';
import type { CommandContext } from './commands/context.js';
import { registerHandoffCommands } from './commands/handoff-commands.js';
import { registerHistoryCommands } from './commands/history-commands.js';
import { registerOrgCommands } from './commands/org-commands.js';
import { registerChatCommands } from './commands/chat-commands.js';
import type { ChatState, WebviewToHost } from './chat/chat-protocol.js';
import { ScriptedConfirmations } from './commands/scripted-confirmations.js';
import { OutputChannelName, Settings, Views } from './ids.js';
import { OutputLog } from './log/output-log.js';
import { DEFAULT_HISTORY_LIMIT, HistoryStore, type HistoryEntry } from './model/history.js';
import { activeOrgName } from './model/org-profile.js';
import { OrgManager } from './orgs/org-manager.js';
import { OrgStatusBar } from './orgs/org-status-bar.js';
import { ScenarioTests, type ScenarioRunSummary } from './testing/scenario-tests.js';
import { ConversationTests, type ConversationRunSummary, type ConversationTestNode } from './testing/conversation-tests.js';
import { ConversationYamlSupport } from './editor/conversation-yaml.js';
import { HandoffsTreeProvider } from './views/handoffs-tree.js';
import { TracePanels } from './views/trace-panel.js';
import { ChatPanel } from './views/chat-panel.js';

/** What the extension exports to other extensions and to its own integration tests. */
export interface BatonApi {
  activeOrg(): string;
  statusBarText(): string;
  history(): HistoryEntry[];
  lastScenarioRun(): ScenarioRunSummary | undefined;
  onDidFinishScenarioRun: vscode.Event<ScenarioRunSummary>;
  /** The conversation scenarios' Test Explorer items (file → scenario → step) and their last finished run. */
  conversationTestItems(): ConversationTestNode[];
  lastConversationRun(): ConversationRunSummary | undefined;
  /** The conversation scenario running now in the Test Explorer, if any. */
  runningConversationScenario(): string | undefined;
  onDidFinishConversationRun: vscode.Event<ConversationRunSummary>;
  treeChildren(): { label: string; description: string }[];
  /** The active org's recent conversations and queues (what the pickers offer). */
  recentConversations(): Promise<{ id: string; label: string }[]>;
  queues(): Promise<{ id: string; name: string }[]>;
  orgSecretStored(name: string): Promise<boolean>;
  /** Only when VS Code runs the extension's integration tests (ExtensionMode.Test). */
  testing?: {
    /** Answers the next write confirmation (VS Code shows no modal dialogs during extension tests). */
    answerNextConfirmation(yes: boolean): void;
    confirmationsAsked(): readonly string[];
    /** The active org's sandbox state for a conversation; undefined when the active org is not the built-in sandbox. */
    sandboxState(conversationId: string): Promise<SandboxState | undefined>;
    /** The Chat as Customer panel's state, and a message into it through the webview's own (zod-parsed) door. */
    chat: { state(): ChatState | undefined; post(message: WebviewToHost): Promise<void> };
  };
}

/** Stops what outlives the window's subscriptions' synchronous dispose (the sandbox and its bridge). */
let stopOrgs: (() => Promise<void>) | undefined;

/** Only wiring: every object is built here with its dependencies and registered for disposal. */
export function activate(context: vscode.ExtensionContext): BatonApi {
  // The log redacts with the active org's secrets, and the org manager logs: a late-bound reference breaks the cycle.
  const secrets: { of: () => readonly string[] } = { of: () => [] };
  const log = new OutputLog(OutputChannelName, () => secrets.of());
  const orgs = new OrgManager(context, (org, secret) => createBackend(org, secret, { logger: log.bridgeLogger }), log);
  stopOrgs = () => orgs.dispose();
  secrets.of = () => orgs.secrets();
  const history = new HistoryStore(context.globalState, () =>
    vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.historyLimit, DEFAULT_HISTORY_LIMIT),
  );
  const traces = new TracePanels();
  const scripted = context.extensionMode === vscode.ExtensionMode.Test ? new ScriptedConfirmations(askWithModal) : undefined;
  const ctx: CommandContext = {
    orgs,
    history,
    traces,
    log,
    dataActions: createDataActionsApi(),
    askWrite: scripted?.ask ?? askWithModal,
    now: Date.now,
  };
  const tree = new HandoffsTreeProvider(history);
  const statusBar = new OrgStatusBar(orgs);
  const scenarios = new ScenarioTests(ctx);
  const chat = new ChatPanel({ extensionUri: context.extensionUri, orgs, log });
  const conversationTests = new ConversationTests(ctx);

  context.subscriptions.push(
    log,
    orgs,
    traces,
    tree,
    statusBar,
    scenarios,
    conversationTests,
    new ConversationYamlSupport(),
    vscode.window.createTreeView(Views.handoffs, { treeDataProvider: tree, showCollapseAll: true }),
    ...registerHandoffCommands(ctx),
    ...registerOrgCommands(ctx),
    ...registerDataActionCommands(ctx),
    ...registerHistoryCommands(ctx, tree),
    chat,
    ...registerChatCommands(ctx, chat, { testMode: context.extensionMode === vscode.ExtensionMode.Test }),
  );
  log.info('extension activated', { org: activeOrgName(orgs.active()), version: vscode.version });

  const activeOrgs = orgs;
  const api: BatonApi = {
    activeOrg: () => activeOrgName(activeOrgs.active()),
    statusBarText: () => statusBar.text,
    history: () => history.list(),
    lastScenarioRun: () => scenarios.lastRun,
    onDidFinishScenarioRun: scenarios.onDidFinishRun,
    conversationTestItems: () => conversationTests.nodes(),
    lastConversationRun: () => conversationTests.lastRun,
    runningConversationScenario: () => conversationTests.runningScenario,
    onDidFinishConversationRun: conversationTests.onDidFinishRun,
    recentConversations: async () => (await activeOrgs.backend()).recentConversations(),
    queues: async () => (await activeOrgs.backend()).queues(),
    orgSecretStored: (name) => activeOrgs.hasSecret(name),
    treeChildren: () =>
      tree.getChildren().map((n) => {
        const item = tree.getTreeItem(n);
        return { label: String(typeof item.label === 'string' ? item.label : item.label?.label ?? ''), description: String(item.description ?? '') };
      }),
  };
  if (scripted) {
    api.testing = {
      answerNextConfirmation: (yes) => scripted.answerNext(yes),
      confirmationsAsked: () => scripted.asked(),
      sandboxState: async (conversationId) => (await activeOrgs.backend()).sandboxState?.(conversationId),
      chat: { state: () => chat.state(), post: (message) => chat.handle(message) },
    };
  }
  return api;
}

/**
 * VS Code disposes context.subscriptions without awaiting them; returning this promise makes it
 * wait (within its deactivation timeout) for the sandbox and the in-process bridge to close.
 * OrgManager.dispose() is idempotent, so the second dispose from the subscriptions is a no-op.
 */
export function deactivate(): Promise<void> | undefined {
  const stop = stopOrgs;
  stopOrgs = undefined;
  return stop?.();
}
