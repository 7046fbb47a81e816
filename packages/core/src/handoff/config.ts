import { z } from 'zod';
import { DEFAULT_BUDGET_MS } from '../deadline.js';
import { BatonError } from '../errors.js';
import type { RoutingTable } from './routing.js';

/** How the handoff behaves when the caller does not say. Parsed once, when the service is created. */
export interface HandoffConfig {
  /** Queue used when the caller passes none (the seed's GENESYS_QUEUE_ID). */
  defaultQueueId?: string;
  /** Hand off when the bot's confidence is below this (the seed's 0.70). */
  threshold: number;
  /** Queue priority 1–10 (the seed's priority). */
  defaultPriority: number;
  defaultMode: 'flow' | 'api';
  /** Bot flow whose analytics hold the intent confidence (the third intent source). */
  botFlowId?: string;
  /** Participant-data names the bot flow writes with Set Participant Data (our convention, nothing standard in Genesys). */
  intentAttributes: { intent: string; confidence: string };
  /**
   * What to do when no source yields an intent. 'handoff' (default): a customer whose bot state
   * cannot be read is safer with a human than stuck with a bot that may be failing them.
   */
  onUnknownIntent: 'handoff' | 'keep';
  transcript: {
    /** Character budget of the transcript the agent sees, prefix included. */
    maxChars: number;
    /** Mask e-mail addresses, card numbers and phone numbers. */
    mask: boolean;
    /** First line of the transcript, addressed to the agent (the seed's prefix). */
    prefix: string;
  };
  /**
   * Who writes the agent's context: 'bridge' (default) PATCHes it onto the customer; 'flow' writes
   * nothing and returns it as flat outputs for the flow's own Set Participant Data (one Platform API
   * call fewer, and no permission on the attributes endpoint).
   */
  writeContext: 'bridge' | 'flow';
  /**
   * Also write the full transcript into the agent's context (bounded by the participant-data limits).
   * Off by default: in web messaging the agent already sees the messages, and participant data is
   * kept in analytics.
   */
  contextTranscript: boolean;
  /** "Please wait" text for the customer: returned for the flow's Send Response, or sent in api mode. "" sends nothing. */
  waitMessage: string;
  /** How long a finished handoff's result answers repeats (Architect retries, a second replica). */
  idempotencyTtlMs: number;
  /** How long a queue's name is trusted (queues are rarely renamed; a lookup per handoff would cost rate budget). */
  queueCacheTtlMs: number;
  /** Time budget of a handoff or step when neither the caller's deadline nor `budgetMs` bounds it (direct library use). */
  defaultBudgetMs: number;
  /**
   * Most Platform API calls (retries included) one request may make: a handoff, or one step. The
   * per-token budget is shared by every request; one whose calls never end must not spend it all.
   */
  maxCallsPerHandoff: number;
  /** Bot-flow analytics: only sessions completed in the last this many minutes are looked at. */
  botFlowLookbackMinutes: number;
  /** Bot-flow analytics: at most this many pages of sessions (newest first) per lookup; then the intent is unknown. */
  botFlowMaxPages: number;
  /** Queue and priority by intent and exit reason (routing.ts; the bridge loads it from BATON_ROUTING_FILE). */
  routing?: RoutingTable;
}

export const defaultHandoffConfig: HandoffConfig = Object.freeze({
  threshold: 0.7,
  defaultPriority: 5,
  defaultMode: 'flow',
  intentAttributes: Object.freeze({ intent: 'bot.intent', confidence: 'bot.confidence' }),
  onUnknownIntent: 'handoff',
  transcript: Object.freeze({
    maxChars: 4000,
    // On by default: the transcript is persisted as participant data in Genesys, and a card number
    // written there is stored cardholder data (PCI DSS). The agent still sees the live conversation.
    mask: true,
    // The seed's prefix, with its "guest" (the removed web chat API's word) made "customer".
    prefix: 'Agent, the customer requires assistance. Chat history follows:',
  }),
  writeContext: 'bridge',
  contextTranscript: false,
  // The seed's initialMessage.
  waitMessage: 'Transferring to human support. Please wait.',
  // Long enough to cover Architect's retries of one handoff, short enough that a conversation which
  // returns to the bot much later can be handed off again.
  idempotencyTtlMs: 15 * 60_000,
  queueCacheTtlMs: 5 * 60_000,
  defaultBudgetMs: DEFAULT_BUDGET_MS,
  // API mode with intent from analytics costs up to 14 calls (conversation, 2 session pages, turns,
  // queue, generic conversation, bulk, context, wait message, transfer, 3 confirmation reads,
  // priority): 20 leaves room for a few retries, and is 1/15 of the default 300/min.
  maxCallsPerHandoff: 20,
  // A conversation is handed off soon after its bot session ends.
  botFlowLookbackMinutes: 60,
  // 2 pages of 250: the 500 newest sessions of the flow in the lookback.
  botFlowMaxPages: 2,
}) as HandoffConfig;

const handoffConfigSchema = z.object({
  defaultQueueId: z.string().min(1).optional(),
  threshold: z.number().min(0).max(1),
  defaultPriority: z.number().int().min(1).max(10),
  defaultMode: z.enum(['flow', 'api']),
  botFlowId: z.string().min(1).optional(),
  intentAttributes: z.object({ intent: z.string().min(1), confidence: z.string().min(1) }),
  onUnknownIntent: z.enum(['handoff', 'keep']),
  transcript: z.object({
    maxChars: z.number().int().min(200).max(20000),
    mask: z.boolean(),
    prefix: z.string().max(256),
  }),
  writeContext: z.enum(['bridge', 'flow']),
  contextTranscript: z.boolean(),
  waitMessage: z.string().max(2000),
  idempotencyTtlMs: z.number().int().positive(),
  queueCacheTtlMs: z.number().int().min(0),
  defaultBudgetMs: z.number().int().min(500).max(58000),
  maxCallsPerHandoff: z.number().int().min(1).max(10_000),
  botFlowLookbackMinutes: z.number().int().min(1).max(14_400),
  botFlowMaxPages: z.number().int().min(1).max(100),
  // Validated when parsed (parseRoutingTable): here it only has to be one.
  routing: z.custom<RoutingTable>((v) => typeof v === 'object' && v !== null && Array.isArray((v as RoutingTable).routes)).optional(),
});

/** The defaults overlaid with `partial` (nested objects merged too), validated and frozen. */
export function resolveHandoffConfig(partial: Partial<HandoffConfig> = {}): Readonly<HandoffConfig> {
  const merged = {
    ...defaultHandoffConfig,
    ...stripUndefined(partial),
    intentAttributes: {
      ...defaultHandoffConfig.intentAttributes,
      ...stripUndefined(partial.intentAttributes ?? {}),
    },
    transcript: { ...defaultHandoffConfig.transcript, ...stripUndefined(partial.transcript ?? {}) },
  };
  const result = handoffConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)
      .join('; ');
    throw new BatonError('configuration_invalid', `Invalid handoff configuration: ${problems}`, {
      details: { issues: result.error.issues.map((i) => ({ field: i.path.join('.'), problem: i.message })) },
    });
  }
  const config = result.data;
  return Object.freeze({
    ...config,
    intentAttributes: Object.freeze(config.intentAttributes),
    transcript: Object.freeze(config.transcript),
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
