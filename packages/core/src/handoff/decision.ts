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
  return { intent: presentValue(input.intent) ?? '', confidence, source: 'inputs' };
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
  return { reading: { intent: presentValue(attributes?.[names.intent]) ?? '', confidence, source: 'participantData' } };
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

/** The decision as assess-intent answers it, but for the slots (the step adds them). */
export type Decision = Omit<AssessIntentOutput, 'slots'>;

export interface DecisionPolicy {
  threshold: number;
  onUnknownIntent: 'handoff' | 'keep';
}

/**
 * The Exit Reason a *Call Digital Bot Flow* action gives its message flow
 * (docs/genesys-facts.md#bot-exit-reasons), and what it says about the handoff: the customer asked
 * for a human, the bot gave up, or nothing either way (the bot's own Exit Bot Flow action, or the
 * customer leaving the bot: the confidence rules decide).
 */
const EXIT_REASONS: Readonly<Record<string, 'asked_for_agent' | 'gave_up' | 'neutral'>> = {
  AgentRequestedByUser: 'asked_for_agent',
  RecognitionFailure: 'gave_up',
  Error: 'gave_up',
  TriggeredByFlow: 'neutral',
  TriggeredByUser: 'neutral',
};

/** The exit reasons Baton knows, for documentation and tests. */
export const KNOWN_EXIT_REASONS = Object.freeze(Object.keys(EXIT_REASONS));

/** Whether the exit reason alone decides (a rule before the confidence rules applies). */
export function exitReasonDecides(exitReason: string | undefined): boolean {
  const kind = EXIT_REASONS[presentValue(exitReason) ?? ''];
  return kind === 'asked_for_agent' || kind === 'gave_up';
}

/** The decision rules, in the order they are tried: the first that applies wins. */
export const DECISION_RULES = [
  'customer_asked_for_agent',
  'bot_gave_up',
  'confidence_below_threshold',
  'confidence_at_or_above_threshold',
  'default',
] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

/**
 * "" and Architect's NOT_SET (what a Call Digital Bot Flow's Intent holds when the bot detected
 * none, docs/genesys-facts.md#bot-exit-reasons) are no value.
 */
export function presentValue(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && trimmed !== 'NOT_SET' ? trimmed : undefined;
}

/** What the flow knows of the bot's end, besides a confidence. */
export interface BotExit {
  exitReason?: string | undefined;
  /** The intent the flow passed (used when no source gives one). */
  intent?: string | undefined;
}

/**
 * The decision, by explicit rules tried in order (DECISION_RULES): the customer asked for a human
 * (hand off whatever the confidence); the bot gave up (recognition failure, error); a known
 * confidence below the threshold (hand off) or at/above it (the bot keeps it, the seed's rule);
 * nothing known: the configured default. The message lists every rule tried, its input and the
 * winner, so the trace says why. An unknown exit reason is accepted and said to be unknown.
 */
const RULES_TRIED = '. Rules tried: ';

/** A decision's message without the rules it tried: the one line the agent reads as "Baton Reason". */
export function winningReason(message: string): string {
  const cut = message.indexOf(RULES_TRIED);
  return cut < 0 ? message : `${message.slice(0, cut)}.`;
}

export function decide(
  reading: IntentReading | undefined,
  policy: DecisionPolicy,
  unknownReason = 'no intent source',
  bot: BotExit = {},
): Decision {
  const threshold = policy.threshold;
  const exitReason = presentValue(bot.exitReason) ?? '';
  const kind = exitReason ? EXIT_REASONS[exitReason] : undefined;
  const exitWords = exitReason
    ? `exit reason ${exitReason}${kind ? '' : ' (not one Baton knows: no rule uses it)'}`
    : 'no exit reason';
  const intent = presentValue(reading?.intent) ?? presentValue(bot.intent) ?? '';
  const tried: string[] = [];
  const verdict = (
    rule: DecisionRule,
    handoffRecommended: boolean,
    status: AssessIntentOutput['status'],
    why: string,
  ): Decision => {
    tried.push(`${rule} (${why}): applies`);
    const outcome = handoffRecommended ? 'Hand off' : 'The bot keeps the conversation';
    return {
      status,
      handoffRecommended,
      intent,
      confidence: reading?.confidence ?? 0,
      source: reading?.source ?? 'none',
      threshold,
      exitReason,
      decisionRule: rule,
      message: `${outcome}: ${why}${RULES_TRIED}${tried.join('; ')}.`,
    };
  };

  if (kind === 'asked_for_agent')
    return verdict('customer_asked_for_agent', true, 'handoff_recommended', `the customer asked for a human (${exitWords})`);
  tried.push(`customer_asked_for_agent (${exitWords}): no`);
  if (kind === 'gave_up')
    return verdict('bot_gave_up', true, 'handoff_recommended', `the bot gave up (${exitWords})`);
  tried.push(`bot_gave_up (${exitWords}): no`);

  if (reading) {
    const what = `confidence ${formatConfidence(reading.confidence)}${intent ? ` for intent '${intent}'` : ''} (from ${SOURCE_WORDS[reading.source]})`;
    if (reading.confidence < threshold)
      return verdict(
        'confidence_below_threshold',
        true,
        'handoff_recommended',
        `${what} is below the threshold ${formatConfidence(threshold)}`,
      );
    tried.push(`confidence_below_threshold (${what}): no`);
    return verdict(
      'confidence_at_or_above_threshold',
      false,
      'bot_keeps',
      `${what} is at or above the threshold ${formatConfidence(threshold)}`,
    );
  }
  tried.push(`confidence_below_threshold (no confidence): no`, `confidence_at_or_above_threshold (no confidence): no`);
  const handoffRecommended = policy.onUnknownIntent === 'handoff';
  return verdict(
    'default',
    handoffRecommended,
    'unknown',
    `Intent unknown (${unknownReason}${intent ? `; the flow names intent '${intent}' but no confidence` : ''}): the configured default is ${policy.onUnknownIntent === 'handoff' ? 'to hand off to a human' : 'that the bot keeps the conversation'}`,
  );
}

export function formatConfidence(value: number): string {
  return value.toFixed(2);
}
