import { z } from 'zod';
import {
  confidenceSchema,
  conversationIdSchema,
  genesysIdSchema,
  handoffModeSchema,
  messageField,
  optionalInput,
  prioritySchema,
} from './common.js';

export const handToQueueInputSchema = z.object({
  conversationId: conversationIdSchema,
  queueId: optionalInput(genesysIdSchema.describe('Target queue (default: GENESYS_QUEUE_ID)')),
  priority: optionalInput(prioritySchema),
  mode: optionalInput(handoffModeSchema),
  intent: optionalInput(z.string().max(256).describe('Intent to show the agent')),
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
  waitMessage: z.string().describe('"Please wait" text for the customer: send it with the flow\'s own Send Response (api mode, EXPERIMENTAL, also tries to send it as the flow)'),
  transferred: z.boolean().describe('Baton itself transferred the conversation (api mode)'),
  attributesWritten: z.number().int().describe('Participant-data keys written for the agent'),
  message: messageField,
});
export type HandToQueueOutput = z.infer<typeof handToQueueOutputSchema>;
