import { formatConfidence } from './decision.js';

/**
 * The agent's context, as participant data on the customer. Genesys shows a participant attribute
 * to the agent when its name is `conversationDetails.participantData.<Name>` (docs/genesys-facts.md#participant-data), and
 * attributes on the customer travel through transfers (same section).
 */

/**
 * Set Participant Data's documented value limit (256 characters, docs/genesys-facts.md#participant-data-limits). The limit for
 * values PATCHed through the API is UNCONFIRMED (same section), so every value keeps to 256.
 */
export const ATTRIBUTE_VALUE_LIMIT = 256;

export const AGENT_VISIBLE_PREFIX = 'conversationDetails.participantData.';

/** Names of the keys Baton writes. Agent-visible ones are shown to the agent as "Baton Intent" etc. */
export const AGENT_CONTEXT_KEYS = {
  intent: `${AGENT_VISIBLE_PREFIX}Baton Intent`,
  confidence: `${AGENT_VISIBLE_PREFIX}Baton Confidence`,
  reason: `${AGENT_VISIBLE_PREFIX}Baton Reason`,
  transcriptPart: (n: number) => `${AGENT_VISIBLE_PREFIX}Baton Transcript ${n}`,
  /** Machine keys (not shown to agents): for scripts, reporting and Baton's own tracing. */
  handoffId: 'baton.handoffId',
  queueId: 'baton.queueId',
  transcriptParts: 'baton.transcriptParts',
} as const;

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

export interface AgentContext {
  handoffId: string;
  queueId: string;
  intent?: string | undefined;
  confidence?: number | undefined;
  reason?: string | undefined;
  transcript?: string | undefined;
}

/** The participant-data attributes for one handoff (every value a string of at most 256 characters). */
export function buildAgentContextAttributes(context: AgentContext): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (context.intent) attributes[AGENT_CONTEXT_KEYS.intent] = fitAttributeValue(context.intent);
  if (context.confidence !== undefined)
    attributes[AGENT_CONTEXT_KEYS.confidence] = formatConfidence(context.confidence);
  if (context.reason) attributes[AGENT_CONTEXT_KEYS.reason] = fitAttributeValue(context.reason);
  const parts = context.transcript ? chunkText(context.transcript) : [];
  parts.forEach((part, i) => {
    attributes[AGENT_CONTEXT_KEYS.transcriptPart(i + 1)] = part;
  });
  attributes[AGENT_CONTEXT_KEYS.handoffId] = context.handoffId;
  attributes[AGENT_CONTEXT_KEYS.queueId] = context.queueId;
  attributes[AGENT_CONTEXT_KEYS.transcriptParts] = String(parts.length);
  return attributes;
}

/** The transcript back from the attributes (what an agent script would show). */
export function transcriptFromAttributes(attributes: Readonly<Record<string, string>>): string {
  const parts = Number(attributes[AGENT_CONTEXT_KEYS.transcriptParts] ?? '0');
  let text = '';
  for (let n = 1; n <= parts; n += 1) text += attributes[AGENT_CONTEXT_KEYS.transcriptPart(n)] ?? '';
  return text;
}
