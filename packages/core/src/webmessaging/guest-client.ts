import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { GENESYS_REGIONS, findRegion } from '../genesys/regions.js';
import { createReorderBuffer, type ReorderBuffer } from './reorder-buffer.js';

/**
 * A client of Genesys's Web Messaging Guest API (the customer's side of web messaging), built to
 * the documented protocol (docs/genesys-facts.md#web-messaging-guest-api): a WebSocket to
 * `<origin>/v1?deploymentId=…`, `configureSession` with a token, `onMessage` (Text, Typing and
 * Presence Join events), `echo` as the heartbeat, `closeSession`. Every frame from the service is
 * the envelope `{type, class, code, body, tracingId?}`. Uses Node's built-in WebSocket (Node 22+),
 * so core takes no dependency for it.
 */

/** Every frame the service sends (BaseMessage). */
export interface GuestApiFrame {
  type: 'response' | 'message' | string;
  class: string;
  code: number;
  body: unknown;
  tracingId?: string;
}

/** The parts of a StructuredMessage the client reads. */
export interface GuestStructuredMessage {
  id?: string;
  type?: string;
  text?: string;
  direction?: 'Inbound' | 'Outbound' | string;
  originatingEntity?: 'Bot' | 'Human' | string;
  channel?: { time?: string; messageId?: string; from?: { nickname?: string } & Record<string, unknown> } & Record<string, unknown>;
  events?: { eventType?: string; typing?: { type?: string; duration?: number }; presence?: { type?: string } }[];
  metadata?: Record<string, string>;
}

export interface GuestSessionInfo {
  connected: boolean;
  /** False when the token resumed an existing session. */
  newSession: boolean;
  readOnly: boolean;
  maxCustomDataBytes?: number;
}

/** Who a message came from: the guest's own (Inbound, echoed back), the bot's or a human agent's. */
export type GuestSender = 'guest' | 'bot' | 'agent' | 'unknown';

interface MessageBase {
  /** The message id the service gave it (what `GET /api/v2/conversations/messages/{messageId}/details` takes). */
  id: string;
  /** channel.time, ISO-8601 ('' when absent). */
  time: string;
  from: GuestSender;
  /** channel.from.nickname (e.g. the agent's name) when the service sent one. */
  nickname?: string;
  /** The body as received. */
  raw: GuestStructuredMessage;
}

export type GuestClientEvent =
  | ({ kind: 'session' } & GuestSessionInfo)
  | (MessageBase & { kind: 'text'; text: string })
  | (MessageBase & { kind: 'typing'; durationMs?: number })
  /** Presence Join / Disconnect. After a Disconnect with metadata readOnly "true" the session is read-only. */
  | (MessageBase & { kind: 'presence'; presence: string; readOnly: boolean })
  /** A frame the client does not model (attachments, Structured, other events), passed on as is. */
  | { kind: 'other'; frame: GuestApiFrame }
  /** A non-200 frame: its code, its text (`errorMessage` of a TooManyRequestsErrorMessage), retryAfter for 429s. */
  | { kind: 'error'; code: number; message: string; frameClass: string; retryAfterSeconds?: number; tracingId?: string }
  | { kind: 'closed'; code: number; reason: string };

/** A non-200 answer to a request, or a request the service never answered. */
export class GuestApiError extends Error {
  readonly code: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: number, message: string, retryAfterSeconds?: number) {
    super(`Guest API ${code}: ${message}`);
    this.name = 'GuestApiError';
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * UNCONFIRMED: the service's idle timeout is not documented where we could read it. The official
 * mobile SDK sends its health check (an `echo`) at most once per 30 s, so the client never beats
 * faster than that, and by default every 60 s.
 */
export const MIN_HEARTBEAT_MS = 30_000;
export const DEFAULT_HEARTBEAT_MS = 60_000;
/** How long pushed messages are held to be put back in time order (Genesys may deliver them out of order). */
export const DEFAULT_REORDER_WINDOW_MS = 300;
/** How long a request waits for its answer before failing with code 0. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface GuestClientOptions {
  /**
   * The Guest API origin: `wss://webmessaging.<region domain>` for a real org (see
   * `webMessagingOriginFor`), the sandbox's `webMessagingUrl` offline. `/v1?deploymentId=` is added.
   */
  origin: string;
  deploymentId: string;
  /** The session token: reuse one to resume its session. Default a random UUID. */
  token?: string;
  clock?: Clock;
  /** Heartbeat (`echo`) interval; at least MIN_HEARTBEAT_MS; 0 turns it off. Default DEFAULT_HEARTBEAT_MS. */
  heartbeatMs?: number;
  /** Default DEFAULT_REORDER_WINDOW_MS; 0 delivers in arrival order. */
  reorderWindowMs?: number;
  requestTimeoutMs?: number;
  /** Seam: the WebSocket constructor (default the global one). */
  WebSocket?: typeof WebSocket;
}

