import { z } from 'zod';
import { conversationIdSchema, messageField, numberInput, optionalInput } from './common.js';

export const transcriptOptionsShape = {
  maxChars: optionalInput(
    numberInput(z.number().int().min(200).max(20000)).describe('Character budget; oldest messages are dropped first'),
  ),
  mask: optionalInput(
    z
      .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
      .describe('Mask e-mail addresses, card numbers and phone numbers'),
  ),
};

export const transcriptInputSchema = z.object({
  conversationId: conversationIdSchema,
  ...transcriptOptionsShape,
});
export type TranscriptInput = z.infer<typeof transcriptInputSchema>;

export const transcriptStatusSchema = z.enum(['ok', 'no_transcript']);

export const transcriptOutputSchema = z.object({
  status: transcriptStatusSchema,
  transcript: z.string().describe('The transcript as the agent will see it'),
  messageCount: z.number().int().describe('Messages included'),
  droppedCount: z.number().int().describe('Oldest messages dropped to fit the budget'),
  truncated: z.boolean(),
  message: messageField,
});
export type TranscriptOutput = z.infer<typeof transcriptOutputSchema>;
