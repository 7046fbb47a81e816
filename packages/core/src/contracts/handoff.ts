import { z } from 'zod';
import { assessIntentInputSchema } from './assess-intent.js';
import {
  handoffModeSchema,
  intentSourceSchema,
  messageField,
  numberInput,
  optionalInput,
  prioritySchema,
} from './common.js';
import { contextOutputShape, handToQueueInputSchema } from './hand-to-queue.js';
import { transcriptOptionsShape } from './transcript.js';

export const handoffInputSchema = assessIntentInputSchema.extend({
  queueId: handToQueueInputSchema.shape.queueId,
  priority: optionalInput(prioritySchema),
  mode: optionalInput(handoffModeSchema),
  exitReason: handToQueueInputSchema.shape.exitReason,
  slots: handToQueueInputSchema.shape.slots,
  writeContext: handToQueueInputSchema.shape.writeContext,
  includeTranscript: handToQueueInputSchema.shape.includeTranscript,
  ...transcriptOptionsShape,
  budgetMs: optionalInput(
    numberInput(z.number().int().min(500).max(58000)).describe(
      'Time budget for the whole handoff; keep it below the data action timeout',
    ),
  ),
});
export type HandoffInput = z.infer<typeof handoffInputSchema>;

export const handoffStatusSchema = z.enum([
  'ready_for_transfer',
  'transferred',
  // api mode: Genesys accepted replace/queue but the conversation never showed in the queue.
  'transfer_unconfirmed',
  'bot_keeps',
  'already_handed_off',
]);
export type HandoffStatus = z.infer<typeof handoffStatusSchema>;

export const handoffOutputSchema = z.object({
  status: handoffStatusSchema,
  message: messageField,
  handoffId: z.string().describe('Id of this handoff\'s trace'),
  intent: z.string(),
  confidence: z.number(),
  intentSource: intentSourceSchema,
  threshold: z.number(),
  mode: handoffModeSchema,
  queueId: z.string().describe('"" when the bot keeps the conversation'),
  queueName: z.string(),
  priority: z.number().int(),
  exitReason: z.string().describe('The exit reason the decision used ("" when none)'),
  decisionRule: z
    .string()
    .describe('The rule that decided (customer_asked_for_agent, bot_gave_up, confidence_below_threshold, confidence_at_or_above_threshold, default; "" when no decision was needed)'),
  routingRule: z.string().describe('What chose the queue and priority ("" when the bot keeps the conversation)'),
  waitMessage: z.string(),
  transcript: z.string().describe('The transcript as the agent sees it ("" when the bot keeps it)'),
  messageCount: z.number().int(),
  truncated: z.boolean(),
  transferred: z.boolean(),
  writeContext: z.enum(['bridge', 'flow']),
  ...contextOutputShape,
  apiCalls: z.number().int().describe('Genesys Platform API calls this handoff made'),
  durationMs: z.number().int(),
});
export type HandoffOutput = z.infer<typeof handoffOutputSchema>;
