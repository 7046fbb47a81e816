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
});
export type HandToQueueInput = z.infer<typeof handToQueueInputSchema>;

export const handToQueueStatusSchema = z.enum(['ready_for_transfer', 'transferred', 'transfer_unconfirmed', 'already_handed_off']);

export const handToQueueOutputSchema = z.object({
  status: handToQueueStatusSchema,
  mode: handoffModeSchema,
  queueId: z.string().describe('Queue for the flow\'s Transfer to ACD (flow mode) or the one transferred to'),
  queueName: z.string(),
  priority: z.number().int(),
  routingRule: z.string().describe('What chose the queue and priority: the queueId input, a routing-table entry (with its line), its default, or GENESYS_QUEUE_ID'),
  waitMessage: z.string().describe('"Please wait" text for the customer (flow mode: send it with Send Response)'),
  transferred: z.boolean().describe('Baton itself transferred the conversation (api mode)'),
  attributesWritten: z.number().int().describe('Participant-data keys written for the agent'),
  message: messageField,
});
export type HandToQueueOutput = z.infer<typeof handToQueueOutputSchema>;
