import { randomUUID } from 'node:crypto';
import type { IncomingMessage as HttpRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { MAX_REQUEST_BYTES } from '../http/validation.js';
import type { OrgState } from '../state/org.js';
import type { ConversationRecord, MessageRecord } from '../state/records.js';
import { iso } from '../views/json.js';
import { createGuestFaults, type GuestFaultController } from './guest-faults.js';
import {
  MAX_CUSTOM_DATA_BYTES,
  MAX_TEXT_LENGTH,
  TOO_MANY_REQUESTS_CODE,
  TOO_MANY_REQUESTS_TEXT,
  errorFrame,
  frame,
  guestErrors,
  guestRequestSchema,
  type Frame,
  type GuestRequest,
  type IncomingMessage,
  type SessionResponse,
  type StructuredMessage,
  type TooManyRequestsBody,
} from './protocol.js';

/** The path of the endpoint, as in `wss://webmessaging.{region}/v1?deploymentId=…`. */
export const GUEST_API_PATH = '/v1';

/** What a guest did, published to hooks (the simulated bot and flow subscribe here). */
export interface GuestMessageEvent {
  readonly conversationId: string;
  /** True for the message that started the conversation. */
  readonly newConversation: boolean;
  readonly kind: 'text' | 'typing' | 'presence';
  /** The guest's text (kind `text`). */
  readonly text?: string;
  /** The presence event type the guest sent (kind `presence`, e.g. `Join`). */
  readonly presence?: string;
  /** The id the guest saw in its echo; the org's message id for text and typing entries. */
  readonly messageId: string;
  /** The customer participant's participant data after this message's customAttributes were merged. */
  readonly participantData: Readonly<Record<string, string>>;
}

export interface GuestApi {
  /** Opt-in faults for this channel (none by default). */
  readonly faults: GuestFaultController;
  /** Subscribes to guest messages (after their echo was sent); returns an unsubscribe. */
  onGuestMessage(listener: (event: GuestMessageEvent) => void): () => void;
  /**
   * Sends an Outbound message into a guest's conversation as the bot (`Bot`: the flow or queue
   * participant) or the agent (`Human`). Messages sent through the Platform API reach the guest too.
   */
  sendOutbound(conversationId: string, message: { text: string; originatingEntity: 'Bot' | 'Human' }): MessageRecord;
  /**
   * Ends the conversation from the org's side: participants disconnect, the guest gets a Presence
   * Disconnect event and its session becomes read-only.
   */
  disconnect(conversationId: string): void;
  /** The conversation a guest session token is in, if it started one (tests, harnesses). */
  conversationIdOf(token: string): string | undefined;
  /** For `server.on('upgrade', …)`: answers `/v1`, refuses any other path with 404. */
  handleUpgrade(req: HttpRequest, socket: Duplex, head: Buffer): void;
  /** Terminates every guest socket. */
  close(): void;
}

export interface GuestApiDeps {
  org: OrgState;
  now: () => number;
  /**
   * The deployment's "conversation disconnect" display. `displayToGuest` true (the default): when
   * the org's side ends the conversation the guest is shown a Presence Disconnect and its session
   * becomes read-only (a new conversation needs `startNew`). False: nothing is shown, the session
   * stays writable, and the guest's next message threads into the same conversation id with a new
   * session (a new flow participant), as within the messaging threading timeline
   * (docs/genesys-facts.md#messaging-threading-timeline). UNCONFIRMED: that Genesys sends the
   * Disconnect event only when this display is enabled, and threads a Guest API client's next
   * message otherwise.
   */
  conversationDisconnect?: { displayToGuest: boolean };
  /**
   * The org's messaging threading timeline, minutes (0–4320, default 4320 = 72 h,
   * docs/genesys-facts.md#messaging-threading-timeline): a guest writing again more than this after
   * the conversation ended starts a new conversation; 0 makes every such reply start a new one.
   */
  threadingTimelineMinutes?: number;
  /**
   * Most guest sessions kept (default 10000). A session is made by any token a client sends, so
   * without a bound random tokens grow the map for the sandbox's lifetime. Past the bound, the least
   * recently active session nobody is connected to, or whose conversation ended (read-only), is
   * dropped: its token then starts a new session, as an expired one does. Sessions with a guest
   * connected are never dropped (there are at most as many as open sockets).
   */
  maxSessions?: number;
  /** Where a throwing hook (or a frame the sandbox failed on) is reported; default a process warning (neither may break the socket). */
  onListenerError?: (error: unknown) => void;
}

interface GuestSession {
  readonly token: string;
  readonly deploymentId: string;
  /** Opaque id of the guest as the conversation's customer address shows it (never the token). */
  customerAddress: string;
  conversationId: string | undefined;
  /** customAttributes sent before the conversation started (with a Typing event), applied when it starts. */
  pendingAttributes: Record<string, string>;
  readOnly: boolean;
  readonly sockets: Set<WebSocket>;
}

interface SocketContext {
  /** `deploymentId` from the connection URL. */
  readonly deploymentId: string | undefined;
  token: string | undefined;
}

/** The request's target as a URL, or undefined when it is not one. */
function requestTarget(req: HttpRequest): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://sandbox');
  } catch {
    return undefined;
  }
}

