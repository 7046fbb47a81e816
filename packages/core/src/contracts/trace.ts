import { z } from 'zod';

/**
 * The trace of one handoff: what the bridge logs, stores (memory or Redis), and the extension
 * shows as a timeline. Never holds secrets: everything in it (call records with their body
 * snippets, the error message, the transcript) is redacted once, as it enters, by the trace
 * recorder (handoff/trace-recorder.ts).
 */
export const upstreamCallSchema = z.object({
  /** SDK operation id, e.g. `getConversationsMessage`. */
  route: z.string(),
  method: z.string(),
  /** Path with ids, never a query string carrying secrets. */
  path: z.string(),
  status: z.number().int(),
  durationMs: z.number(),
  retries: z.number().int(),
  contextId: z.string().optional(),
  requestBody: z.unknown().optional(),
  responseBody: z.unknown().optional(),
  error: z.string().optional(),
});
export type UpstreamCall = z.infer<typeof upstreamCallSchema>;

export const stepNameSchema = z.enum(['assessIntent', 'buildTranscript', 'handToQueue']);
export type StepName = z.infer<typeof stepNameSchema>;

export const stepTraceSchema = z.object({
  step: stepNameSchema,
  startedAt: z.string(),
  durationMs: z.number(),
  outcome: z.enum(['ok', 'skipped', 'failed']),
  summary: z.string(),
  calls: z.array(upstreamCallSchema),
});
export type StepTrace = z.infer<typeof stepTraceSchema>;

export const handoffTraceSchema = z.object({
  handoffId: z.string(),
  conversationId: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  /** Status from the step's output contract, or `failed`. */
  status: z.string(),
  error: z.object({ code: z.string(), message: z.string(), contextId: z.string().optional() }).optional(),
  steps: z.array(stepTraceSchema),
  /** Every upstream call in order, steps' calls included. */
  calls: z.array(upstreamCallSchema),
  transcript: z.string().optional(),
});
export type HandoffTrace = z.infer<typeof handoffTraceSchema>;
