import { z } from 'zod';
import {
  confidenceSchema,
  conversationIdSchema,
  genesysIdSchema,
  exitReasonInputSchema,
  handoffModeSchema,
  intentInputSchema,
  messageField,
  optionalInput,
  prioritySchema,
  slotsInputSchema,
  writeContextSchema,
  booleanInput,
} from './common.js';

export const handToQueueInputSchema = z.object({
  conversationId: conversationIdSchema,
  queueId: optionalInput(
    genesysIdSchema.describe('Target queue; wins over the routing table (default: the routing table, then GENESYS_QUEUE_ID)'),
  ),
  priority: optionalInput(prioritySchema),
  mode: optionalInput(handoffModeSchema),
  intent: intentInputSchema,
  exitReason: exitReasonInputSchema,
  slots: slotsInputSchema,
  confidence: optionalInput(confidenceSchema),
  transcript: optionalInput(z.string().max(20000).describe('Transcript to show the agent')),
  reason: optionalInput(z.string().max(256).describe('Why the bot hands off, for the agent')),
  writeContext: optionalInput(writeContextSchema),
  includeTranscript: optionalInput(
    booleanInput.describe("Also write the full transcript into the agent's context (default: BATON_CONTEXT_TRANSCRIPT, off)"),
  ),
});
export type HandToQueueInput = z.infer<typeof handToQueueInputSchema>;

export const handToQueueStatusSchema = z.enum(['ready_for_transfer', 'transferred', 'transfer_unconfirmed', 'already_handed_off']);

/**
 * The agent's context as flat outputs: with writeContext 'flow' the flow passes each to its own Set
 * Participant Data as is (display prefix included, at most 256 characters); returned in both modes.
 */
export const contextOutputShape = {
  contextSummary: z.string().describe('What the customer wants, in one line (for conversationDetails.participantData.Baton Summary)'),
  contextIntent: z.string().describe('The intent (for conversationDetails.participantData.Baton Intent)'),
  contextExitReason: z.string().describe("The bot's exit reason (for conversationDetails.participantData.Baton Exit Reason)"),
  contextConfidence: z.string().describe('The confidence when known, else "" (for conversationDetails.participantData.Baton Confidence)'),
  contextLastMessage: z.string().describe("The customer's last message (for conversationDetails.participantData.Baton Last Message)"),
  contextBotTried: z.string().describe('What the bot already tried (for conversationDetails.participantData.Baton Bot Tried)'),
  contextSlots: z.string().describe("The bot's slots on one line (for conversationDetails.participantData.Baton Slots)"),
  contextTrimmed: z.string().describe('What was cut or left out to keep within the participant-data limits ("" when nothing)'),
};

export const handToQueueOutputSchema = z.object({
  status: handToQueueStatusSchema,
  mode: handoffModeSchema,
  queueId: z.string().describe('Queue for the flow\'s Transfer to ACD (flow mode) or the one transferred to'),
  queueName: z.string(),
  priority: z.number().int(),
  routingRule: z.string().describe('What chose the queue and priority: the queueId input, a routing-table entry (with its line), its default, or GENESYS_QUEUE_ID'),
  waitMessage: z.string().describe('"Please wait" text for the customer: send it with the flow\'s own Send Response (api mode, EXPERIMENTAL, also tries to send it as the flow)'),
  transferred: z.boolean().describe('Baton itself transferred the conversation (api mode)'),
  attributesWritten: z.number().int().describe('Participant-data keys written for the agent (0 with writeContext flow)'),
  writeContext: writeContextSchema,
  ...contextOutputShape,
  message: messageField,
});
export type HandToQueueOutput = z.infer<typeof handToQueueOutputSchema>;
