import { createGuestClient, systemClock, type Clock, type GuestClient, type GuestClientEvent, type HandoffTrace } from '@baton/core';
import type { AgentView } from '@baton/sandbox';
import { pollBackoff, type HandoffObservation, type PollBackoff } from '@baton/bridge/conversations';
import { preflightConversations } from '../backend/conversation-run.js';
import type { ConversationPlayground, OrgBackend, RealOrgDeployment } from '../backend/org-backend.js';
import type { ChatState } from './chat-protocol.js';
import type { ChatRecord, ChatRecordEvent } from './chat-scenario.js';
import { agentPanelViewOf, handoffViewOf, orgHandoffViewOf } from './chat-views.js';
import { guestWebSocket } from './guest-websocket.js';

/**
 * Where a Chat as Customer conversation runs: a Guest API deployment, and what the org lets the
 * panel see beyond the customer's side (Baton's traces, the answering agent). Only the Sandbox org
 * has the latter today (`chatTargetOf`).
 */
export interface ChatTarget {
  readonly org: string;
  readonly origin: string;
  readonly deploymentId: string;
  /** 0: no heartbeat (the sandbox has no idle timeout). */
  readonly heartbeatMs: number;
  /** The guest's conversation, from its session token or the ids of the messages it sent; undefined while not known yet. */
  conversationIdOf(guest: { token: string; sentMessageIds: readonly string[] }): string | undefined | Promise<string | undefined>;
  /** A real org: the handoff as its Platform API shows it (polled every `pollMs`, backing off to `pollMaxMs` while it does not change). */
  observe?(conversationId: string): Promise<HandoffObservation | undefined>;
  readonly pollMs?: number;
  readonly pollMaxMs?: number;
  /** Resolves when an agent answered the conversation, with what they saw. */
  whenAnswered?(conversationId: string): Promise<AgentView>;
  /** Baton's handoff traces of the conversation, newest first. */
  traces?(conversationId: string): Promise<HandoffTrace[]>;
  rulesOf?(conversationId: string): Promise<{ decisionRule?: string; routingRule?: string }>;
  /** The panel acting as the answering agent. */
  agent?: { reply(conversationId: string, text: string): void; disconnect(conversationId: string): void };
}

/** The Sandbox org's conversation loop as a chat target: its Guest API, its bridge's traces, its simulated agents. */
export function chatTargetOf(org: string, playground: ConversationPlayground): ChatTarget {
  const sb = playground.sandbox;
  return {
    org,
    origin: sb.webMessagingUrl,
    deploymentId: sb.deploymentId,
    heartbeatMs: 0,
    conversationIdOf: ({ token }) => sb.guest.conversationIdOf(token),
    whenAnswered: (id) => sb.agents.whenAnswered(id),
    traces: (id) => playground.traces(id),
    rulesOf: (id) => playground.rulesOf(id),
    agent: { reply: (id, text) => void sb.agents.reply(id, text), disconnect: (id) => sb.agents.disconnect(id) },
  };
}

/**
 * A real org's Messenger deployment as a chat target (UNCONFIRMED): `baton test`'s real-org target,
 * so the conversation is found by the message details route and the handoff read from its queue
 * participant, as the scenario runner does. No traces, no agent to act as.
 */
export function realOrgChatTarget(org: string, deployment: RealOrgDeployment, options: { pollMs?: number } = {}): ChatTarget {
  const target = deployment.target(options);
  return {
    org,
    origin: deployment.origin,
    deploymentId: deployment.deploymentId,
    // Real deployments close idle sessions: the guest client's default heartbeat keeps it open.
    heartbeatMs: 60_000,
    pollMs: target.pollMs,
    ...(target.pollMaxMs !== undefined && { pollMaxMs: target.pollMaxMs }),
    conversationIdOf: (guest) => target.conversationIdOf(guest),
    observe: (id) => target.observeHandoff(id),
  };
}

