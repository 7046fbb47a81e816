import type { GuestApi } from '../guest/guest-api.js';
import { SandboxError } from '../sandbox-error.js';
import type { OrgState, RoutingEvent } from '../state/org.js';
import type { MessageRecord, MessageRole } from '../state/records.js';
import { iso } from '../views/json.js';

/** What the answering agent saw, recorded when the agent answered. */
export interface AgentView {
  readonly conversationId: string;
  /** ISO-8601. */
  readonly answeredAt: string;
  readonly agent: { readonly userId: string; readonly name: string; readonly participantId: string };
  readonly queue: { readonly id: string; readonly name: string };
  /** The routing priority the conversation waited with. */
  readonly priority: number | undefined;
  /** The customer's participant data (what Baton or the flow wrote, the guest's customAttributes). */
  readonly participantData: Readonly<Record<string, string>>;
  /** The conversation's text messages, in time order. */
  readonly messages: readonly { readonly id: string; readonly from: MessageRole; readonly text: string; readonly at: string }[];
}

/** What an agent does once connected: say each reply in turn, then maybe end the conversation. */
export interface AgentScript {
  readonly replies?: readonly string[];
  readonly disconnect?: boolean;
}

/**
 * Which conversations agents answer by themselves: `live` (default) those started at run time
 * (through the Guest API or a bot session), `all` any conversation that joins a queue, `none`
 * (answer with `answer()`). Seeded conversations stay queued under `live`, as tests of the
 * in-queue routes expect.
 */
export type AutoAnswer = 'live' | 'all' | 'none';

export interface AgentsConfig {
  /** How long after a conversation joins a queue an agent answers, ms (default 0: no cosmetic delay). */
  readonly answerDelayMs?: number;
  readonly autoAnswer?: AutoAnswer;
  /** The script every answering agent follows unless a conversation has its own (`script()`). */
  readonly script?: AgentScript;
}

export interface Agents {
  configure(config: AgentsConfig): void;
  /** The script the agent who answers this conversation follows (replaces the default one). */
  script(conversationId: string, script: AgentScript): void;
  /** The agents who answer a queue, first choice first. */
  agentsOf(queueId: string): readonly { id: string; name: string }[];
  /** An agent of the queue the conversation waits in answers now (whatever autoAnswer says). */
  answer(conversationId: string): Promise<AgentView>;
  /** Resolves with the agent's view once an agent answered this conversation. */
  whenAnswered(conversationId: string): Promise<AgentView>;
  /** What the agent saw at answer time (the latest answer); undefined until an agent answered. */
  viewOf(conversationId: string): AgentView | undefined;
  /** The connected agent sends a message to the guest (Outbound, originatingEntity Human). */
  reply(conversationId: string, text: string): MessageRecord;
  /** The agent ends the conversation: the guest gets a Presence Disconnect and becomes read-only. */
  disconnect(conversationId: string): void;
  /** Marks a conversation as live (autoAnswer `live`). The Guest API and bot sessions do it. */
  markLive(conversationId: string): void;
}

export interface AgentsDeps {
  org: OrgState;
  guest: Pick<GuestApi, 'sendOutbound' | 'disconnect' | 'onGuestMessage'>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  answerDelayMs: number;
  /** Where a failed scripted action is reported; default a process warning (a timer must not crash the sandbox). */
  onError?: (error: unknown) => void;
}

