import { errors } from '../http/api-error.js';
import { SandboxError } from '../sandbox-error.js';
import { conversationFixtureSchema, type ConversationFixture, type ParsedConversationFixture } from './fixture.js';
import { shuffled, type Prng } from './prng.js';
import type {
  BotSessionRecord,
  ConversationRecord,
  MessageRecord,
  MessageRole,
  ParticipantRecord,
  QueueRecord,
  ReportingTurnRecord,
  SentMessageRecord,
  TransferRecord,
} from './records.js';

export interface OrgDirectory {
  readonly division: { id: string; name: string };
  /** The digital bot flow (Call Digital Bot Flow's target; bot-flow analytics list its sessions). */
  readonly botFlow: { id: string; name: string };
  /** The inbound message flow that receives web-messaging conversations and calls the bot flow. */
  readonly messageFlow: { id: string; name: string };
  readonly queues: readonly QueueRecord[];
  readonly agents: readonly { id: string; name: string }[];
  /** The web-messaging deployment customers write through. */
  readonly deploymentId: string;
}

/** The sandbox org's state, as tests and benchmarks read and seed it. */
export interface SandboxOrg extends OrgDirectory {
  getConversation(id: string): Readonly<ConversationRecord> | undefined;
  listConversations(): readonly Readonly<ConversationRecord>[];
  /** Validates the fixture (`conversationFixtureSchema`) and adds it; returns the conversation id. */
  addConversation(fixture: ConversationFixture): string;
  /**
   * An agent answers a queued conversation: the ACD participant hands over to an `agent`
   * participant in the same queue (the org's first agent unless `userId` names another).
   */
  connectAgent(conversationId: string, userId?: string): ParticipantRecord;
  /**
   * The customer writes again within the messaging threading timeline, which continues the same
   * conversation id (docs/genesys-facts.md#messaging-threading-timeline): whatever of the earlier
   * session is still connected disconnects, then a new customer participant sends `texts` and a new
   * flow participant holds the conversation. The earlier participants stay listed, disconnected,
   * with their messages.
   */
  customerReturns(conversationId: string, texts: readonly string[]): { customer: ParticipantRecord; flow: ParticipantRecord };
  /**
   * A guest writes again into a conversation the org's side ended, within the messaging threading
   * timeline (docs/genesys-facts.md#messaging-threading-timeline): customerReturns' new session, now,
   * with no message yet (the Guest API adds the guest's). Undefined if a participant of the earlier
   * session is still connected (nothing ended: the message is the current session's).
   */
  guestReturns(conversationId: string): { customer: ParticipantRecord; flow: ParticipantRecord } | undefined;
  /** Every successful `replace/queue`, in order. */
  readonly transfers: readonly TransferRecord[];
  /** Every message sent through the customer-facing send endpoint, in order. */
  readonly sentMessages: readonly SentMessageRecord[];
  /** Routing priority of a queued conversation; undefined if unknown or never queued. */
  priorityOf(conversationId: string): number | undefined;
  /** The customer participant's attributes (participant data). */
  customerAttributes(conversationId: string): Readonly<Record<string, string>> | undefined;
  /** Set Participant Data as a flow does it: merged onto the customer participant. */
  mergeCustomerAttributes(conversationId: string, attributes: Record<string, string>): void;
  /** A queue by id (FindQueueById in a flow). */
  findQueue(id: string): Readonly<QueueRecord> | undefined;
  /** Bot-flow sessions, newest first (as the analytics endpoint lists them). */
  botSessions(): readonly BotSessionRecord[];
  botSession(sessionId: string): BotSessionRecord | undefined;
  /**
   * Moves a queue into a division (`{id, name}` of any division; divisions need no other setup here).
   * Conversations routed through it then belong to that division too.
   */
  moveQueueToDivision(queueId: string, division: { id: string; name: string }): void;
  /**
   * The divisions a conversation belongs to: the flow's (Home) and those of every queue it was
   * routed through (docs/genesys-facts.md#divisions).
   */
  divisionsOf(conversationId: string): string[];
  /**
   * The flow's *Transfer to ACD*: the connected flow participant hands the conversation to the
   * queue at once (an `acd` participant joins) with `priority` (default 0). What the flow runtime
   * calls; the Platform API's replace/queue goes through the same transfer.
   */
  transferToAcd(conversationId: string, queueId: string, priority?: number): TransferRecord;
  /**
   * Routing events: a transfer accepted to apply `afterMs` later, and a conversation that joined a
   * queue (an `acd` participant connected). Returns an unsubscribe. Simulated agents listen here.
   */
  onRouting(listener: (event: RoutingEvent) => void): () => void;
}

