import { z } from 'zod';

/**
 * The messages between the "Chat as Customer" webview and the extension host, and the panel's
 * state they carry. One zod source for both directions: the host parses everything the webview
 * sends (a webview is a page: its messages are input, not trusted calls), and what the host sends
 * is typed from the same schemas (unit tests parse it too). No vscode here.
 */

export const chatSenderSchema = z.enum(['customer', 'bot', 'agent']);
export type ChatSender = z.infer<typeof chatSenderSchema>;

export const chatMessageSchema = z.object({
  id: z.string(),
  from: chatSenderSchema,
  text: z.string(),
  /** ISO-8601 ('' when the service sent none). */
  time: z.string(),
  nickname: z.string().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const handoffCallViewSchema = z.object({
  method: z.string(),
  path: z.string(),
  status: z.number(),
  durationMs: z.number(),
  retries: z.number(),
  error: z.string().optional(),
});

/** Baton's handoff trace as the panel shows it: decision, queue, each step and its Platform API calls. */
export const handoffViewSchema = z.object({
  handoffId: z.string(),
  status: z.string(),
  durationMs: z.number(),
  decisionRule: z.string().optional(),
  routingRule: z.string().optional(),
  steps: z.array(
    z.object({
      step: z.string(),
      outcome: z.string(),
      summary: z.string(),
      durationMs: z.number(),
      calls: z.array(handoffCallViewSchema),
    }),
  ),
  error: z.string().optional(),
});
export type HandoffView = z.infer<typeof handoffViewSchema>;

/** How the agent's UI shows a participant data value (docs/genesys-facts.md#participant-data). */
export const dataDisplaySchema = z.enum(['text', 'identifier', 'number', 'date', 'checkbox', 'longtext']);

export const agentDataEntrySchema = z.object({
  /** The attribute's name as stored (what a scenario's expectParticipantData may name). */
  key: z.string(),
  /** The name the agent sees (without `conversationDetails.participantData.`). */
  label: z.string(),
  /** The value without its display prefix. */
  value: z.string(),
  display: dataDisplaySchema,
  /** False for machine keys (bot.*, baton.*): stored on the participant, not shown to the agent. */
  agentVisible: z.boolean(),
});
export type AgentDataEntry = z.infer<typeof agentDataEntrySchema>;

/** What the answering agent saw when they answered. */
export const agentPanelViewSchema = z.object({
  agent: z.string(),
  queue: z.string(),
  priority: z.number().optional(),
  answeredAt: z.string(),
  participantData: z.array(agentDataEntrySchema),
  messages: z.array(z.object({ from: z.string(), text: z.string(), at: z.string() })),
});
export type AgentPanelView = z.infer<typeof agentPanelViewSchema>;

/**
 * A real org's handoff as its Platform API shows it (UNCONFIRMED): the conversation found from a
 * sent message, its queue participant's queue and priority, the customer's participant data. No
 * Baton trace: that is in the deployed bridge.
 */
export const orgHandoffViewSchema = z.object({
  queue: z.string(),
  priority: z.number().optional(),
  agentAnswered: z.boolean(),
  /** The conversation left the queue. */
  settled: z.boolean(),
  participantData: z.array(agentDataEntrySchema),
  /** What the panel says about where this comes from (and what it cannot show). */
  note: z.string(),
});
export type OrgHandoffView = z.infer<typeof orgHandoffViewSchema>;

export const chatStatusSchema = z.enum(['connecting', 'open', 'ended', 'closed', 'error']);
export type ChatStatus = z.infer<typeof chatStatusSchema>;

export const chatStateSchema = z.object({
  org: z.string(),
  status: chatStatusSchema,
  conversationId: z.string().optional(),
  messages: z.array(chatMessageSchema),
  /** Who is typing right now, as the Guest API reported it. */
  typing: z.enum(['bot', 'agent']).optional(),
  handoff: handoffViewSchema.optional(),
  agentView: agentPanelViewSchema.optional(),
  /** A real org: the handoff read back through the Platform API (no Baton trace, no agent view). */
  orgHandoff: orgHandoffViewSchema.optional(),
  /** The panel can act as the answering agent (the Sandbox org's simulated agents). */
  canActAsAgent: z.boolean(),
  /** The last scenario file saved from this conversation. */
  savedFile: z.string().optional(),
  error: z.string().optional(),
});
export type ChatState = z.infer<typeof chatStateSchema>;

/** The Guest API's text limit, UNCONFIRMED (docs/genesys-facts.md#web-messaging-guest-api): the panel does not send longer texts. */
export const MAX_CHAT_TEXT = 4096;
const chatText = z.string().trim().min(1).max(MAX_CHAT_TEXT);

export const webviewToHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('say'), text: chatText }),
  z.strictObject({ type: z.literal('typing') }),
  z.strictObject({ type: z.literal('newConversation') }),
  z.strictObject({ type: z.literal('saveScenario') }),
  z.strictObject({ type: z.literal('agentSays'), text: chatText }),
  z.strictObject({ type: z.literal('agentDisconnect') }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

export const hostToWebviewSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('state'), state: chatStateSchema })]);
export type HostToWebview = z.infer<typeof hostToWebviewSchema>;

/** A webview message, or why it is refused (the host logs it and ignores the message). */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewToHost } | { ok: false; error: string } {
  const parsed = webviewToHostSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `${issue?.message ?? 'invalid'}${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}` };
}