export function createAgents(deps: AgentsDeps): Agents {
  const { org, guest, sleep, now } = deps;
  const report = deps.onError ?? ((e: unknown) => process.emitWarning(`Sandbox agent failed: ${e instanceof Error ? e.message : String(e)}`));
  let config: Required<Omit<AgentsConfig, 'script'>> & { script: AgentScript | undefined } = {
    answerDelayMs: deps.answerDelayMs,
    autoAnswer: 'live',
    script: undefined,
  };
  const live = new Set<string>();
  const scripts = new Map<string, AgentScript>();
  const views = new Map<string, AgentView>();
  const waiters = new Map<string, ((view: AgentView) => void)[]>();

  const agentsOf = (queueId: string): readonly { id: string; name: string }[] => {
    // Every agent is a member of every queue; each queue has its own first choice, so the agent who
    // answers tells which queue the conversation reached.
    const i = Math.max(0, org.queues.findIndex((q) => q.id === queueId));
    return [...org.agents.slice(i % org.agents.length), ...org.agents.slice(0, i % org.agents.length)];
  };

  const answerNow = (conversationId: string): AgentView => {
    const c = org.getConversation(conversationId);
    const acd = c?.participants.find((p) => p.purpose === 'acd' && p.state === 'connected');
    if (!c || !acd || acd.queueId === undefined) {
      throw new SandboxError('sandbox.invalid.state', `Conversation ${conversationId} is not waiting in a queue`);
    }
    const queue = org.findQueue(acd.queueId);
    const user = agentsOf(acd.queueId)[0];
    const participant = org.connectAgent(conversationId, user?.id);
    const view: AgentView = {
      conversationId,
      answeredAt: iso(participant.connectedTime ?? now()) as string,
      agent: { userId: participant.userId as string, name: participant.name, participantId: participant.id },
      queue: { id: acd.queueId, name: queue?.name ?? acd.name },
      priority: c.priority,
      participantData: { ...(org.customerAttributes(conversationId) ?? {}) },
      messages: c.messages
        .filter((m) => m.kind === 'text')
        .slice()
        .sort((a, b) => a.at - b.at)
        .map((m) => ({ id: m.id, from: m.from, text: m.text, at: iso(m.at) as string })),
    };
    views.set(conversationId, view);
    for (const resolve of waiters.get(conversationId) ?? []) resolve(view);
    waiters.delete(conversationId);
    const script = scripts.get(conversationId) ?? config.script;
    for (const text of script?.replies ?? []) guest.sendOutbound(conversationId, { text, originatingEntity: 'Human' });
    if (script?.disconnect === true) guest.disconnect(conversationId);
    return view;
  };

  const inQueue = (conversationId: string): boolean =>
    org.getConversation(conversationId)?.participants.some((p) => p.purpose === 'acd' && p.state === 'connected') === true;

  const onRouting = (event: RoutingEvent): void => {
    const wanted = config.autoAnswer === 'all' || (config.autoAnswer === 'live' && live.has(event.conversationId));
    if (!wanted) return;
    if (event.kind === 'accepted') {
      // A transfer accepted for later is applied on the first look once due (the org is lazy): this
      // look applies it, and its `queued` event schedules the answer. A timer can fire a little
      // before the clock reaches the due time, so look again (a few times: a manual clock may never get there).
      const look = async (): Promise<void> => {
        for (let i = 0; i < 5 && now() < event.dueAt; i += 1) await sleep(Math.max(1, event.dueAt - now()));
        org.getConversation(event.conversationId);
      };
      look().catch(report);
      return;
    }
    // Answering waits at least one tick even with no delay: the transfer's caller sees the
    // conversation in the queue first, as in a real org.
    sleep(config.answerDelayMs)
      .then(() => {
        // Still waiting (nobody answered it meanwhile): a returning customer's conversation is answered again.
        if (inQueue(event.conversationId)) answerNow(event.conversationId);
      })
      .catch(report);
  };
  org.onRouting(onRouting);
  guest.onGuestMessage((e) => {
    if (e.newConversation) live.add(e.conversationId);
  });

  return {
    configure(next) {
      config = {
        answerDelayMs: next.answerDelayMs ?? config.answerDelayMs,
        autoAnswer: next.autoAnswer ?? config.autoAnswer,
        script: next.script ?? config.script,
      };
    },
    script(conversationId, script) {
      scripts.set(conversationId, script);
    },
    agentsOf,
    answer: (conversationId) => Promise.resolve().then(() => answerNow(conversationId)),
    whenAnswered(conversationId) {
      const view = views.get(conversationId);
      if (view) return Promise.resolve(view);
      return new Promise((resolve) => waiters.set(conversationId, [...(waiters.get(conversationId) ?? []), resolve]));
    },
    viewOf: (conversationId) => views.get(conversationId),
    reply(conversationId, text) {
      const agent = org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'agent' && p.state === 'connected');
      if (!agent) throw new SandboxError('sandbox.invalid.state', `No agent is connected to conversation ${conversationId}`);
      return guest.sendOutbound(conversationId, { text, originatingEntity: 'Human' });
    },
    disconnect(conversationId) {
      const agent = org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'agent' && p.state === 'connected');
      if (!agent) throw new SandboxError('sandbox.invalid.state', `No agent is connected to conversation ${conversationId}`);
      guest.disconnect(conversationId);
    },
    markLive(conversationId) {
      live.add(conversationId);
    },
  };
}
