import { formatConfidence } from './decision.js';
import { maskSensitive, type TranscriptEntry } from './transcript.js';

/**
 * The agent's context, as participant data on the customer. Genesys shows a participant attribute
 * to the agent when its name is `conversationDetails.participantData.<Name>` (docs/genesys-facts.md#participant-data), and
 * attributes on the customer travel through transfers (same section).
 *
 * In native web messaging the agent already sees the bot's messages in the interaction, so the
 * context is what they do not see: a one-line summary, the bot's intent and exit reason, the slots,
 * the customer's last message and what the bot already tried. The full transcript is an option,
 * off by default: it repeats the interaction and stores customer text in analytics.
 */

/**
 * Set Participant Data's documented value limit (256 characters, docs/genesys-facts.md#participant-data-limits). The limit for
 * values PATCHed through the API is UNCONFIRMED (same section), so every value keeps to 256.
 */
export const ATTRIBUTE_VALUE_LIMIT = 256;

/**
 * Attributes a bot session may hold (docs/genesys-facts.md#participant-data-limits). The API's own count limit is
 * UNCONFIRMED (same section), so the customer's attributes, those already there included, keep to 50.
 */
export const ATTRIBUTE_COUNT_LIMIT = 50;

/** Longest attribute name Baton writes: Genesys documents none (UNCONFIRMED), a slot name is cut to keep keys readable. */
export const ATTRIBUTE_NAME_LIMIT = 128;

export const AGENT_VISIBLE_PREFIX = 'conversationDetails.participantData.';

/**
 * Value prefixes that select how the agent UI displays a custom attribute
 * (docs/genesys-facts.md#participant-data): `identifier:` a bold string, `number:` a number, `longtext:` long text.
 * The prefix is part of the value, so it counts against the 256 characters.
 */
export const DISPLAY = { identifier: 'identifier:', number: 'number:', longtext: 'longtext:' } as const;

/** Names of the keys Baton writes. Agent-visible ones are shown to the agent as "Baton Summary" etc. */
export const AGENT_CONTEXT_KEYS = {
  summary: `${AGENT_VISIBLE_PREFIX}Baton Summary`,
  intent: `${AGENT_VISIBLE_PREFIX}Baton Intent`,
  exitReason: `${AGENT_VISIBLE_PREFIX}Baton Exit Reason`,
  confidence: `${AGENT_VISIBLE_PREFIX}Baton Confidence`,
  reason: `${AGENT_VISIBLE_PREFIX}Baton Reason`,
  lastMessage: `${AGENT_VISIBLE_PREFIX}Baton Last Message`,
  botTried: `${AGENT_VISIBLE_PREFIX}Baton Bot Tried`,
  slots: `${AGENT_VISIBLE_PREFIX}Baton Slots`,
  slot: (name: string) => `${AGENT_VISIBLE_PREFIX}Baton Slot ${name}`,
  transcriptPart: (n: number) => `${AGENT_VISIBLE_PREFIX}Baton Transcript ${n}`,
  /** Machine keys (not shown to agents): for scripts, reporting and Baton's own tracing. */
  handoffId: 'baton.handoffId',
  queueId: 'baton.queueId',
  transcriptParts: 'baton.transcriptParts',
} as const;

// --- What the handoff knows, and the summary --------------------------------------------------

/**
 * The facts a context is built from: the bot's outputs as the flow passes them, Baton's decision,
 * and the conversation's messages when they were read. Plain data, so any caller can fill it.
 */
export interface ContextFacts {
  intent?: string | undefined;
  /** The Call Digital Bot Flow action's Exit Reason (e.g. `AgentRequestedByUser`). */
  exitReason?: string | undefined;
  /** Only when known: a flow input, participant data or bot-flow analytics. */
  confidence?: number | undefined;
  slots?: Readonly<Record<string, string>> | undefined;
  /** Why Baton handed off, in words. */
  reason?: string | undefined;
  /** The conversation in timestamp order (transcript.ts), when it was read. */
  entries?: readonly TranscriptEntry[] | undefined;
  /** The rendered transcript, written only when the transcript option is on. */
  transcript?: string | undefined;
}