export type RoutingEvent =
  | { readonly kind: 'accepted'; readonly conversationId: string; readonly afterMs: number; readonly dueAt: number }
  | { readonly kind: 'queued'; readonly conversationId: string; readonly queueId: string };

/** Mutations the API routes perform; each throws an `ApiError` the way Genesys answers. */
export interface OrgMutations {
  addParsedConversation(fixture: ParsedConversationFixture): string;
  patchAttributes(conversationId: string, participantId: string, attributes: Record<string, string>): Record<string, string>;
  transferToQueue(
    conversationId: string,
    participantId: string,
    target: { queueId?: string; queueName?: string },
    clientId: string,
    /**
     * When the accepted transfer takes effect: at once (default), `never` (accepted, then lost), or
     * after `afterMs` by the org's clock (applied on the first look at the conversation after then).
     */
    apply?: 'now' | 'never' | { afterMs: number },
  ): TransferRecord;
  setRoutingAttributes(
    conversationId: string,
    patch: { priority?: number; skillIds?: string[]; languageId?: string },
  ): ConversationRecord;
  sendMessage(conversationId: string, communicationId: string, text: string, clientId: string): { conversation: ConversationRecord; message: MessageRecord };
  findQueue(id: string): QueueRecord | undefined;
  /**
   * A web-messaging guest starts a conversation (Guest API): a connected customer and the inbound
   * message flow's participant, no messages yet, participant data from the guest's customAttributes.
   */
  startGuestConversation(opts: { customerAddress: string; attributes: Record<string, string> }): ConversationRecord;
  /** A message the guest sent (text, or a typing/presence event) on its customer participant. */
  addGuestMessage(conversationId: string, entry: { kind: 'text' | 'event'; text: string }): MessageRecord;
  /** An outbound message from the flow/bot (`bot`) or the connected agent (`agent`), outside the Platform API. */
  addOutboundMessage(conversationId: string, entry: { from: 'bot' | 'agent'; text: string }): MessageRecord;
  /** Merges participant data on the customer participant (customAttributes from the guest). */
  mergeCustomerAttributes(conversationId: string, attributes: Record<string, string>): void;
  /** Ends the conversation from the org's side: every connected participant disconnects. */
  endConversation(conversationId: string): void;
  /** Which conversation holds a message id (`GET /api/v2/conversations/messages/{messageId}/details`). */
  findMessage(messageId: string): { conversation: ConversationRecord; message: MessageRecord } | undefined;
  /** Records a bot session that ended (a live bot): listed by bot-flow analytics once the analytics lag has passed. */
  recordBotSession(session: BotSessionRecord): void;
  /** Whether a bot flow id is known (the seeded bot flow, or a bot registered with `sb.bots.register`). */
  hasBotFlow(botFlowId: string): boolean;
  registerBotFlow(botFlowId: string): void;
  /** Called after every message added to any conversation (seeded ones excepted); returns an unsubscribe. */
  onMessageAdded(listener: (conversation: ConversationRecord, message: MessageRecord) => void): () => void;
}

export type OrgState = SandboxOrg & OrgMutations;

const TURN_GAP_MS = 12_000;

/**
 * The customer participant of the current session: the connected one, else the latest. A customer
 * who comes back within the threading timeline gets a new one here (earlier ones stay, disconnected);
 * whether Genesys adds a customer participant or reconnects the old one is UNCONFIRMED.
 */
export function customerOf(c: Pick<ConversationRecord, 'participants'>): ParticipantRecord | undefined {
  const customers = c.participants.filter((x) => x.purpose === 'customer');
  return customers.find((x) => x.state === 'connected') ?? customers.at(-1);
}