export interface GuestClient {
  readonly token: string;
  /** The URL connected to (`<origin>/v1?deploymentId=…`). */
  readonly endpoint: string;
  /** True after a Presence Disconnect that made the session read-only, or a SessionResponse saying so. */
  readonly readOnly: boolean;
  /** Opens the socket and configures the session; `startNew` starts over on a read-only session. */
  connect(options?: { startNew?: boolean }): Promise<GuestSessionInfo>;
  /**
   * Sends a Text message; resolves with the service's Inbound echo of it (its id is the org's message
   * id), rejects with a GuestApiError on an error frame (read-only session, too long, 429 …).
   * `customAttributes` are sent in the request's `channel.metadata` (as the Java SDK does); they
   * become the customer's participant data.
   */
  sendText(text: string, customAttributes?: Record<string, string>): Promise<Extract<GuestClientEvent, { kind: 'text' }>>;
  /** A Typing On event (fire and forget: an error frame arrives as an `error` event). */
  sendTyping(customAttributes?: Record<string, string>): void;
  /** A Presence Join event: starts the conversation without a text (the mobile SDK's auto-start). */
  sendPresenceJoin(customAttributes?: Record<string, string>): void;
  /** One heartbeat; resolves when the service answers it. */
  echo(): Promise<void>;
  /** Subscribes to events (in time order for pushed messages); returns an unsubscribe. */
  on(listener: (event: GuestClientEvent) => void): () => void;
  /** Stops the heartbeat, releases held messages, closes the socket (1000). Idempotent. */
  close(): Promise<void>;
}

/** `wss://webmessaging.<domain>` for a region name or domain (docs/genesys-facts.md#web-messaging-guest-api); undefined if unknown. */
export function webMessagingOriginFor(region: string): string | undefined {
  const found = findRegion(region);
  return found ? `wss://webmessaging.${GENESYS_REGIONS[found.name]}` : undefined;
}

export function guestApiEndpoint(origin: string, deploymentId: string): string {
  const url = new URL('/v1', origin.replace(/\/+$/, '') + '/');
  url.searchParams.set('deploymentId', deploymentId);
  return url.toString();
}

function messageTime(body: GuestStructuredMessage): number {
  return body.channel?.time ? Date.parse(body.channel.time) : Number.NaN;
}

function senderOf(body: GuestStructuredMessage): GuestSender {
  if (body.direction === 'Inbound') return 'guest';
  if (body.originatingEntity === 'Human') return 'agent';
  if (body.originatingEntity === 'Bot') return 'bot';
  return 'unknown';
}

/** A StructuredMessage pushed by the service, as a client event (undefined: not one the client models). */
export function toGuestEvent(body: GuestStructuredMessage): GuestClientEvent | undefined {
  const base: MessageBase = {
    id: body.id ?? body.channel?.messageId ?? '',
    time: body.channel?.time ?? '',
    from: senderOf(body),
    ...(typeof body.channel?.from?.nickname === 'string' ? { nickname: body.channel.from.nickname } : {}),
    raw: body,
  };
  if (body.type === 'Text' || (body.type === 'Structured' && typeof body.text === 'string')) {
    return { ...base, kind: 'text', text: body.text ?? '' };
  }
  if (body.type === 'Event' && body.events?.length) {
    const event = body.events[0]!;
    if (event.eventType === 'Typing') return { ...base, kind: 'typing', ...(event.typing?.duration !== undefined ? { durationMs: event.typing.duration } : {}) };
    if (event.eventType === 'Presence') {
      const presence = event.presence?.type ?? '';
      // The mobile SDK reads metadata.readOnly on a Disconnect: "true" when the deployment makes
      // ended conversations read-only.
      return { ...base, kind: 'presence', presence, readOnly: presence === 'Disconnect' && body.metadata?.readOnly === 'true' };
    }
  }
  return undefined;
}

