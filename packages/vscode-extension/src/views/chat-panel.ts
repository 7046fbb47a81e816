import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ChatViewType, Commands } from '../ids.js';
import type { OutputLog } from '../log/output-log.js';
import { activeOrgName } from '../model/org-profile.js';
import type { OrgManager } from '../orgs/org-manager.js';
import { renderChatHtml } from '../chat/chat-html.js';
import { parseWebviewMessage, type ChatState, type HostToWebview } from '../chat/chat-protocol.js';
import type { ChatRecord } from '../chat/chat-scenario.js';
import { openChatSession, type ChatSession } from '../chat/chat-session.js';

export interface ChatPanelDeps {
  extensionUri: vscode.Uri;
  orgs: OrgManager;
  log: OutputLog;
  /** How often a real org's conversation is read back (default the real-org target's, 1 s). */
  pollMs?: number;
}

/**
 * The one "Chat as Customer" panel: a webview that only renders, and a ChatSession in the extension
 * host that holds the Guest API connection. Every message from the webview is parsed with the
 * protocol's zod schema before anything acts on it.
 */
export class ChatPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private session: ChatSession | undefined;
  private stopListening: () => void = () => undefined;
  /** Shown when there is no session (a real org, a failed start, an org switch). */
  private idle: ChatState | undefined;
  private starting: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ChatPanelDeps) {
    this.disposables.push(
      deps.orgs.onDidChangeActive(() => {
        if (!this.session) return;
        void this.endSession().then(() =>
          this.show({ ...this.idleState(), error: `The active org changed to ${activeOrgName(deps.orgs.active())}: start a new conversation.` }),
        );
      }),
    );
  }

  /** Opens (or reveals) the panel; starts a conversation when none is open. */
  async open(): Promise<ChatState> {
    if (this.panel) this.panel.reveal();
    else this.createPanel();
    if (!this.session) await this.startSession();
    return this.state()!;
  }

  /** Ends the current conversation (closes its Guest API session) and starts another. */
  async newConversation(): Promise<ChatState> {
    await this.endSession();
    if (!this.panel) this.createPanel();
    await this.startSession();
    return this.state()!;
  }

  state(): ChatState | undefined {
    return this.session?.state() ?? this.idle;
  }

  record(): ChatRecord | undefined {
    return this.session?.record();
  }

  markSaved(file: string): void {
    this.session?.markSaved(file);
  }

  /** A message from the webview (or the integration tests, through the same door). */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn('chat webview message refused', { error: parsed.error });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.post();
        return;
      case 'say':
        await this.starting;
        await this.session?.say(message.text);
        return;
      case 'typing':
        this.session?.typing();
        return;
      case 'agentSays':
        this.session?.agentSays(message.text);
        return;
      case 'agentDisconnect':
        this.session?.agentDisconnect();
        return;
      case 'newConversation':
        await this.newConversation();
        return;
      case 'saveScenario':
        // The command without arguments: it asks where to write, like the palette's.
        await vscode.commands.executeCommand(Commands.saveChatAsScenario);
        return;
    }
  }

  dispose(): void {
    void this.endSession();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private createPanel(): void {
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(ChatViewType, 'Baton: Chat as Customer', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    panel.webview.html = renderChatHtml({
      nonce: randomBytes(16).toString('base64'),
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css')).toString(),
      org: activeOrgName(this.deps.orgs.active()),
    });
    panel.webview.onDidReceiveMessage((m: unknown) =>
      this.handle(m).catch((error: unknown) => this.deps.log.error('chat action failed', { message: error instanceof Error ? error.message : String(error) })),
    );
    panel.onDidDispose(() => {
      this.panel = undefined;
      void this.endSession();
    });
    this.panel = panel;
  }

  private idleState(): ChatState {
    return { org: activeOrgName(this.deps.orgs.active()), status: 'closed', messages: [], canActAsAgent: false };
  }

  private async startSession(): Promise<void> {
    this.starting = (async () => {
      const org = activeOrgName(this.deps.orgs.active());
      try {
        // Checked first on a real org, as the Test Explorer does: a refused profile is one message
        // naming the setting to fix, and no guest connection is made (the catch below shows it).
        this.show({ ...this.idleState(), status: 'connecting' });
        const session = await openChatSession(org, await this.deps.orgs.backend(), {
          ...(this.deps.pollMs !== undefined && { pollMs: this.deps.pollMs }),
          onError: (what, error) => this.deps.log.warn(`chat: ${what}`, { message: error instanceof Error ? error.message : String(error) }),
        });
        const target = session.target;
        this.session = session;
        this.idle = undefined;
        this.stopListening = session.onChange(() => this.post());
        this.post();
        await session.start();
        this.deps.log.info('chat as customer started', { org, deploymentId: target.deploymentId, origin: target.origin });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.deps.log.error('chat as customer could not start', { org, message });
        this.show({ ...this.idleState(), status: 'error', error: `Could not start the conversation: ${message}` });
      }
    })();
    await this.starting;
  }

  private async endSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.stopListening();
    this.stopListening = () => undefined;
    if (session) await session.close();
  }

  private show(state: ChatState): void {
    this.idle = state;
    this.post();
  }

  private post(): void {
    const state = this.state();
    if (!this.panel || !state) return;
    const message: HostToWebview = { type: 'state', state };
    void this.panel.webview.postMessage(message);
  }
}
