import { z } from 'zod';

/**
 * The Web Messaging Guest API's WebSocket protocol, as the official messaging SDKs model it
 * (MyPureCloud/web-messaging-sdk-java build/docs: BaseMessage, SessionResponse, StructuredMessage,
 * ConfigureSessionRequest, SendMessageRequest, SendEchoRequest, TooManyRequestsErrorMessage;
 * MyPureCloud/genesys-messenger-transport-mobile-sdk: core/ErrorCode.kt and its test fixtures).
 * Every frame the server sends is the envelope `{type, class, code, body}` (BaseMessage): `type`
 * `response` answers a request, `message` is pushed; `class` names the body's model, `string` for
 * a plain error text; `code` is 200 on success, else an HTTP-like or a 4xxx protocol code
 * (docs/genesys-facts.md#web-messaging-guest-api).
 */

export type FrameType = 'response' | 'message';

export interface Frame<B = unknown> {
  type: FrameType;
  class: string;
  code: number;
  body: B;
  /** Echoed from the request when it carried one (BaseMessage.tracingId). */
  tracingId?: string;
}

/** SessionResponse (web-messaging-sdk-java build/docs/SessionResponse.md). */
export interface SessionResponse {
  connected: boolean;
  newSession: boolean;
  readOnly: boolean;
  maxCustomDataBytes: number;
  clearedExistingSession?: boolean;
}

export interface MessageEvent {
  eventType: 'Typing' | 'Presence';
  typing?: { type: 'On' | 'Off'; duration?: number };
  presence?: { type: string };
}

/** StructuredMessage (web-messaging-sdk-java build/docs/StructuredMessage.md; `originatingEntity` from the mobile SDK's receive model). */
export interface StructuredMessage {
  id: string;
  type: 'Text' | 'Event';
  text?: string;
  direction: 'Inbound' | 'Outbound';
  /** Absent on the echo (heartbeat) answer only. */
  channel?: { time: string; messageId: string; type?: 'Private'; from?: Record<string, string>; to?: Record<string, string> };
  content?: unknown[];
  events?: MessageEvent[];
  metadata?: Record<string, string>;
  originatingEntity?: 'Bot' | 'Human';
}

/** TooManyRequestsErrorMessage (web-messaging-sdk-java build/docs/TooManyRequestsErrorMessage.md). */
export interface TooManyRequestsBody {
  retryAfter: number;
  errorCode: number;
  errorMessage: string;
}

/**
 * Protocol codes and texts. Codes are those the mobile SDK maps (core/ErrorCode.kt); the texts
 * are those its tests replay from the service (transport/src/androidUnitTest .../util/Response.kt)
 * where one exists. A real org's exact wording can differ: clients branch on `code`.
 */
export const guestErrors = {
  /** configureSession for a deployment the org does not have (mobile SDK test fixture `configureFail`). */
  deploymentNotFound: { code: 400, body: 'Deployment not found' },
  /** A frame that is not JSON or not a known request (fixture `webSocketRequestFailed`). */
  requestFailed: { code: 400, body: 'Request failed.' },
  /** A request on a token no configureSession has set up (ErrorCode 4007 SessionNotFound). */
  sessionNotFound: { code: 4007, body: 'session not found' },
  /** Text longer than `MAX_TEXT_LENGTH` (ErrorCode 4011 MessageTooLong). */
  messageTooLong: { code: 4011, body: 'message too long' },
  /** customAttributes past `MAX_CUSTOM_DATA_BYTES` (ErrorCode 4013, fixture `customAttributeSizeTooLarge`). */
  customAttributesTooLarge: { code: 4013, body: `Custom Attributes in channel metadata is larger than 2048 bytes` },
  /**
   * A message on a read-only session (after a Presence Disconnect). UNCONFIRMED: the mobile SDK
   * refuses to send client-side in its ReadOnly state, so no source shows the service's answer;
   * 400 with this text is the sandbox's choice.
   */
  readOnly: { code: 400, body: 'Conversation is read-only; configure a new session (startNew) to send messages.' },
} as const;

/** ErrorCode 4029 RequestRateTooHigh, in a TooManyRequestsErrorMessage (mobile SDK fixture `tooManyRequests`). */
export const TOO_MANY_REQUESTS_CODE = 4029;
export const TOO_MANY_REQUESTS_TEXT = 'Message rate too high for this session';

/** The customAttributes limit the 4013 text names; sent as SessionResponse.maxCustomDataBytes. */
export const MAX_CUSTOM_DATA_BYTES = 2048;
/** UNCONFIRMED: the Guest API's text limit is not in the SDKs; 4096 characters is the sandbox's choice. */
export const MAX_TEXT_LENGTH = 4096;

const customAttributesSchema = z.record(z.string(), z.string());
const channelSchema = z.looseObject({ metadata: z.looseObject({ customAttributes: customAttributesSchema.optional() }).optional() }).optional();

const eventSchema = z.looseObject({
  eventType: z.string(),
  typing: z.looseObject({ type: z.string(), duration: z.number().optional() }).optional(),
  presence: z.looseObject({ type: z.string() }).optional(),
});

/** IncomingNormalizedMessage: what onMessage and echo carry. */
const incomingMessageSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  events: z.array(eventSchema).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  // Some clients (the mobile SDK's TextMessage) put customAttributes here, others at the top level.
  channel: channelSchema,
});

const base = { token: z.string().min(1), tracingId: z.string().optional() };

/** The requests the sandbox answers, by `action` (web-messaging-sdk-java build/docs/RequestType.md). */
export const guestRequestSchema = z.discriminatedUnion('action', [
  z.looseObject({ action: z.literal('configureSession'), ...base, deploymentId: z.string(), startNew: z.boolean().optional() }),
  z.looseObject({ action: z.literal('onMessage'), ...base, message: incomingMessageSchema, channel: channelSchema, time: z.string().optional() }),
  z.looseObject({ action: z.literal('echo'), ...base, message: incomingMessageSchema }),
  z.looseObject({ action: z.literal('closeSession'), ...base, closeAllConnections: z.boolean().optional() }),
]);

export type GuestRequest = z.output<typeof guestRequestSchema>;
export type IncomingMessage = z.output<typeof incomingMessageSchema>;

export function frame<B>(type: FrameType, cls: string, code: number, body: B, tracingId?: string): Frame<B> {
  return tracingId === undefined ? { type, class: cls, code, body } : { type, class: cls, code, body, tracingId };
}

export function errorFrame(err: { code: number; body: string }, tracingId?: string): Frame<string> {
  return frame('response', 'string', err.code, err.body, tracingId);
}
