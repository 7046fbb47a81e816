import { z } from 'zod';

/**
 * Building blocks shared by every step contract.
 *
 * Architect passes data-action inputs as flat scalars, and a flow variable that is NOT_SET reaches
 * the request template as an empty string when the template uses silent notation (`$!{input.x}`),
 * which is what our generated templates do. So an optional input treats "" as absent.
 */
export function optionalInput<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());
}

/**
 * Data actions send numbers as text (our request templates escape every input as a JSON string),
 * so numeric text becomes a number. Only text: `z.coerce.number()` would also turn `[1]` or `true`
 * into a number, and a flat-scalar contract must refuse those by name.
 */
function numberFromText(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? value : parsed;
}

/** A number input that also accepts numeric text. */
export function numberInput<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess(numberFromText, schema);
}

/** Genesys ids are UUIDs; we accept any 8-4-4-4-12 hex form (the version nibble is not checked). */
export const genesysIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a Genesys id (UUID)');

export const conversationIdSchema = genesysIdSchema.describe('Genesys conversation id (the flow\'s Message.ConversationId)');

/** Intent confidence as bots report it: 0..1. Accepts a numeric string, since participant data holds strings. */
export const confidenceSchema = numberInput(z.number().min(0).max(1)).describe('Bot intent confidence, 0..1');

export const thresholdSchema = numberInput(z.number().min(0).max(1)).describe(
  'Hand off when confidence is below this (default 0.70)',
);

/** The seed's priority 1–10 (10 is the most urgent). */
export const prioritySchema = numberInput(z.number().int().min(1).max(10)).describe('Queue priority 1–10');

/**
 * API mode is experimental: it replaces the flow participant while that flow is itself waiting on
 * Baton's data action, and sends the wait message as the flow; Genesys documents neither
 * (docs/genesys-facts.md#bot-held-participant). This description feeds the data-action contracts.
 */
export const handoffModeSchema = z
  .enum(['flow', 'api'])
  .describe(
    "'flow': the flow's own Transfer to ACD does the transfer (default); 'api' (EXPERIMENTAL: Genesys does not document replacing a flow participant while its flow waits on this data action): Baton transfers via the Platform API. Either way, send waitMessage with the flow's own Send Response",
  );

/** Where an intent and confidence came from, best first. */
export const intentSourceSchema = z.enum(['inputs', 'participantData', 'botFlowAnalytics', 'none']);
export type IntentSource = z.infer<typeof intentSourceSchema>;

/**
 * A text input where Architect's NOT_SET also means absent: a Call Digital Bot Flow action leaves
 * its Intent NOT_SET when the bot detected none (docs/genesys-facts.md#bot-exit-reasons).
 */
export function optionalFlowText<T extends z.ZodType>(schema: T) {
  return optionalInput(
    z.preprocess((value) => (typeof value === 'string' && value.trim() === 'NOT_SET' ? undefined : value), schema.optional()),
  );
}

export const intentInputSchema = optionalFlowText(
  z.string().max(256).describe("Intent the bot recognised (the Call Digital Bot Flow's Intent; NOT_SET is none)"),
);

export const exitReasonInputSchema = optionalFlowText(
  z
    .string()
    .max(64)
    .describe(
      "The Call Digital Bot Flow's Exit Reason (AgentRequestedByUser, RecognitionFailure, Error, TriggeredByFlow, TriggeredByUser; others are accepted and said to be unknown)",
    ),
);

export const slotsInputSchema = optionalInput(
  z
    .string()
    .max(20000)
    .describe("The bot's slots as name=value pairs joined by ';' (%3B for a ';' inside a value, %25 for '%')"),
);

export const decisionRuleSchema = z
  .enum(['customer_asked_for_agent', 'bot_gave_up', 'confidence_below_threshold', 'confidence_at_or_above_threshold', 'default'])
  .describe('The rule that decided');

/** Every answer carries a readable message, so a flow (voice ones included) can show or log it. */
export const messageField = z.string().describe('What happened, in words');

/** Who writes the agent's context: the bridge (a PATCH) or the flow's own Set Participant Data. */
export const writeContextSchema = z
  .enum(['bridge', 'flow'])
  .describe("'bridge': Baton writes the agent's context as participant data (default); 'flow': Baton writes nothing and returns it as context* outputs for the flow's Set Participant Data");

/** A flat boolean input: data actions send booleans as text. */
export const booleanInput = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