/**
 * Says in one line what the customer wants. Deterministic and extractive by default; a model-backed
 * one can be injected later (it must stay within `maxChars` and should not block for long).
 */
export interface Summariser {
  summarise(entries: readonly TranscriptEntry[], maxChars: number): string | undefined;
}

/** Words that carry no request: greetings and asking for a person. */
const FILLER = new Set(
  'a an and are can could do for from get have hello help hey hi i im is it me my need no not of ok okay on or please pls talk thank thanks the there this to want we what with would yes you agent human person someone representative real operator'.split(' '),
);

/** How much a customer message says: its distinct words of three letters or more that are not filler. */
export function informativeness(text: string): number {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']{3,}/gu) ?? [];
  return new Set(words.filter((w) => !FILLER.has(w.replace(/'/g, '')))).size;
}

/**
 * The customer's most informative message, trimmed at a word: customers tend to state the problem
 * once ("my parcel never arrived, order 1234") and then ask for a human, so the latest message is
 * often the least useful. Ties go to the later message.
 */
export const extractiveSummariser: Summariser = {
  summarise(entries, maxChars) {
    let best: TranscriptEntry | undefined;
    let bestScore = 0;
    for (const entry of entries) {
      if (entry.speaker !== 'customer') continue;
      const score = informativeness(entry.text);
      if (score > 0 && score >= bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    return best ? cutAtWord(best.text, maxChars) : undefined;
  },
};

/** The agent-facing context, every value a plain string ("" when unknown); display prefixes are added when written. */
export interface AgentContext {
  summary: string;
  intent: string;
  exitReason: string;
  /** "0.42", or "" when no source knew it. */
  confidence: string;
  reason: string;
  lastMessage: string;
  botTried: string;
  slots: Readonly<Record<string, string>>;
  transcript: string;
}

/** The room a display prefix leaves in one attribute value. */
const roomAfter = (prefix: string) => ATTRIBUTE_VALUE_LIMIT - prefix.length;

/**
 * The context from the facts. Customer text is masked when `mask` is on (the same masking as the
 * transcript), since participant data is kept in analytics. `NOT_SET` is Architect's "no intent".
 */
export function buildAgentContext(
  facts: ContextFacts,
  options: { mask: boolean; summariser?: Summariser; includeTranscript: boolean },
): AgentContext {
  const entries = facts.entries ?? [];
  const clean = (text: string) => (options.mask ? maskSensitive(text) : text);
  const summariser = options.summariser ?? extractiveSummariser;
  const summary = summariser.summarise(entries, roomAfter(DISPLAY.longtext)) ?? '';
  const lastCustomer = [...entries].reverse().find((e) => e.speaker === 'customer');
  const botTurns = entries.filter((e) => e.speaker === 'bot');
  const lastBot = botTurns[botTurns.length - 1];
  const botTried = botTurns.length === 0
    ? ''
    : `${botTurns.length} bot turn${botTurns.length === 1 ? '' : 's'}; last: ${lastBot?.text ?? ''}`;
  const intent = facts.intent && facts.intent !== 'NOT_SET' ? facts.intent : '';
  return {
    summary: clean(summary),
    intent,
    exitReason: facts.exitReason ?? '',
    confidence: facts.confidence === undefined ? '' : formatConfidence(facts.confidence),
    reason: facts.reason ?? '',
    lastMessage: clean(lastCustomer?.text ?? ''),
    botTried: clean(botTried),
    slots: facts.slots ?? {},
    transcript: options.includeTranscript ? (facts.transcript ?? '') : '',
  };
}

// --- The budget -------------------------------------------------------------------------------

/** What did not fit the participant-data limits, in words (e.g. "Baton Slot note cut to 256 characters"). */
export type Trimmed = string[];

export interface ContextAttributes {
  attributes: Record<string, string>;
  trimmed: Trimmed;
}

/**
 * The participant-data attributes for one handoff, within the documented limits
 * (docs/genesys-facts.md#participant-data-limits): every value at most 256 characters, and the customer's attributes
 * (`existing` of them already there) at most 50. What does not fit is cut or left out, most
 * useful first (machine keys, summary, intent, …, slots, transcript), and listed in `trimmed`.
 * Never exceeds a limit, never silently.
 */
export function contextAttributes(
  context: AgentContext,
  ids: { handoffId: string; queueId: string },
  existing: readonly string[] = [],
): ContextAttributes {
  const attributes: Record<string, string> = {};
  const trimmed: Trimmed = [];
  const already = new Set(existing);
  let count = already.size;
  const put = (key: string, value: string, prefix = ''): boolean => {
    const label = key.startsWith(AGENT_VISIBLE_PREFIX) ? key.slice(AGENT_VISIBLE_PREFIX.length) : key;
    if (!already.has(key) && !(key in attributes) && count >= ATTRIBUTE_COUNT_LIMIT) {
      trimmed.push(`${label} left out (${ATTRIBUTE_COUNT_LIMIT}-attribute limit)`);
      return false;
    }
    const full = `${prefix}${value}`;
    if (full.length > ATTRIBUTE_VALUE_LIMIT) trimmed.push(`${label} cut to ${ATTRIBUTE_VALUE_LIMIT} characters`);
    if (!already.has(key) && !(key in attributes)) count += 1;
    attributes[key] = fitAttributeValue(full);
    return true;
  };
  put(AGENT_CONTEXT_KEYS.handoffId, ids.handoffId);
  put(AGENT_CONTEXT_KEYS.queueId, ids.queueId);
  if (context.summary) put(AGENT_CONTEXT_KEYS.summary, context.summary, DISPLAY.longtext);
  if (context.intent) put(AGENT_CONTEXT_KEYS.intent, context.intent, DISPLAY.identifier);
  if (context.exitReason) put(AGENT_CONTEXT_KEYS.exitReason, context.exitReason);
  if (context.confidence) put(AGENT_CONTEXT_KEYS.confidence, context.confidence, DISPLAY.number);
  if (context.reason) put(AGENT_CONTEXT_KEYS.reason, context.reason, DISPLAY.longtext);
  if (context.lastMessage) put(AGENT_CONTEXT_KEYS.lastMessage, context.lastMessage, DISPLAY.longtext);
  if (context.botTried) put(AGENT_CONTEXT_KEYS.botTried, context.botTried, DISPLAY.longtext);
  for (const [name, value] of Object.entries(context.slots)) {
    const shortName = name.length > ATTRIBUTE_NAME_LIMIT ? `${name.slice(0, ATTRIBUTE_NAME_LIMIT - 1)}…` : name;
    if (shortName !== name) trimmed.push(`slot name '${shortName}' cut to ${ATTRIBUTE_NAME_LIMIT} characters`);
    put(AGENT_CONTEXT_KEYS.slot(shortName), value);
  }
  if (context.transcript) {
    // Each part carries its own display prefix; the parts that fit are written, in order.
    const parts = chunkText(context.transcript, roomAfter(DISPLAY.longtext));
    let written = 0;
    // The part count is written first so that a reader knows how many parts to expect.
    if (put(AGENT_CONTEXT_KEYS.transcriptParts, String(parts.length))) {
      for (const [i, part] of parts.entries()) {
        if (!put(AGENT_CONTEXT_KEYS.transcriptPart(i + 1), part, DISPLAY.longtext)) break;
        written += 1;
      }
      if (written < parts.length) {
        attributes[AGENT_CONTEXT_KEYS.transcriptParts] = String(written);
        trimmed.push(`transcript cut to ${written} of ${parts.length} parts`);
      }
    }
  }
  return { attributes, trimmed: dedupe(trimmed) };
}

function dedupe(items: string[]): string[] {
  // Once the count limit is reached every further key is reported; the slots' lines are summed up.
  const out: string[] = [];
  let leftOut = 0;
  for (const item of items) {
    if (item.startsWith('Baton Transcript ') && item.endsWith('limit)')) continue;
    if (item.startsWith('Baton Slot ') && item.endsWith('limit)')) {
      leftOut += 1;
      continue;
    }
    out.push(item);
  }
  if (leftOut > 0) out.push(`${leftOut} slot${leftOut === 1 ? '' : 's'} left out (${ATTRIBUTE_COUNT_LIMIT}-attribute limit)`);
  return out;
}

// --- The flow's own Set Participant Data (writeContext: flow) ---------------------------------

/** The context as flat data-action outputs, each a value for Set Participant Data as is (prefix included, at most 256 characters). */
export interface ContextOutputs {
  contextSummary: string;
  contextIntent: string;
  contextExitReason: string;
  contextConfidence: string;
  contextLastMessage: string;
  contextBotTried: string;
  /** The slots on one line, `name=value; …` (the flow has a fixed set of outputs, not one per slot). */
  contextSlots: string;
  contextTrimmed: string;
}

export const EMPTY_CONTEXT_OUTPUTS: ContextOutputs = Object.freeze({
  contextSummary: '',
  contextIntent: '',
  contextExitReason: '',
  contextConfidence: '',
  contextLastMessage: '',
  contextBotTried: '',
  contextSlots: '',
  contextTrimmed: '',
});

/** The flat outputs, every value within 256 characters; what was cut is added to `trimmed`'s words. */
export function contextOutputs(context: AgentContext, trimmed: Trimmed): ContextOutputs {
  const notes = [...trimmed];
  const out = (name: string, value: string, prefix = '') => {
    if (!value) return '';
    const full = `${prefix}${value}`;
    if (full.length > ATTRIBUTE_VALUE_LIMIT && !notes.some((n) => n.startsWith(name))) {
      notes.push(`${name} cut to ${ATTRIBUTE_VALUE_LIMIT} characters`);
    }
    return fitAttributeValue(full);
  };
  const slotLine = Object.entries(context.slots)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const outputs = {
    contextSummary: out('Baton Summary', context.summary, DISPLAY.longtext),
    contextIntent: out('Baton Intent', context.intent, DISPLAY.identifier),
    contextExitReason: out('Baton Exit Reason', context.exitReason),
    contextConfidence: out('Baton Confidence', context.confidence, DISPLAY.number),
    contextLastMessage: out('Baton Last Message', context.lastMessage, DISPLAY.longtext),
    contextBotTried: out('Baton Bot Tried', context.botTried, DISPLAY.longtext),
    contextSlots: out('Baton Slots', slotLine, DISPLAY.longtext),
  };
  return { ...outputs, contextTrimmed: notes.join('; ') };
}

// --- Text helpers -----------------------------------------------------------------------------

/**
 * `text` split into chunks of at most `limit` UTF-16 units (the unit Genesys' Java side counts,
 * UNCONFIRMED), preferring to break after a newline, then after a space, so the agent reads whole
 * lines and words; never splitting a surrogate pair. Joining the chunks gives `text` back.
 */
export function chunkText(text: string, limit = ATTRIBUTE_VALUE_LIMIT): string[] {
  if (limit < 2) throw new RangeError('chunk limit must be at least 2');
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let end = limit;
    const window = rest.slice(0, limit);
    const newline = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    // Only break early when it keeps the chunk at least half full; otherwise cut mid-word.
    if (newline >= limit / 2) end = newline + 1;
    else if (space >= limit / 2) end = space + 1;
    const code = rest.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    chunks.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/** `value` cut to the attribute limit, "…" marking the cut. */
export function fitAttributeValue(value: string, limit = ATTRIBUTE_VALUE_LIMIT): string {
  if (value.length <= limit) return value;
  let end = limit - 1;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
}

/** `text` within `max` characters, cut after a whole word when one ends in the second half, "…" marking the cut. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const window = text.slice(0, max - 1);
  const space = window.lastIndexOf(' ');
  return `${(space >= max / 2 ? window.slice(0, space) : fitAttributeValue(text, max).slice(0, -1)).trimEnd()}…`;
}

/** The transcript back from the attributes (what an agent script would show), display prefixes removed. */
export function transcriptFromAttributes(attributes: Readonly<Record<string, string>>): string {
  const parts = Number(attributes[AGENT_CONTEXT_KEYS.transcriptParts] ?? '0');
  let text = '';
  for (let n = 1; n <= parts; n += 1) text += withoutDisplayPrefix(attributes[AGENT_CONTEXT_KEYS.transcriptPart(n)] ?? '');
  return text;
}

/** A value as the agent reads it, without the display prefix Baton put on it. */
export function withoutDisplayPrefix(value: string): string {
  for (const prefix of Object.values(DISPLAY)) if (value.startsWith(prefix)) return value.slice(prefix.length);
  return value;
}
