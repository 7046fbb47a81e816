import { z } from 'zod';
import {
  confidenceSchema,
  conversationIdSchema,
  decisionRuleSchema,
  exitReasonInputSchema,
  genesysIdSchema,
  intentInputSchema,
  intentSourceSchema,
  messageField,
  optionalInput,
  slotsInputSchema,
  thresholdSchema,
} from './common.js';

export const assessIntentInputSchema = z.object({
  conversationId: conversationIdSchema,
  intent: intentInputSchema,
  exitReason: exitReasonInputSchema,
  slots: slotsInputSchema,
  confidence: optionalInput(confidenceSchema),
  threshold: optionalInput(thresholdSchema),
  botFlowId: optionalInput(genesysIdSchema.describe('Bot flow id, to read intent confidence from bot-flow analytics')),
});
export type AssessIntentInput = z.infer<typeof assessIntentInputSchema>;

export const assessIntentStatusSchema = z.enum(['handoff_recommended', 'bot_keeps', 'unknown']);

export const assessIntentOutputSchema = z.object({
  status: assessIntentStatusSchema,
  handoffRecommended: z.boolean(),
  intent: z.string().describe('Recognised intent ("" when unknown)'),
  confidence: z.number().describe('Intent confidence 0..1 (0 when unknown: see source)'),
  source: intentSourceSchema.describe('Where intent and confidence came from'),
  threshold: z.number(),
  exitReason: z.string().describe('The exit reason the decision used ("" when none)'),
  decisionRule: decisionRuleSchema,
  slots: z.string().describe('The slots read from the input, in the same name=value;… form ("" when none)'),
  message: messageField,
});
export type AssessIntentOutput = z.infer<typeof assessIntentOutputSchema>;