/**
 * A Chat as Customer session (not started yet) on the org's conversation loop (the Sandbox org) or
 * its Messenger deployment (a real org). A real org is checked first with the Test Explorer's
 * preflight (the client credentials, then the deployment): a refused secret or deployment rejects
 * with the one error naming the profile setting to fix, before any guest connection of the chat is
 * made, instead of a guest session that fails or waits on a deployment that cannot answer.
 */
export async function openChatSession(
  org: string,
  backend: OrgBackend,
  deps: Omit<ChatSessionDeps, 'target'> & { pollMs?: number } = {},
): Promise<ChatSession> {
  const { pollMs, ...sessionDeps } = deps;
  let target: ChatTarget;
  if (backend.conversations) target = chatTargetOf(org, await backend.conversations());
  else if (backend.deployment) {
    // Throws MissingDeploymentError (no deploymentId) or RealOrgTargetError (refused), each naming the setting.
    await preflightConversations(backend);
    target = realOrgChatTarget(org, backend.deployment(), pollMs === undefined ? {} : { pollMs });
  } else throw new Error(`the org "${org}" has no web messaging deployment`);
  return new ChatSession({ ...sessionDeps, target });
}

export interface ChatSessionDeps {
  readonly target: ChatTarget;
  readonly clock?: Clock;
  /** Seam for tests: the Guest API client (default core's, over a real WebSocket). */
  readonly createClient?: typeof createGuestClient;
  /** Seam: the WebSocket constructor (default `guestWebSocket()`). */
  readonly WebSocket?: typeof WebSocket;
  /** Where failures the panel cannot show inline go (the output channel). */
  readonly onError?: (what: string, error: unknown) => void;
}

/** How long a Typing event shows when the service gives no duration. */
const DEFAULT_TYPING_MS = 5000;

/**
 * One customer conversation over the Guest API, in the extension host (the webview never touches
 * the network). Keeps the panel's state and, separately, the record "Save as Scenario" writes.
 */
export class ChatSession {
  /** Where the conversation runs (the panel logs its deployment). */
  readonly target: ChatTarget;
  private readonly clock: Clock;
  private readonly client: GuestClient;
  private readonly listeners = new Set<(state: ChatState) => void>();
  private readonly events: ChatRecordEvent[] = [];
  private current: ChatState;
  private conversationId: string | undefined;
  private answered = false;
  private readonly agentTextsFromPanel: string[] = [];
  private disconnectRequested = false;
  private cancelTyping: () => void = () => undefined;
  private closed = false;
  private readonly sentMessageIds: string[] = [];
  private findingConversation = false;
  private stopPolling: () => void = () => undefined;
  /** A conversation waiting in a queue can wait minutes: look less often while nothing changes (rate budget). */
  private backoff: PollBackoff | undefined;
  private lastSeen: string | undefined;

  constructor(private readonly deps: ChatSessionDeps) {
    this.target = deps.target;
    this.clock = deps.clock ?? systemClock;
    this.client = (deps.createClient ?? createGuestClient)({
      origin: this.target.origin,
      deploymentId: this.target.deploymentId,
      heartbeatMs: this.target.heartbeatMs,
      clock: this.clock,
      WebSocket: deps.WebSocket ?? guestWebSocket(),
    });
    this.current = { org: this.target.org, status: 'connecting', messages: [], canActAsAgent: this.target.agent !== undefined };
    this.client.on((e) => this.onEvent(e));
  }

  state(): ChatState {
    return this.current;
  }

  record(): ChatRecord {
    return { events: [...this.events] };
  }

  /** Calls `listener` with every new state; returns an unsubscribe. */
  onChange(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    try {
      await this.client.connect();
      this.update({ status: 'open' });
    } catch (error) {
      this.fail('could not connect to the Guest API', error);
    }
  }

  async say(text: string): Promise<void> {
    if (this.current.status !== 'open') {
      this.update({ error: 'The conversation has ended: start a new conversation.' });
      return;
    }
    try {
      // The record takes the customer's line before the replies it causes can arrive.
      const said: ChatRecordEvent = { kind: 'customer', text };
      this.events.push(said);
      const echoed = await this.client.sendText(text).catch((error: unknown) => {
        this.events.splice(this.events.indexOf(said), 1);
        throw error;
      });
      this.sentMessageIds.push(echoed.id);
      this.watchConversation();
      if (this.current.error) this.update({ error: undefined });
    } catch (error) {
      this.fail('the message was not sent', error);
    }
  }

