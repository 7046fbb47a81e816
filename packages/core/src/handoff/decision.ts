import type { Models } from 'purecloud-platform-client-v2';
import type { AssessIntentOutput } from '../contracts/assess-intent.js';
import type { IntentSource } from '../contracts/common.js';

/** An intent and its confidence, with where they were read. */
export interface IntentReading {
  intent: string;
  confidence: number;
  source: Exclude<IntentSource, 'none'>;
}

/**
 * A bot's confidence as written to participant data: a string holding a number 0..1. Anything else
 * (empty, "high", "87") is not a confidence: guessing a scale would turn a misconfigured bot into a
 * wrong decision.
 */
export function parseConfidence(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

/** Source 1: the flow passed the confidence (and perhaps the intent) as data-action inputs. */
export function readIntentFromInputs(input: {
  intent?: string | undefined;
  confidence?: number | undefined;
}): IntentReading | undefined {
  const confidence = parseConfidence(input.confidence);
  if (confidence === undefined) return undefined;
  return { intent: input.intent ?? '', confidence, source: 'inputs' };
}

export type AttributeReading = { reading: IntentReading } | { reading?: undefined; problem: string };

/** Source 2: participant data the bot flow wrote on the customer (names are configurable). */
export function readIntentFromAttributes(
  attributes: Readonly<Record<string, string>> | undefined,
  names: { intent: string; confidence: string },
): AttributeReading {
  const raw = attributes?.[names.confidence];
  if (raw === undefined || raw === '') {
    return { problem: `the customer has no '${names.confidence}' participant data` };
  }
  const confidence = parseConfidence(raw);
  if (confidence === undefined) {
    return {
      problem: `participant data '${names.confidence}' is not a confidence 0..1 (got ${JSON.stringify(raw.slice(0, 40))})`,
    };
  }
  return { reading: { intent: attributes?.[names.intent] ?? '', confidence, source: 'participantData' } };
}

/**
 * Source 3: bot-flow reporting turns. The latest turn that recognised an intent wins: earlier turns
 * describe what the customer wanted before the bot asked again.
 */
export function readIntentFromTurns(turns: readonly Models.ReportingTurn[]): IntentReading | undefined {
  let best: { turn: Models.ReportingTurn; at: number; index: number } | undefined;
  turns.forEach((turn, index) => {
    if (parseConfidence(turn.intent?.confidence) === undefined) return;
    const at = Date.parse(turn.dateCompleted ?? turn.dateCreated ?? '');
    const when = Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
    // Ties (or missing dates) keep the later one in the list.
    if (!best || when >= best.at) best = { turn, at: when, index };
  });
  if (!best) return undefined;
  const intent = best.turn.intent;
  return { intent: intent?.name ?? '', confidence: intent?.confidence ?? 0, source: 'botFlowAnalytics' };
}

const SOURCE_WORDS: Record<IntentSource, string> = {
  inputs: "the flow's inputs",
  participantData: 'participant data',
  botFlowAnalytics: 'bot-flow analytics',
  none: 'no source',
};

export interface DecisionPolicy {
  threshold: number;
  onUnknownIntent: 'handoff' | 'keep';
}

/**
 * The seed's rule: the bot keeps the conversation when its confidence is at or above the threshold,
 * otherwise a human takes over. No reading is an explicit outcome, not an error.
 */
export function decide(
  reading: IntentReading | undefined,
  policy: DecisionPolicy,
  unknownReason = 'no intent source',
): AssessIntentOutput {
  const threshold = policy.threshold;
  if (!reading) {
    const handoffRecommended = policy.onUnknownIntent === 'handoff';
    return {
      status: 'unknown',
      handoffRecommended,
      intent: '',
      confidence: 0,
      source: 'none',
      threshold,
      message: `Intent unknown (${unknownReason}): ${handoffRecommended ? 'hand off to a human' : 'the bot keeps the conversation'}.`,
    };
  }
  const handoffRecommended = reading.confidence < threshold;
  const what = `confidence ${formatConfidence(reading.confidence)}${reading.intent ? ` for intent '${reading.intent}'` : ''} (from ${SOURCE_WORDS[reading.source]})`;
  return {
    status: handoffRecommended ? 'handoff_recommended' : 'bot_keeps',
    handoffRecommended,
    intent: reading.intent,
    confidence: reading.confidence,
    source: reading.source,
    threshold,
    message: handoffRecommended
      ? `Hand off: ${what} is below the threshold ${formatConfidence(threshold)}.`
      : `The bot keeps the conversation: ${what} is at or above the threshold ${formatConfidence(threshold)}.`,
  };
}

export function formatConfidence(value: number): string {
  return value.toFixed(2);
}