function byteLength(attributes: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(attributes), 'utf8');
}

export function createGuestApi(deps: GuestApiDeps): GuestApi {
  const { org, now } = deps;
  const displayDisconnect = deps.conversationDisconnect?.displayToGuest ?? true;
  const reportListenerError =
    deps.onListenerError ?? ((e: unknown) => process.emitWarning(`Guest API hook failed: ${e instanceof Error ? e.message : String(e)}`));
  // Frames are bounded like HTTP bodies (the Guest API's own frame limit is UNCONFIRMED): a bigger
  // frame closes the socket with 1009 instead of buffering it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  const faults = createGuestFaults();
  // In order of last activity, least recent first (a touched session moves to the end).
  const sessions = new Map<string, GuestSession>();
  const maxSessions = deps.maxSessions ?? 10_000;
  const byConversation = new Map<string, GuestSession>();
  const listeners = new Set<(event: GuestMessageEvent) => void>();
  // Frames held back by a `reorder` fault, per session, delivered after the next frame.
  const held = new Map<GuestSession, string[]>();

  const touch = (session: GuestSession): void => {
    sessions.delete(session.token);
    sessions.set(session.token, session);
  };
  /** Before a new session is added at the bound: drops the least recently active idle or ended one, if any. */
  const makeRoom = (): void => {
    if (sessions.size < maxSessions) return;
    for (const session of sessions.values()) {
      if (session.sockets.size > 0 && !session.readOnly) continue;
      sessions.delete(session.token);
      if (session.conversationId !== undefined && byConversation.get(session.conversationId) === session) byConversation.delete(session.conversationId);
      held.delete(session);
      return;
    }
  };

  const send = (ws: WebSocket, f: Frame): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f));
  };

  /** A pushed frame (type `message`) to every socket of the session, through the reorder fault. */
  const push = (session: GuestSession, f: Frame): void => {
    const data = JSON.stringify(f);
    if (faults.takeReorder()) {
      held.set(session, [...(held.get(session) ?? []), data]);
      return;
    }
    if (sessions.get(session.token) === session) touch(session);
    const out = [data, ...(held.get(session) ?? [])];
    held.delete(session);
    for (const ws of session.sockets) for (const d of out) if (ws.readyState === WebSocket.OPEN) ws.send(d);
  };
  faults.onClear(() => {
    for (const [session, frames] of held) for (const ws of session.sockets) for (const d of frames) if (ws.readyState === WebSocket.OPEN) ws.send(d);
    held.clear();
  });

  const publish = (event: GuestMessageEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (e) {
        reportListenerError(e);
      }
    }
  };

  const inbound = (m: MessageRecord, body: Omit<StructuredMessage, 'id' | 'channel' | 'direction'>): StructuredMessage => ({
    id: m.id,
    channel: { time: iso(m.at), messageId: m.id },
    direction: 'Inbound',
    ...body,
  });

  // Every outbound message of a guest's conversation reaches the guest: those sent through the
  // Platform API (the bridge, an agent) and those the hooks send (sendOutbound).
  org.onMessageAdded((c: ConversationRecord, m: MessageRecord) => {
    if (m.from === 'customer' || m.kind !== 'text') return;
    const session = byConversation.get(c.id);
    if (!session) return;
    const sender = c.participants.find((p) => p.id === m.participantId);
    const body: StructuredMessage = {
      id: m.id,
      channel: { time: iso(m.at), messageId: m.id, type: 'Private', ...(sender ? { from: { nickname: sender.name } } : {}) },
      type: 'Text',
      text: m.text,
      direction: 'Outbound',
      content: [],
      originatingEntity: m.from === 'bot' ? 'Bot' : 'Human',
      metadata: { correlationId: randomUUID() },
    };
    push(session, frame('message', 'StructuredMessage', 200, body));
  });

  const threadingTimelineMs = (deps.threadingTimelineMinutes ?? 72 * 60) * 60_000;
  /** Every participant disconnected, the last more than the threading timeline ago (0: any time ago). */
  const outsideThreadingTimeline = (conversationId: string): boolean => {
    const participants = org.getConversation(conversationId)?.participants ?? [];
    if (participants.length === 0 || participants.some((p) => p.state !== 'disconnected')) return false;
    const endedAt = Math.max(...participants.map((p) => p.endTime ?? 0));
    return threadingTimelineMs === 0 || now() - endedAt > threadingTimelineMs;
  };

  const startConversation = (session: GuestSession, attributes: Record<string, string>): string => {
    const c = org.startGuestConversation({ customerAddress: session.customerAddress, attributes: { ...session.pendingAttributes, ...attributes } });
    session.pendingAttributes = {};
    session.conversationId = c.id;
    byConversation.set(c.id, session);
    return c.id;
  };

  const configureSession = (ws: WebSocket, ctx: SocketContext, req: Extract<GuestRequest, { action: 'configureSession' }>): void => {
    // Both the URL's and the request's deploymentId must name the org's deployment.
    if (req.deploymentId !== org.deploymentId || (ctx.deploymentId !== undefined && ctx.deploymentId !== req.deploymentId)) {
      send(ws, errorFrame(guestErrors.deploymentNotFound, req.tracingId));
      return;
    }
    let session = sessions.get(req.token);
    let newSession = false;
    if (session && session.deploymentId !== req.deploymentId) {
      send(ws, errorFrame(guestErrors.deploymentNotFound, req.tracingId));
      return;
    }
    if (!session) {
      makeRoom();
      session = { token: req.token, deploymentId: req.deploymentId, customerAddress: randomUUID(), conversationId: undefined, pendingAttributes: {}, readOnly: false, sockets: new Set() };
      sessions.set(req.token, session);
      newSession = true;
    } else if (req.startNew === true && session.readOnly) {
      // startNew on a read-only session: the same token starts over with a fresh conversation.
      if (session.conversationId !== undefined) byConversation.delete(session.conversationId);
      session.conversationId = undefined;
      session.pendingAttributes = {};
      session.readOnly = false;
      session.customerAddress = randomUUID();
      newSession = true;
    }
    if (ctx.token !== undefined && ctx.token !== req.token) sessions.get(ctx.token)?.sockets.delete(ws);
    ctx.token = req.token;
    session.sockets.add(ws);
    touch(session);
    const body: SessionResponse = { connected: true, newSession, readOnly: session.readOnly, maxCustomDataBytes: MAX_CUSTOM_DATA_BYTES };
    send(ws, frame('response', 'SessionResponse', 200, body, req.tracingId));
  };

  const onMessage = (ws: WebSocket, req: Extract<GuestRequest, { action: 'onMessage' }>): void => {
    const session = sessions.get(req.token);
    if (!session) {
      send(ws, errorFrame(guestErrors.sessionNotFound, req.tracingId));
      return;
    }
    touch(session);
    const retryAfter = faults.takeTooManyRequests();
    if (retryAfter !== undefined) {
      const body: TooManyRequestsBody = { retryAfter, errorCode: TOO_MANY_REQUESTS_CODE, errorMessage: TOO_MANY_REQUESTS_TEXT };
      send(ws, frame('response', 'TooManyRequestsErrorMessage', 429, body, req.tracingId));
      return;
    }
    if (session.readOnly) {
      send(ws, errorFrame(guestErrors.readOnly, req.tracingId));
      return;
    }
    const msg: IncomingMessage = req.message;
    // Clients differ: the Java SDK sends customAttributes in the request's `channel`, the mobile
    // SDK inside `message.channel`; both are accepted, the message's own winning on a clash.
    const attributes = { ...(req.channel?.metadata?.customAttributes ?? {}), ...(msg.channel?.metadata?.customAttributes ?? {}) };
    if (byteLength(attributes) > MAX_CUSTOM_DATA_BYTES) {
      send(ws, errorFrame(guestErrors.customAttributesTooLarge, req.tracingId));
      return;
    }

    if (msg.type === 'Text') {
      const text = msg.text ?? '';
      if (text.length > MAX_TEXT_LENGTH) {
        send(ws, errorFrame(guestErrors.messageTooLong, req.tracingId));
        return;
      }
      if (text.trim() === '') {
        send(ws, errorFrame(guestErrors.requestFailed, req.tracingId));
        return;
      }
      // The org's side ended it without showing the guest (no Presence Disconnect): within the
      // threading timeline the guest's message threads into the same conversation, held by a new
      // flow participant; after it, the message starts a new conversation.
      if (session.conversationId !== undefined && !displayDisconnect && outsideThreadingTimeline(session.conversationId)) {
        byConversation.delete(session.conversationId);
        session.conversationId = undefined;
      }
      const newConversation = session.conversationId === undefined;
      const conversationId = session.conversationId ?? startConversation(session, attributes);
      if (!newConversation && !displayDisconnect) org.guestReturns(conversationId);
      if (!newConversation) org.mergeCustomerAttributes(conversationId, attributes);
      const m = org.addGuestMessage(conversationId, { kind: 'text', text });
      push(session, frame('message', 'StructuredMessage', 200, inbound(m, { type: 'Text', text, ...(msg.metadata ? { metadata: msg.metadata } : {}) })));
      publish({ conversationId, newConversation, kind: 'text', text, messageId: m.id, participantData: { ...(org.customerAttributes(conversationId) ?? {}) } });
      return;
    }

    if (msg.type === 'Event' && msg.events?.length === 1) {
      const event = msg.events[0] as NonNullable<IncomingMessage['events']>[number];
      if (event.eventType === 'Typing' && event.typing?.type === 'On') {
        // UNCONFIRMED: that the service echoes the guest's own Typing event back as an Inbound
        // StructuredMessage; the SDKs document the event shape (EventTyping, duration in ms) only.
        const conversationId = session.conversationId;
        if (conversationId !== undefined) org.mergeCustomerAttributes(conversationId, attributes);
        else Object.assign(session.pendingAttributes, attributes);
        const m = conversationId === undefined ? undefined : org.addGuestMessage(conversationId, { kind: 'event', text: '' });
        const id = m?.id ?? randomUUID();
        const time = iso(m?.at ?? now());
        const typing = { type: 'On' as const, duration: event.typing.duration ?? 5000 };
        const body: StructuredMessage = { id, channel: { time, messageId: id }, type: 'Event', direction: 'Inbound', events: [{ eventType: 'Typing', typing }] };
        push(session, frame('message', 'StructuredMessage', 200, body));
        if (conversationId !== undefined) {
          publish({ conversationId, newConversation: false, kind: 'typing', messageId: id, participantData: { ...(org.customerAttributes(conversationId) ?? {}) } });
        }
        return;
      }
      if (event.eventType === 'Presence' && event.presence?.type === 'Join') {
        // Presence Join is how a client auto-starts the conversation (the mobile SDK's AutoStartRequest);
        // its Inbound echo tells the client the conversation started (Event.ConversationAutostart).
        const newConversation = session.conversationId === undefined;
        const conversationId = session.conversationId ?? startConversation(session, attributes);
        if (!newConversation) org.mergeCustomerAttributes(conversationId, attributes);
        const id = randomUUID();
        const body: StructuredMessage = { id, channel: { time: iso(now()), messageId: id }, type: 'Event', direction: 'Inbound', events: [{ eventType: 'Presence', presence: { type: 'Join' } }] };
        push(session, frame('message', 'StructuredMessage', 200, body));
        publish({ conversationId, newConversation, kind: 'presence', presence: 'Join', messageId: id, participantData: { ...(org.customerAttributes(conversationId) ?? {}) } });
        return;
      }
    }
    // Other message types and events (attachments, Structured, Clear, Typing Off …) are outside the sandbox's subset.
    send(ws, errorFrame(guestErrors.requestFailed, req.tracingId));
  };

  const echo = (ws: WebSocket, req: Extract<GuestRequest, { action: 'echo' }>): void => {
    // The heartbeat: answered as a `response` StructuredMessage repeating the text, Inbound, with the
    // request's tracingId as metadata.customMessageId (mobile SDK fixture `healthCheckResponse`).
    // Not a conversation message: nothing is recorded.
    const body: StructuredMessage = {
      id: randomUUID().replaceAll('-', ''),
      type: 'Text',
      text: req.message.text ?? '',
      direction: 'Inbound',
      ...(req.tracingId === undefined ? {} : { metadata: { customMessageId: req.tracingId } }),
    };
    send(ws, frame('response', 'StructuredMessage', 200, body, req.tracingId));
  };

  const closeSession = (ws: WebSocket, req: Extract<GuestRequest, { action: 'closeSession' }>): void => {
    const session = sessions.get(req.token);
    if (!session) {
      send(ws, errorFrame(guestErrors.sessionNotFound, req.tracingId));
      return;
    }
    // closeAllConnections: the session's other sockets get a ConnectionClosedEvent and close
    // (web-messaging-sdk-java CloseSessionRequest / ConnectionClosedEvent).
    if (req.closeAllConnections === true) {
      for (const other of session.sockets) {
        if (other === ws) continue;
        send(other, frame('message', 'ConnectionClosedEvent', 200, {}));
        other.close(1000, 'Session closed');
      }
      session.sockets.clear();
      session.sockets.add(ws);
    }
    const body: SessionResponse = { connected: false, newSession: false, readOnly: session.readOnly, maxCustomDataBytes: MAX_CUSTOM_DATA_BYTES };
    send(ws, frame('response', 'SessionResponse', 200, body, req.tracingId));
  };

  const onFrame = (ws: WebSocket, ctx: SocketContext, data: RawData, isBinary: boolean): void => {
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      json = undefined;
    }
    const parsed = guestRequestSchema.safeParse(json);
    if (!parsed.success) {
      const tracingId = (json as { tracingId?: unknown } | undefined)?.tracingId;
      send(ws, errorFrame(guestErrors.requestFailed, typeof tracingId === 'string' ? tracingId : undefined));
      return;
    }
    const req = parsed.data;
    switch (req.action) {
      case 'configureSession':
        configureSession(ws, ctx, req);
        return;
      case 'onMessage':
        onMessage(ws, req);
        return;
      case 'echo':
        echo(ws, req);
        return;
      case 'closeSession':
        closeSession(ws, req);
        return;
    }
  };

  wss.on('connection', (ws: WebSocket, req: HttpRequest) => {
    const deploymentId = requestTarget(req)?.searchParams.get('deploymentId') ?? undefined;
    const ctx: SocketContext = { deploymentId, token: undefined };
    ws.on('message', (data, isBinary) => {
      // An exception thrown here would be uncaught and end the whole process (every guest, the
      // Platform API, the console): the frame is refused as a bad one and the fault reported.
      try {
        onFrame(ws, ctx, data, isBinary);
      } catch (e) {
        reportListenerError(e);
        send(ws, errorFrame(guestErrors.requestFailed));
      }
    });
    // A protocol error (oversized frame, invalid UTF-8) is emitted as 'error': without a listener it
    // would throw and take the whole sandbox down. ws closes the socket itself with the right code.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      const session = ctx.token === undefined ? undefined : sessions.get(ctx.token);
      if (!session) return;
      session.sockets.delete(ws);
      // Idle from now: its last activity is when its guest left.
      touch(session);
    });
  });

  return {
    faults,
    onGuestMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sendOutbound(conversationId, message) {
      return org.addOutboundMessage(conversationId, { from: message.originatingEntity === 'Bot' ? 'bot' : 'agent', text: message.text });
    },
    disconnect(conversationId) {
      org.endConversation(conversationId);
      const session = byConversation.get(conversationId);
      if (!session || !displayDisconnect) return;
      session.readOnly = true;
      // A Presence Disconnect, Outbound, with metadata readOnly "true" when the deployment makes
      // ended conversations read-only (the mobile SDK reads metadata["readOnly"] on this event).
      const id = randomUUID();
      const body: StructuredMessage = {
        id,
        channel: { time: iso(now()), messageId: id, type: 'Private' },
        type: 'Event',
        direction: 'Outbound',
        events: [{ eventType: 'Presence', presence: { type: 'Disconnect' } }],
        metadata: { correlationId: randomUUID(), readOnly: 'true' },
      };
      push(session, frame('message', 'StructuredMessage', 200, body));
    },
    conversationIdOf: (token) => sessions.get(token)?.conversationId,
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      // A request target that is not a URL (`http://[`) must not throw here: this runs in the HTTP
      // server's 'upgrade' event, where an exception ends the whole process.
      const target = requestTarget(req);
      if (target === undefined) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (target.pathname !== GUEST_API_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