  /** The customer is typing (the webview throttles these). */
  typing(): void {
    if (this.current.status !== 'open') return;
    try {
      this.client.sendTyping();
    } catch (error) {
      this.deps.onError?.('typing indicator not sent', error);
    }
  }

  /** The panel answers as the agent who answered (Sandbox org only). */
  agentSays(text: string): void {
    const id = this.requireAgent();
    if (id === undefined) return;
    this.agentTextsFromPanel.push(text);
    this.target.agent!.reply(id, text);
  }

  agentDisconnect(): void {
    const id = this.requireAgent();
    if (id === undefined) return;
    this.disconnectRequested = true;
    this.target.agent!.disconnect(id);
  }

  /** The scenario file saved from this conversation (shown in the panel). */
  markSaved(file: string): void {
    this.update({ savedFile: file });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTyping();
    this.stopPolling();
    this.listeners.clear();
    await this.client.close().catch(() => undefined);
  }

  private requireAgent(): string | undefined {
    if (!this.target.agent || !this.answered || this.conversationId === undefined || this.current.status !== 'open') {
      this.update({ error: 'No agent has answered this conversation.' });
      return undefined;
    }
    return this.conversationId;
  }

  /** Once the conversation exists: wait for its handoff to reach an agent (or, on a real org, watch its Platform API view). */
  private watchConversation(): void {
    if (this.conversationId !== undefined || this.findingConversation || this.closed) return;
    this.findingConversation = true;
    Promise.resolve(this.target.conversationIdOf({ token: this.client.token, sentMessageIds: [...this.sentMessageIds] }))
      .then(
        (id) => {
          if (this.closed) return;
          if (id === undefined) {
            // A real org may not know the message yet: look again.
            if (this.target.observe && this.sentMessageIds.length > 0) this.pollLater(() => this.watchConversation());
            return;
          }
          this.conversationId = id;
          this.update({ conversationId: id });
          this.target.whenAnswered?.(id).then(
            (view) => this.onAnswered(view),
            (error: unknown) => this.deps.onError?.('waiting for an agent failed', error),
          );
          if (this.target.observe) void this.observe(id);
        },
        (error: unknown) => this.deps.onError?.('finding the conversation failed', error),
      )
      .finally(() => (this.findingConversation = false));
  }

  /** A real org: reads the handoff through the Platform API until the conversation has left the queue. */
  private async observe(conversationId: string): Promise<void> {
    if (this.closed) return;
    try {
      const seen = await this.target.observe!(conversationId);
      if (this.closed) return;
      const now = JSON.stringify(seen ?? null);
      this.changed = now !== this.lastSeen;
      this.lastSeen = now;
      if (seen) {
        const view = orgHandoffViewOf(seen);
        if (JSON.stringify(view) !== JSON.stringify(this.current.orgHandoff)) this.update({ orgHandoff: view });
        this.recordObservation(seen);
        if (seen.settled) return;
      }
      // An ended conversation changes no more: stop spending Platform API calls on it.
      if (this.current.status === 'ended' || this.current.status === 'closed') return;
    } catch (error) {
      this.deps.onError?.('reading the conversation from the Platform API failed', error);
    }
    this.pollLater(() => void this.observe(conversationId));
  }

  /** Save as Scenario on a real org: the handoff as last observed (the queue, priority and participant data may still change while queued). */
  private recordObservation(seen: HandoffObservation): void {
    const event: ChatRecordEvent = {
      kind: 'handoff',
      queue: seen.queue.name,
      ...(seen.priority !== undefined ? { priority: seen.priority } : {}),
      participantData: { ...seen.participantData },
      agentAnswered: seen.agentAnswered,
    };
    const at = this.events.findIndex((e) => e.kind === 'handoff');
    if (at >= 0) this.events[at] = event;
    else this.events.push(event);
  }

