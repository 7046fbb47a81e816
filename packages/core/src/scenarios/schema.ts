import { z } from 'zod';
import { decisionRuleSchema, genesysIdSchema, handoffModeSchema, intentSourceSchema } from '../contracts/common.js';
import { handoffStatusSchema } from '../contracts/handoff.js';

/**
 * The `*.handoff.json` scenario file: conversations to hand off and what must come out. The same
 * file runs in the editor's Test Explorer and headless in CI (`baton test <glob>`).
 *
 * Every object is strict: a misspelt expectation would otherwise be ignored and the scenario
 * would pass for the wrong reason.
 */

/**
 * The conversation: inline as a sandbox fixture (the sandbox validates its shape when it seeds
 * it; core does not depend on the sandbox), or the id of an existing conversation on a real org.
 */
export const scenarioConversationSchema = z.union([
  z.object({ fixture: z.record(z.string(), z.unknown()).describe('A sandbox conversation fixture') }).strict(),
  z.object({ id: genesysIdSchema.describe('An existing conversation on the active org') }).strict(),
]);
export type ScenarioConversation = z.infer<typeof scenarioConversationSchema>;

/** Handoff inputs besides the conversation; `queue` is a queue name or id, resolved against the org's queues. */
export const scenarioInputSchema = z
  .object({
    queue: z.string().min(1).optional(),
    mode: handoffModeSchema.optional(),
    priority: z.number().int().min(1).max(10).optional(),
    threshold: z.number().min(0).max(1).optional(),
    intent: z.string().max(256).optional(),
    confidence: z.number().min(0).max(1).optional(),
    /** The Call Digital Bot Flow's Exit Reason, as the flow passes it. */
    exitReason: z.string().max(64).optional(),
    /** The bot's slots, `name=value;name=value`. */
    slots: z.string().max(4000).optional(),
    botFlowId: genesysIdSchema.optional(),
    maxChars: z.number().int().min(200).max(20000).optional(),
    mask: z.boolean().optional(),
  })
  .strict();
export type ScenarioInput = z.infer<typeof scenarioInputSchema>;

const countSchema = z.union([
  z.number().int().min(0),
  z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict(),
]);

export const scenarioExpectSchema = z
  .object({
    /** `handoff`: a human gets it (any status but bot_keeps); `bot_keeps`: the bot keeps it. */
    decision: z.enum(['handoff', 'bot_keeps']).optional(),
    status: handoffStatusSchema.optional(),
    /** Queue name or id. */
    queue: z.string().optional(),
    priority: z.number().int().optional(),
    intent: z.string().optional(),
    intentSource: intentSourceSchema.optional(),
    /** The decision rule that won (customer_asked_for_agent, bot_gave_up, confidence_below_threshold, …). */
    decisionRule: decisionRuleSchema.optional(),
    transferred: z.boolean().optional(),
    transcript: z
      .object({
        contains: z.array(z.string()).optional(),
        notContains: z.array(z.string()).optional(),
        messageCount: countSchema.optional(),
      })
      .strict()
      .optional(),
    /** Genesys Platform API calls the handoff made: exact, or `{ min, max }`. */
    apiCalls: countSchema.optional(),
  })
  .strict();
export type ScenarioExpect = z.infer<typeof scenarioExpectSchema>;

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    conversation: scenarioConversationSchema,
    input: scenarioInputSchema.default({}),
    expect: scenarioExpectSchema,
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

export const scenarioFileSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    scenarios: z.array(scenarioSchema).min(1),
  })
  .strict();
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