export function createOrg(directory: OrgDirectory, prng: Prng, now: () => number): OrgState {
  const conversations: ConversationRecord[] = [];
  const byId = new Map<string, ConversationRecord>();
  const sessions: BotSessionRecord[] = [];
  const sessionsById = new Map<string, BotSessionRecord>();
  let sessionsSorted = true;
  const transfers: TransferRecord[] = [];
  const sentMessages: SentMessageRecord[] = [];
  const queuesById = new Map(directory.queues.map((q) => [q.id, q]));
  // Messages added after seeding, by id: seeded conversations index lazily (messageIndex), and
  // only conversations that gain messages at run time need a global lookup.
  const liveMessages = new Map<string, { conversation: ConversationRecord; message: MessageRecord }>();
  const messageListeners = new Set<(conversation: ConversationRecord, message: MessageRecord) => void>();
  const routingListeners = new Set<(event: RoutingEvent) => void>();
  const emitRouting = (event: RoutingEvent): void => {
    for (const listener of routingListeners) listener(event);
  };
  const botFlowIds = new Set([directory.botFlow.id]);
  const appendMessage = (c: ConversationRecord, p: ParticipantRecord, message: MessageRecord): void => {
    c.messages.push(message);
    c.messagesById?.set(message.id, message);
    p.messageIds.push(message.id);
    const customer = customerOf(c);
    if (customer && customer !== p) customer.messageIds.push(message.id);
    liveMessages.set(message.id, { conversation: c, message });
    for (const listener of messageListeners) listener(c, message);
  };
  const nextMessageTime = (c: ConversationRecord): number => Math.max(now(), (c.messages.at(-1)?.at ?? 0) + 1);

  /** Ends what is still connected of a conversation's session at `at`. */
  const endSession = (c: ConversationRecord, at: number): void => {
    for (const p of c.participants) {
      if (p.state !== 'connected') continue;
      if (p.purpose === 'acd') p.routingPriority = c.priority;
      p.state = 'disconnected';
      p.endTime = at;
      // Which disconnectType each side shows when the agent or flow ends it is UNCONFIRMED.
      p.disconnectType = p.purpose === 'customer' ? 'endpoint' : 'client';
    }
  };
  /** A returning customer's session from `at`: a new customer participant (same address) and, half a second later, a new flow participant. */
  const startSession = (c: ConversationRecord, at: number): { customer: ParticipantRecord; flow: ParticipantRecord } => {
    const previous = customerOf(c);
    const customer: ParticipantRecord = {
      id: prng.uuid(),
      purpose: 'customer',
      name: previous?.name ?? 'Web Messaging Guest',
      state: 'connected',
      startTime: at,
      connectedTime: at,
      attributes: {},
      communicationId: prng.uuid(),
      messageIds: [],
      address: previous?.address ?? prng.uuid(),
    };
    const flow: ParticipantRecord = {
      id: prng.uuid(),
      purpose: 'workflow',
      name: directory.botFlow.name,
      state: 'connected',
      startTime: at + 500,
      connectedTime: at + 500,
      attributes: {},
      communicationId: prng.uuid(),
      messageIds: [],
      address: directory.deploymentId,
    };
    c.participants.push(customer, flow);
    c.priority = undefined;
    return { customer, flow };
  };

  // Transfers accepted but not applied yet (a transferDelayed fault), applied when due.
  let pendingTransfers: { conversationId: string; dueAt: number; apply: () => void }[] = [];
  const settle = (id: string): void => {
    if (pendingTransfers.length === 0) return;
    const t = now();
    const due = pendingTransfers.filter((x) => x.conversationId === id && x.dueAt <= t);
    if (due.length === 0) return;
    pendingTransfers = pendingTransfers.filter((x) => !due.includes(x));
    for (const x of due) x.apply();
  };
  const requireConversation = (id: string): ConversationRecord => {
    settle(id);
    const c = byId.get(id);
    if (!c) throw errors.notFound(`Conversation ${id}`);
    return c;
  };
  const requireParticipant = (c: ConversationRecord, participantId: string): ParticipantRecord => {
    const p = c.participants.find((x) => x.id === participantId);
    if (!p) throw errors.notFound(`Participant ${participantId}`);
    return p;
  };

  const addParsedConversation = (f: ParsedConversationFixture): string => {
    const t0 = now();
    const start =
      f.startedAt === undefined ? t0 - 600_000 : typeof f.startedAt === 'number' ? t0 + f.startedAt * 1000 : Date.parse(f.startedAt);
    const id = prng.uuid();
    const customer: ParticipantRecord = {
      id: prng.uuid(),
      purpose: 'customer',
      name: f.customerName ?? 'Web Messaging Guest',
      state: 'connected',
      startTime: start,
      connectedTime: start,
      attributes: { ...(f.participantData ?? {}) },
      communicationId: prng.uuid(),
      messageIds: [],
      address: prng.uuid(),
    };
    const flow: ParticipantRecord = {
      id: prng.uuid(),
      purpose: 'workflow',
      name: directory.botFlow.name,
      state: 'connected',
      startTime: start + 500,
      connectedTime: start + 500,
      attributes: {},
      communicationId: prng.uuid(),
      messageIds: [],
      address: directory.deploymentId,
    };
    const participants: ParticipantRecord[] = [customer, flow];

    const hasAgentMessages = f.messages.some((m) => m.from === 'agent');
    const agentUser = hasAgentMessages ? prng.pick(directory.agents) : undefined;
    const times = f.messages.map((m, i) =>
      m.at === undefined ? start + 2_000 + i * TURN_GAP_MS : typeof m.at === 'number' ? start + m.at * 1000 : Date.parse(m.at),
    );
    const botTimes = f.messages.flatMap((m, i) => (m.from === 'bot' ? [times[i] as number] : []));
    const agentTimes = f.messages.flatMap((m, i) => (m.from === 'agent' ? [times[i] as number] : []));
    const flowEnd = Math.max(start + 1_000, ...botTimes) + 1_000;

    let acd: ParticipantRecord | undefined;
    let agent: ParticipantRecord | undefined;
    if (f.state === 'inQueue') {
      const queue = f.queueId === undefined ? directory.queues[0] : queuesById.get(f.queueId);
      if (!queue) throw errors.badRequest(`Queue ${f.queueId ?? ''} does not exist in this org`, 'queueId');
      flow.state = 'disconnected';
      flow.endTime = flowEnd;
      flow.disconnectType = 'transfer';
      acd = {
        id: prng.uuid(),
        purpose: 'acd',
        name: queue.name,
        state: 'connected',
        startTime: flowEnd,
        connectedTime: flowEnd,
        queueId: queue.id,
        attributes: {},
        communicationId: prng.uuid(),
        messageIds: [],
        address: directory.deploymentId,
      };
      participants.push(acd);
      if (agentUser) {
        const agentStart = Math.max(flowEnd + 1_000, Math.min(...agentTimes) - 5_000);
        acd.state = 'disconnected';
        acd.routingPriority = 0;
        acd.endTime = agentStart;
        acd.disconnectType = 'transfer';
        agent = {
          id: prng.uuid(),
          purpose: 'agent',
          name: agentUser.name,
          state: 'connected',
          startTime: agentStart,
          connectedTime: agentStart,
          queueId: queue.id,
          userId: agentUser.id,
          attributes: {},
          communicationId: prng.uuid(),
          messageIds: [],
          address: directory.deploymentId,
        };
        participants.push(agent);
      }
    }

    const senderOf = (role: MessageRole): ParticipantRecord => (role === 'customer' ? customer : role === 'bot' ? flow : (agent as ParticipantRecord));
    const messages: MessageRecord[] = f.messages.map((m, i) => {
      const sender = senderOf(m.from);
      const rec: MessageRecord = {
        id: prng.uuid(),
        from: m.from,
        text: m.kind === 'text' ? m.text : '',
        at: times[i] as number,
        kind: m.kind,
        participantId: sender.id,
      };
      return sender.userId === undefined ? rec : { ...rec, userId: sender.userId };
    });
    const chronological = messages.slice().sort((a, b) => a.at - b.at);
    // Which participant lists which message ids is UNCONFIRMED for web messaging: here the customer
    // lists every message of the conversation and each other participant lists those it sent, so a
    // client must de-duplicate ids across participants.
    const listed = f.listOrder === 'shuffled' ? shuffled(prng, chronological) : f.listOrder === 'asWritten' ? messages : chronological;
    for (const m of listed) {
      customer.messageIds.push(m.id);
      if (m.from !== 'customer') senderOf(m.from).messageIds.push(m.id);
    }

    let botSessionId: string | undefined;
    if (f.botSession) {
      const session = buildBotSession(id, f, messages, start, flowEnd);
      botSessionId = session.id;
      sessions.push(session);
      sessionsById.set(session.id, session);
      sessionsSorted = false;
    }

    const record: ConversationRecord = {
      id,
      startTime: start,
      divisionId: directory.division.id,
      participants,
      messages: chronological,
      priority: acd ? 0 : undefined,
      skillIds: [],
      languageId: undefined,
      botSessionId,
    };
    if (f.returned) addReturn(record, f.returned, start, Math.max(flowEnd, ...times));
    conversations.push(record);
    byId.set(id, record);
    return id;
  };

  /** A seeded conversation's second session: the first ends, the customer comes back at `returned.at`. */
  const addReturn = (
    c: ConversationRecord,
    returned: NonNullable<ParsedConversationFixture['returned']>,
    start: number,
    lastOfFirst: number,
  ): void => {
    const at = returned.at === undefined ? lastOfFirst + 120_000 : start + returned.at * 1000;
    endSession(c, Math.min(lastOfFirst + 5_000, at - 1_000));
    const { customer, flow } = startSession(c, at);
    returned.messages.forEach((m, i) => {
      const sender = m.from === 'customer' ? customer : flow;
      const message: MessageRecord = {
        id: prng.uuid(),
        from: m.from,
        text: m.text,
        at: m.at === undefined ? at + i * TURN_GAP_MS : start + m.at * 1000,
        kind: 'text',
        participantId: sender.id,
      };
      c.messages.push(message);
      customer.messageIds.push(message.id);
      if (sender !== customer) sender.messageIds.push(message.id);
    });
    c.messages.sort((a, b) => a.at - b.at);
  };

  const buildBotSession = (
    conversationId: string,
    f: ParsedConversationFixture,
    messages: readonly MessageRecord[],
    start: number,
    flowEnd: number,
  ): BotSessionRecord => {
    const bs = f.botSession as { intent: string; confidence: number };
    const customerTexts = messages.filter((m) => m.from === 'customer' && m.kind === 'text').map((m) => m.text);
    const botTexts = messages.filter((m) => m.from === 'bot' && m.kind === 'text').map((m) => m.text);
    const created = start + 1_000;
    const completed = Math.max(created + 2_000, flowEnd - 500);
    const mid = Math.floor((created + completed) / 2);
    const turns: ReportingTurnRecord[] = [
      {
        userInput: customerTexts[0] ?? '',
        botPrompts: [botTexts[0] ?? 'Hi! What can I help you with today?'],
        actionId: prng.uuid(),
        actionName: 'Ask for Intent',
        actionNumber: 1,
        // The SDK's ReportingTurnAction.actionType enum (docs/genesys-facts.md#bot-flow-analytics).
        actionType: 'AskForNLUIntentAction',
        intent: { id: prng.uuid(), name: bs.intent, confidence: bs.confidence },
        askActionResult: 'SuccessCollection',
        dateCreated: created,
        dateCompleted: mid,
      },
      {
        userInput: customerTexts[1] ?? customerTexts[0] ?? '',
        botPrompts: [botTexts[1] ?? 'Let me connect you with someone who can help.'],
        actionId: prng.uuid(),
        actionName: 'Confirm handoff',
        actionNumber: 2,
        actionType: 'AskForBooleanAction',
        askActionResult: 'AgentRequestedByUser',
        dateCreated: mid,
        dateCompleted: completed,
        // botResult / sessionEndDetails values are UNCONFIRMED beyond the enum names in the Python SDK.
        sessionEnd: { type: 'Exit', reason: 'TransferToACD' },
      },
    ];
    return {
      id: prng.uuid(),
      conversationId,
      flowId: directory.botFlow.id,
      dateCreated: created,
      dateCompleted: completed,
      botResult: 'TransferToACD',
      botResultCategory: 'Transfer',
      language: 'en-us',
      turns,
    };
  };

  const org: OrgState = {
    ...directory,
    getConversation: (id) => {
      settle(id);
      return byId.get(id);
    },
    listConversations: () => conversations,
    addConversation(fixture) {
      const parsed = conversationFixtureSchema.safeParse(fixture);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SandboxError('sandbox.fixture.invalid', `Invalid conversation fixture at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, {
          cause: parsed.error,
        });
      }
      return addParsedConversation(parsed.data);
    },
    addParsedConversation,
    transfers,
    sentMessages,
    priorityOf: (id) => byId.get(id)?.priority,
    customerAttributes: (id) => {
      const c = byId.get(id);
      return c ? customerOf(c)?.attributes : undefined;
    },
    botSessions() {
      if (!sessionsSorted) {
        sessions.sort((a, b) => b.dateCreated - a.dateCreated || (a.id < b.id ? -1 : 1));
        sessionsSorted = true;
      }
      return sessions;
    },
    botSession: (id) => sessionsById.get(id),
    findQueue: (id) => queuesById.get(id),
    moveQueueToDivision(queueId, division) {
      const queue = queuesById.get(queueId);
      if (!queue) throw new SandboxError('sandbox.not.found', `Queue ${queueId} does not exist in this org`);
      queue.division = { id: division.id, name: division.name };
    },
    divisionsOf(conversationId) {
      const c = byId.get(conversationId);
      if (!c) return [];
      const ids = new Set([c.divisionId]);
      for (const p of c.participants) {
        const queue = p.queueId === undefined ? undefined : queuesById.get(p.queueId);
        if (queue) ids.add(queue.division?.id ?? directory.division.id);
      }
      return [...ids];
    },

    patchAttributes(conversationId, participantId, attributes) {
      const p = requireParticipant(requireConversation(conversationId), participantId);
      Object.assign(p.attributes, attributes);
      return { ...p.attributes };
    },

    transferToQueue(conversationId, participantId, target, clientId, apply = 'now') {
      const c = requireConversation(conversationId);
      const p = requireParticipant(c, participantId);
      let queue: QueueRecord | undefined;
      if (target.queueId !== undefined) {
        queue = queuesById.get(target.queueId);
        // Whether Genesys answers an unknown queue in the body with 400 or 404 is UNCONFIRMED.
        if (!queue) throw errors.badRequest(`Queue ${target.queueId} does not exist`, 'queueId');
      } else {
        const name = (target.queueName ?? '').toLowerCase();
        queue = directory.queues.find((q) => q.name.toLowerCase() === name);
        if (!queue) throw errors.badRequest(`Queue named "${target.queueName ?? ''}" does not exist`, 'queueName');
      }
      const flowHeld = c.participants.some((x) => x.purpose === 'workflow' && x.state === 'connected');
      // Codes below are the sandbox's own (UNCONFIRMED): a real org's answer to a replace on a
      // participant that is not (or no longer) in a flow is not documented (docs/genesys-facts.md#bot-held-participant).
      if (!flowHeld) {
        throw errors.invalidState(
          'conversation.not.held.by.flow',
          `Conversation ${conversationId} is no longer held by a flow; it cannot be transferred from the bot again.`,
        );
      }
      if (p.purpose !== 'workflow' || p.state !== 'connected') {
        throw errors.invalidState(
          'participant.not.transferable',
          `Participant ${participantId} (${p.purpose}) is not the flow participant holding the conversation.`,
        );
      }
      const applyNow = (): TransferRecord => {
        const t = now();
        p.state = 'disconnected';
        p.endTime = t;
        p.disconnectType = 'transfer';
        c.participants.push({
          id: prng.uuid(),
          purpose: 'acd',
          name: queue.name,
          state: 'connected',
          startTime: t,
          connectedTime: t,
          queueId: queue.id,
          attributes: {},
          communicationId: prng.uuid(),
          messageIds: [],
          address: directory.deploymentId,
        });
        c.priority = 0;
        const transfer: TransferRecord = { conversationId, participantId, queueId: queue.id, at: new Date(t).toISOString(), clientId };
        transfers.push(transfer);
        emitRouting({ kind: 'queued', conversationId, queueId: queue.id });
        return transfer;
      };
      if (apply === 'now') return applyNow();
      // Accepted but not applied (yet): `transfers` lists applied transfers only.
      const accepted: TransferRecord = { conversationId, participantId, queueId: queue.id, at: new Date(now()).toISOString(), clientId };
      if (apply !== 'never') {
        pendingTransfers.push({
          conversationId,
          dueAt: now() + apply.afterMs,
          // Only if the flow still holds it by then (nothing else moved the conversation).
          apply: () => {
            if (p.state === 'connected') applyNow();
          },
        });
        emitRouting({ kind: 'accepted', conversationId, afterMs: apply.afterMs, dueAt: now() + apply.afterMs });
      }
      return accepted;
    },

    setRoutingAttributes(conversationId, patch) {
      const c = requireConversation(conversationId);
      const inQueue = c.participants.some((x) => x.purpose === 'acd' && x.state === 'connected');
      // "Update attributes of an in-queue conversation" (RoutingApi.md); the code is UNCONFIRMED.
      if (!inQueue) {
        throw errors.invalidState('conversation.not.in.queue', `Conversation ${conversationId} is not waiting in a queue.`);
      }
      if (patch.priority !== undefined) c.priority = patch.priority;
      if (patch.skillIds !== undefined) c.skillIds = patch.skillIds.slice();
      if (patch.languageId !== undefined) c.languageId = patch.languageId;
      return c;
    },

    sendMessage(conversationId, communicationId, text, clientId) {
      const c = requireConversation(conversationId);
      const p = c.participants.find((x) => x.communicationId === communicationId);
      if (!p) throw errors.notFound(`Communication ${communicationId}`);
      // Sending on the customer's own communication, or on a disconnected one, is refused here; the
      // exact Genesys codes are UNCONFIRMED. Sending on a flow or ACD communication is accepted
      // (whether a real org accepts it outside an agent communication is UNCONFIRMED).
      if (p.purpose === 'customer') {
        throw errors.invalidState('communication.not.outbound', `Communication ${communicationId} belongs to the customer; send on an agent or flow communication.`);
      }
      if (p.state !== 'connected') {
        throw errors.invalidState('communication.disconnected', `Communication ${communicationId} is disconnected.`);
      }
      const t = nextMessageTime(c);
      const message: MessageRecord = {
        id: prng.uuid(),
        from: p.purpose === 'agent' ? 'agent' : 'bot',
        text,
        at: t,
        kind: 'text',
        participantId: p.id,
        ...(p.userId === undefined ? {} : { userId: p.userId }),
      };
      sentMessages.push({
        conversationId,
        communicationId,
        participantId: p.id,
        messageId: message.id,
        text,
        at: new Date(t).toISOString(),
        clientId,
      });
      // After the log entry, so a listener (the Guest API pushing it to the guest) sees it logged.
      appendMessage(c, p, message);
      return { conversation: c, message };
    },

    startGuestConversation({ customerAddress, attributes }) {
      const t = now();
      const id = prng.uuid();
      const customer: ParticipantRecord = {
        id: prng.uuid(),
        purpose: 'customer',
        name: 'Web Messaging Guest',
        state: 'connected',
        startTime: t,
        connectedTime: t,
        attributes: { ...attributes },
        communicationId: prng.uuid(),
        messageIds: [],
        address: customerAddress,
      };
      const flow: ParticipantRecord = {
        id: prng.uuid(),
        purpose: 'workflow',
        name: directory.botFlow.name,
        state: 'connected',
        startTime: t,
        connectedTime: t,
        attributes: {},
        communicationId: prng.uuid(),
        messageIds: [],
        address: directory.deploymentId,
      };
      const record: ConversationRecord = {
        id,
        startTime: t,
        divisionId: directory.division.id,
        participants: [customer, flow],
        messages: [],
        priority: undefined,
        skillIds: [],
        languageId: undefined,
        botSessionId: undefined,
      };
      conversations.push(record);
      byId.set(id, record);
      return record;
    },

    addGuestMessage(conversationId, entry) {
      const c = requireConversation(conversationId);
      const customer = customerOf(c) as ParticipantRecord;
      const message: MessageRecord = { id: prng.uuid(), from: 'customer', text: entry.text, at: nextMessageTime(c), kind: entry.kind, participantId: customer.id };
      appendMessage(c, customer, message);
      return message;
    },

    addOutboundMessage(conversationId, entry) {
      const c = requireConversation(conversationId);
      const wanted = entry.from === 'agent' ? ['agent'] : ['workflow', 'acd'];
      const sender = c.participants.find((x) => x.state === 'connected' && wanted.includes(x.purpose));
      if (!sender) {
        throw new SandboxError('sandbox.not.found', `Conversation ${conversationId} has no connected ${entry.from === 'agent' ? 'agent' : 'flow or queue'} participant to send as`);
      }
      const message: MessageRecord = {
        id: prng.uuid(),
        from: entry.from,
        text: entry.text,
        at: nextMessageTime(c),
        kind: 'text',
        participantId: sender.id,
        ...(sender.userId === undefined ? {} : { userId: sender.userId }),
      };
      appendMessage(c, sender, message);
      return message;
    },

    customerReturns(conversationId, texts) {
      const c = requireConversation(conversationId);
      const ended = Math.max(now(), (c.messages.at(-1)?.at ?? 0) + 1);
      endSession(c, ended);
      const session = startSession(c, ended + 1_000);
      for (const text of texts) {
        const message: MessageRecord = { id: prng.uuid(), from: 'customer', text, at: nextMessageTime(c), kind: 'text', participantId: session.customer.id };
        appendMessage(c, session.customer, message);
      }
      return session;
    },

    guestReturns(conversationId) {
      const c = requireConversation(conversationId);
      if (c.participants.some((p) => p.state === 'connected')) return undefined;
      // After the earlier session's end: its messages stay before `since` (core's session.ts).
      return startSession(c, Math.max(now(), ...c.participants.map((p) => (p.endTime ?? 0) + 1)));
    },

    connectAgent(conversationId, userId) {
      const c = requireConversation(conversationId);
      const acd = c.participants.find((x) => x.purpose === 'acd' && x.state === 'connected');
      if (!acd) throw errors.invalidState('conversation.not.in.queue', `Conversation ${conversationId} is not waiting in a queue.`);
      const user = userId === undefined ? directory.agents[0] : directory.agents.find((a) => a.id === userId);
      if (!user) throw new SandboxError('sandbox.not.found', `No agent ${userId ?? ''} in this org`);
      const t = now();
      acd.state = 'disconnected';
      acd.routingPriority = c.priority;
      acd.endTime = t;
      acd.disconnectType = 'transfer';
      const agent: ParticipantRecord = {
        id: prng.uuid(),
        purpose: 'agent',
        name: user.name,
        state: 'connected',
        startTime: t,
        connectedTime: t,
        ...(acd.queueId === undefined ? {} : { queueId: acd.queueId }),
        userId: user.id,
        attributes: {},
        communicationId: prng.uuid(),
        messageIds: [],
        address: directory.deploymentId,
      };
      c.participants.push(agent);
      return agent;
    },

    mergeCustomerAttributes(conversationId, attributes) {
      const customer = customerOf(requireConversation(conversationId));
      if (customer) Object.assign(customer.attributes, attributes);
    },

    endConversation(conversationId) {
      endSession(requireConversation(conversationId), now());
    },

    findMessage(messageId) {
      const live = liveMessages.get(messageId);
      if (live) return live;
      // Seeded messages: a scan, fine for a lookup tools make once per message they display.
      for (const c of conversations) {
        // No messageIndex here: building an index for each of 10,000 seeded conversations to answer one lookup costs more than a scan.
        const m = c.messagesById?.get(messageId) ?? c.messages.find((x) => x.id === messageId);
        if (m) return { conversation: c, message: m };
      }
      return undefined;
    },

    transferToAcd(conversationId, queueId, priority = 0) {
      const c = requireConversation(conversationId);
      const flow = c.participants.find((x) => x.purpose === 'workflow' && x.state === 'connected');
      if (!flow) {
        throw errors.invalidState('conversation.not.held.by.flow', `Conversation ${conversationId} is not held by a flow; Transfer to ACD runs in the flow.`);
      }
      // Agents answer asynchronously (after their delay), so they see this priority.
      const transfer = org.transferToQueue(conversationId, flow.id, { queueId }, 'inbound-message-flow', 'now');
      c.priority = priority;
      return transfer;
    },

    onRouting(listener) {
      routingListeners.add(listener);
      return () => routingListeners.delete(listener);
    },

    recordBotSession(session) {
      const c = requireConversation(session.conversationId);
      sessions.push(session);
      sessionsById.set(session.id, session);
      sessionsSorted = false;
      c.botSessionId = session.id;
    },
    hasBotFlow: (id) => botFlowIds.has(id),
    registerBotFlow(id) {
      botFlowIds.add(id);
    },

    onMessageAdded(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
  };
  return org;
}