function errorText(frame: GuestApiFrame): { message: string; retryAfterSeconds?: number } {
  const body = frame.body as { errorMessage?: unknown; retryAfter?: unknown } | string | undefined;
  if (typeof body === 'string') return { message: body };
  if (body && typeof body === 'object') {
    const message = typeof body.errorMessage === 'string' ? body.errorMessage : JSON.stringify(body);
    return typeof body.retryAfter === 'number' ? { message, retryAfterSeconds: body.retryAfter } : { message };
  }
  return { message: String(body) };
}

interface Pending {
  kind: 'configure' | 'text' | 'echo' | 'close';
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  cancelTimer: () => void;
}

export function createGuestClient(options: GuestClientOptions): GuestClient {
  const clock = options.clock ?? systemClock;
  const token = options.token ?? randomUUID();
  const endpoint = guestApiEndpoint(options.origin, options.deploymentId);
  const heartbeatMs = options.heartbeatMs === 0 ? 0 : Math.max(MIN_HEARTBEAT_MS, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
  const listeners = new Set<(event: GuestClientEvent) => void>();
  // Requests awaiting an answer, by tracingId (the service echoes it on its answers).
  const pending = new Map<string, Pending>();
  let socket: WebSocket | undefined;
  let readOnly = false;
  let closed = false;
  let stopHeartbeat: () => void = () => undefined;
  let closing: Promise<void> | undefined;

  const emit = (event: GuestClientEvent): void => {
    if (event.kind === 'presence' && event.readOnly) readOnly = true;
    for (const l of listeners) {
      // Listeners run on socket and timer callbacks: one that throws must not stop the others or
      // the frames after it.
      try {
        l(event);
      } catch (error) {
        process.emitWarning(`Guest API client listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const buffer: ReorderBuffer<GuestClientEvent> = createReorderBuffer({ windowMs: options.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS, clock, release: emit });

  const track = (kind: Pending['kind'], tracingId: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const cancelTimer = clock.setTimer(requestTimeoutMs, () => {
        if (pending.delete(tracingId)) reject(new GuestApiError(0, `no answer to ${kind} within ${requestTimeoutMs} ms`));
      });
      pending.set(tracingId, { kind, resolve, reject, cancelTimer });
    });
  const settle = (tracingId: string | undefined, outcome: { value: unknown } | { error: Error }): boolean => {
    const p = tracingId === undefined ? undefined : pending.get(tracingId);
    if (!p || tracingId === undefined) return false;
    pending.delete(tracingId);
    p.cancelTimer();
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(outcome.value);
    return true;
  };
  const failAll = (error: Error): void => {
    for (const [id, p] of [...pending]) {
      pending.delete(id);
      p.cancelTimer();
      p.reject(error);
    }
  };

  const send = (request: Record<string, unknown>): void => {
    if (!socket || socket.readyState !== WebSocketImpl.OPEN) throw new GuestApiError(0, 'not connected');
    socket.send(JSON.stringify({ token, ...request }));
  };

  const onFrame = (data: unknown): void => {
    let frame: GuestApiFrame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8')) as GuestApiFrame;
    } catch {
      emit({ kind: 'error', code: 0, message: 'a frame that is not JSON', frameClass: '' });
      return;
    }
    if (frame.code !== 200) {
      const { message, retryAfterSeconds } = errorText(frame);
      const error = new GuestApiError(frame.code, message, retryAfterSeconds);
      // An error names its request by tracingId when the service echoes it; if it does not, it is
      // taken as the answer to the oldest request still waiting (answers come in request order).
      if (!settle(frame.tracingId, { error })) {
        const oldest = [...pending.entries()].find(([, p]) => p.kind !== 'echo')?.[0];
        settle(oldest, { error });
      }
      emit({
        kind: 'error',
        code: frame.code,
        message,
        frameClass: frame.class,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(frame.tracingId !== undefined ? { tracingId: frame.tracingId } : {}),
      });
      return;
    }
    if (frame.type === 'response') {
      if (frame.class === 'SessionResponse') {
        const body = frame.body as Partial<GuestSessionInfo>;
        const info: GuestSessionInfo = {
          connected: body.connected === true,
          newSession: body.newSession === true,
          readOnly: body.readOnly === true,
          ...(typeof body.maxCustomDataBytes === 'number' ? { maxCustomDataBytes: body.maxCustomDataBytes } : {}),
        };
        readOnly = info.readOnly;
        if (!settle(frame.tracingId, { value: info })) emit({ kind: 'session', ...info });
        return;
      }
      // The echo's answer (a StructuredMessage response): not a conversation message.
      const body = frame.body as GuestStructuredMessage;
      settle(frame.tracingId ?? body.metadata?.customMessageId, { value: undefined });
      return;
    }
    if (frame.class === 'StructuredMessage') {
      const body = frame.body as GuestStructuredMessage;
      const event = toGuestEvent(body);
      if (!event) {
        emit({ kind: 'other', frame });
        return;
      }
      // The Inbound echo of a text carries the customMessageId the client sent: it answers sendText.
      const customMessageId = body.direction === 'Inbound' ? body.metadata?.customMessageId : undefined;
      if (event.kind === 'text' && customMessageId !== undefined) settle(customMessageId, { value: event });
      buffer.add(event, messageTime(body));
      return;
    }
    emit({ kind: 'other', frame });
  };

  const withAttributes = (attributes: Record<string, string> | undefined): Record<string, unknown> =>
    attributes && Object.keys(attributes).length > 0 ? { channel: { metadata: { customAttributes: attributes } } } : {};

  const beat = (): void => {
    stopHeartbeat = clock.setTimer(heartbeatMs, () => {
      if (closed) return;
      client.echo().catch((error: unknown) => {
        emit({ kind: 'error', code: error instanceof GuestApiError ? error.code : 0, message: `heartbeat failed: ${error instanceof Error ? error.message : String(error)}`, frameClass: '' });
      });
      beat();
    });
  };

  const client: GuestClient = {
    token,
    endpoint,
    get readOnly() {
      return readOnly;
    },
    async connect(connectOptions = {}) {
      if (closed) throw new GuestApiError(0, 'client closed');
      const ws = new WebSocketImpl(endpoint);
      socket = ws;
      await new Promise<void>((resolve, reject) => {
        const onOpen = () => {
          ws.removeEventListener('error', onError);
          resolve();
        };
        const onError = () => {
          ws.removeEventListener('open', onOpen);
          reject(new GuestApiError(0, `could not connect to ${endpoint}`));
        };
        ws.addEventListener('open', onOpen, { once: true });
        ws.addEventListener('error', onError, { once: true });
      });
      ws.addEventListener('message', (e: MessageEvent) => onFrame(e.data));
      ws.addEventListener('close', (e: CloseEvent) => {
        stopHeartbeat();
        buffer.flush();
        failAll(new GuestApiError(0, `connection closed (${e.code})`));
        emit({ kind: 'closed', code: e.code, reason: e.reason });
      });
      const tracingId = randomUUID();
      const answer = track('configure', tracingId);
      send({ action: 'configureSession', deploymentId: options.deploymentId, tracingId, ...(connectOptions.startNew ? { startNew: true } : {}) });
      const info = (await answer) as GuestSessionInfo;
      emit({ kind: 'session', ...info });
      if (heartbeatMs > 0) beat();
      return info;
    },
    async sendText(text, customAttributes) {
      const tracingId = randomUUID();
      const answer = track('text', tracingId);
      try {
        send({ action: 'onMessage', tracingId, message: { type: 'Text', text, metadata: { customMessageId: tracingId } }, ...withAttributes(customAttributes) });
      } catch (error) {
        settle(tracingId, { error: error as Error });
      }
      return (await answer) as Extract<GuestClientEvent, { kind: 'text' }>;
    },
    sendTyping(customAttributes) {
      send({ action: 'onMessage', tracingId: randomUUID(), message: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On' } }] }, ...withAttributes(customAttributes) });
    },
    sendPresenceJoin(customAttributes) {
      send({ action: 'onMessage', tracingId: randomUUID(), message: { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Join' } }] }, ...withAttributes(customAttributes) });
    },
    async echo() {
      const tracingId = randomUUID();
      const answer = track('echo', tracingId);
      try {
        // tracingId and customMessageId carry the same value: the service answers with one or the other.
        send({ action: 'echo', tracingId, message: { type: 'Text', text: 'ping', metadata: { customMessageId: tracingId } } });
      } catch (error) {
        settle(tracingId, { error: error as Error });
      }
      await answer;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= (async () => {
        closed = true;
        stopHeartbeat();
        buffer.flush();
        const ws = socket;
        if (!ws || ws.readyState === WebSocketImpl.CLOSED) return;
        await new Promise<void>((resolve) => {
          ws.addEventListener('close', () => resolve(), { once: true });
          ws.close(1000, 'guest closed');
        });
      })();
      return closing;
    },
  };
  return client;
}