  private changed = true;

  private pollLater(then: () => void): void {
    this.stopPolling();
    const first = this.target.pollMs ?? 1000;
    this.backoff ??= pollBackoff(first, this.target.pollMaxMs ?? first);
    this.stopPolling = this.clock.setTimer(this.backoff.next(this.changed), then);
  }

  private async onAnswered(view: AgentView): Promise<void> {
    if (this.closed) return;
    this.answered = true;
    const rules = (await this.target.rulesOf?.(view.conversationId).catch(() => undefined)) ?? {};
    this.events.push({
      kind: 'handoff',
      queue: view.queue.name,
      ...(view.priority !== undefined ? { priority: view.priority } : {}),
      ...(rules.decisionRule !== undefined ? { decisionRule: rules.decisionRule } : {}),
      participantData: { ...view.participantData },
    });
    this.update({ agentView: agentPanelViewOf(view) });
    await this.refreshTrace();
  }

  /** Baton's newest trace of the conversation (also when the bot kept it: no agent, still a decision). */
  private async refreshTrace(): Promise<void> {
    const id = this.conversationId;
    if (id === undefined || !this.target.traces) return;
    try {
      const [trace] = await this.target.traces(id);
      if (!trace || this.closed || trace.handoffId === this.current.handoff?.handoffId) return;
      const rules = (await this.target.rulesOf?.(id)) ?? {};
      this.update({ handoff: handoffViewOf(trace, rules) });
    } catch (error) {
      this.deps.onError?.("reading Baton's handoff trace failed", error);
    }
  }

  private onEvent(e: GuestClientEvent): void {
    if (this.closed) return;
    switch (e.kind) {
      case 'text': {
        if (e.from === 'guest') {
          this.update({ messages: [...this.current.messages, { id: e.id, from: 'customer', text: e.text, time: e.time }] });
          return;
        }
        const from = e.from === 'agent' ? 'agent' : 'bot';
        if (from === 'agent') {
          const i = this.agentTextsFromPanel.indexOf(e.text);
          if (i >= 0) this.agentTextsFromPanel.splice(i, 1);
          this.events.push({ kind: 'agent', text: e.text, fromPanel: i >= 0 });
        } else {
          this.events.push({ kind: 'bot', text: e.text });
        }
        if (this.current.typing === from) this.cancelTyping();
        this.update({
          messages: [...this.current.messages, { id: e.id, from, text: e.text, time: e.time, ...(e.nickname ? { nickname: e.nickname } : {}) }],
          typing: this.current.typing === from ? undefined : this.current.typing,
        });
        this.watchConversation();
        void this.refreshTrace();
        return;
      }
      case 'typing': {
        if (e.from !== 'bot' && e.from !== 'agent') return; // the guest's own, echoed back
        const from = e.from;
        this.cancelTyping();
        this.cancelTyping = this.clock.setTimer(e.durationMs ?? DEFAULT_TYPING_MS, () => {
          if (this.current.typing === from) this.update({ typing: undefined });
        });
        this.update({ typing: from });
        return;
      }
      case 'presence':
        if (e.presence === 'Disconnect') {
          this.events.push({ kind: 'disconnect', byPanel: this.disconnectRequested });
          this.cancelTyping();
          this.update({ status: 'ended', typing: undefined });
        }
        return;
      case 'closed':
        if (this.current.status !== 'ended') this.update({ status: 'closed' });
        return;
      case 'error':
        this.update({ error: `Guest API ${e.code}: ${e.message}` });
        return;
      default:
        return;
    }
  }

  private fail(what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.onError?.(what, error);
    this.update({ error: `${what}: ${message}`, ...(this.current.status === 'connecting' ? { status: 'error' as const } : {}) });
  }

  private update(patch: Partial<ChatState>): void {
    const next: ChatState = { ...this.current, ...patch };
    for (const key of Object.keys(patch) as (keyof ChatState)[]) if (patch[key] === undefined) delete next[key];
    this.current = next;
    for (const l of this.listeners) l(next);
  }
}
