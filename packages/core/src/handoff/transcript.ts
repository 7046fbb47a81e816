import type { Models } from 'purecloud-platform-client-v2';

/**
 * The transcript the agent reads: pure functions over the Platform API's message models, so
 * ordering, labelling, masking and the budget are tested without HTTP.
 */

export type Speaker = 'customer' | 'bot' | 'agent';

export interface TranscriptEntry {
  id: string;
  speaker: Speaker;
  text: string;
  /** Epoch ms of MessageData.timestamp (Infinity when missing, so such entries sort last). */
  at: number;
}

/** The seed's text for a conversation with no history. */
export const NO_TRANSCRIPT = 'No prior conversation history available.';

/** `POST .../messages/bulk` takes at most 1,000 ids (docs/genesys-facts.md#message-bodies-in-bulk): one call always suffices. */
export const MAX_BULK_MESSAGE_IDS = 1000;

/** The shortest line a transcript can show (`[bot] x`) and the newline after it. */
const SHORTEST_LINE_CHARS = '[bot] x'.length + 1;

/**
 * How many of the newest message ids a transcript of `maxChars` can use: never more lines than the
 * budget holds even if every line were the shortest, and never more than one bulk call takes. A
 * long conversation then costs one bulk call of a few hundred ids, not a thousand bodies of which
 * the budget shows a tenth. (Receipts and events take ids but no lines; with the default budget
 * the cap still leaves hundreds of ids.)
 */
export function messageIdLimit(maxChars: number): number {
  return Math.max(1, Math.min(MAX_BULK_MESSAGE_IDS, Math.ceil(maxChars / SHORTEST_LINE_CHARS)));
}

/**
 * Message ids of a conversation, from `GET /api/v2/conversations/messages/{id}` (ids and status
 * only, no text), newest `limit` kept. `messageTime` only chooses which ids to fetch; the transcript
 * itself is ordered by the bodies' `timestamp`.
 */
export function selectMessageIds(
  conversation: Models.MessageConversation,
  limit = MAX_BULK_MESSAGE_IDS,
): { ids: string[]; omitted: number } {
  const byId = new Map<string, number>();
  for (const participant of conversation.participants ?? []) {
    for (const message of participant.messages ?? []) {
      if (!message.messageId || byId.has(message.messageId)) continue;
      const at = Date.parse(message.messageTime ?? '');
      byId.set(message.messageId, Number.isNaN(at) ? Number.POSITIVE_INFINITY : at);
    }
  }
  const ordered = [...byId.entries()].sort((a, b) => a[1] - b[1] || 0).map(([id]) => id);
  const omitted = Math.max(0, ordered.length - limit);
  return { ids: ordered.slice(omitted), omitted };
}

/**
 * Who wrote a message. Genesys marks the customer's messages `inbound`; outbound ones come from the
 * bot or an agent, told apart by `normalizedMessage.originatingEntity` (`Bot` | `Human`,
 * docs/genesys-facts.md#normalized-messages). Without it, an outbound message created by a user is an agent's, anything else the bot's.
 */
export function speakerOf(message: Models.MessageData): Speaker {
  const direction = (message.direction ?? message.normalizedMessage?.direction ?? '').toLowerCase();
  if (direction === 'inbound') return 'customer';
  const origin = message.normalizedMessage?.originatingEntity?.toLowerCase();
  if (origin === 'bot') return 'bot';
  if (origin === 'human') return 'agent';
  return message.createdBy?.id ? 'agent' : 'bot';
}

/** The readable text of a message, or undefined for receipts, typing events and empty messages. */
export function messageText(message: Models.MessageData): string | undefined {
  const normalized = message.normalizedMessage;
  const type = normalized?.type?.toLowerCase();
  // Delivery receipts and events (typing, presence) are not conversation (`type`, docs/genesys-facts.md#normalized-messages).
  if (type === 'receipt' || type === 'event') return undefined;
  // `textBody` is deprecated and absent from newer SDK models, but older responses still carry it.
  const raw = normalized?.text ?? (message as { textBody?: string }).textBody ?? '';
  const parts = [raw.replace(/\s+/g, ' ').trim()];
  for (const content of normalized?.content ?? []) {
    if (content.contentType?.toLowerCase() === 'attachment') {
      parts.push(`[attachment${content.attachment?.filename ? `: ${content.attachment.filename}` : ''}]`);
    }
  }
  const text = parts.filter((p) => p.length > 0).join(' ');
  return text.length > 0 ? text : undefined;
}

/**
 * Conversation entries in timestamp order. Web messaging does not deliver (or list) messages in
 * order, so arrival order is never trusted; equal timestamps keep their listed order.
 */
export function toTranscriptEntries(messages: readonly Models.MessageData[]): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const message of messages) {
    const text = messageText(message);
    if (text === undefined) continue;
    const at = Date.parse(message.timestamp ?? '');
    entries.push({
      id: message.id ?? '',
      speaker: speakerOf(message),
      text,
      at: Number.isNaN(at) ? Number.POSITIVE_INFINITY : at,
    });
  }
  // Array.prototype.sort is stable (ES2019), so ties keep their listed order.
  return entries.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
}

// --- Masking ----------------------------------------------------------------------------------

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Runs of 13+ digits, single spaces or dashes allowed between them (how card numbers are typed). */
const CARD_CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,}(?!\d)/g;
/**
 * Phone-shaped digit runs: optional +country code, optional (area code), then groups of 2–4 digits.
 * Checked afterwards: 7–15 digits (E.164's maximum) with a + or a (area code), or 10–15 digits
 * otherwise, so order numbers and dates ("12345", "2024-05-06") stay readable.
 */
const PHONE_CANDIDATE =
  /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}(?!\w)/g;
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Card numbers inside a run of digit groups: left to right, the longest run of whole groups with
 * 13–19 digits that passes Luhn, its groups (when typed in groups) at least 3 digits long, so a card
 * typed after another number is found and a list of small numbers is not mistaken for one.
 */
function maskCardCandidate(candidate: string): string {
  const tokens = candidate.split(/([ -])/); // digits, separator, digits, ...
  const groups = tokens.filter((_t, i) => i % 2 === 0);
  const out: string[] = [];
  let start = 0;
  while (start < groups.length) {
    let found = 0;
    for (let end = groups.length; end > start; end -= 1) {
      const run = groups.slice(start, end);
      const digits = run.join('');
      if (digits.length < 13 || digits.length > 19) continue;
      if (run.length > 1 && run.some((g) => g.length < 3)) continue;
      if (luhnValid(digits)) {
        found = end - start;
        break;
      }
    }
    if (start > 0) out.push(tokens[start * 2 - 1] ?? '');
    if (found > 0) {
      out.push('[card]');
      start += found;
    } else {
      out.push(groups[start] ?? '');
      start += 1;
    }
  }
  return out.join('');
}

/** Masks e-mail addresses, Luhn-valid card numbers and phone numbers (in that order). */
export function maskSensitive(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(CARD_CANDIDATE, maskCardCandidate)
    .replace(PHONE_CANDIDATE, (match) => {
      if (ISO_DATE_START.test(match)) return match;
      const digits = match.replace(/\D/g, '').length;
      const marked = match.startsWith('+') || match.includes('(');
      return (marked && digits >= 7 && digits <= 15) || (digits >= 10 && digits <= 15) ? '[phone]' : match;
    });
}

// --- Rendering and the budget -----------------------------------------------------------------

export interface RenderOptions {
  /** Character budget for the whole transcript, prefix and truncation marker included. */
  maxChars: number;
  mask: boolean;
  /** First line, addressed to the agent ("" for none). */
  prefix: string;
  /** Messages already left out before rendering (e.g. beyond the bulk limit), counted as dropped. */
  omittedBefore?: number;
}

export interface RenderedTranscript {
  transcript: string;
  messageCount: number;
  droppedCount: number;
  truncated: boolean;
}

export function formatTranscriptLine(entry: Pick<TranscriptEntry, 'speaker' | 'text'>): string {
  // The seed's "[guest] text" lines, with our three speakers.
  return `[${entry.speaker}] ${entry.text}`;
}

export function truncationMarker(dropped: number): string {
  return `[${dropped} earlier message${dropped === 1 ? '' : 's'} omitted]`;
}

/**
 * The transcript fitted to `maxChars`: the newest messages are what the agent needs, so the oldest
 * are dropped first and a marker says how many. If even the newest message does not fit, its text is
 * cut and ends with "…". An empty conversation gives the seed's "No prior conversation history".
 */
export function renderTranscript(
  entries: readonly TranscriptEntry[],
  options: RenderOptions,
): RenderedTranscript {
  const omitted = options.omittedBefore ?? 0;
  if (entries.length === 0) {
    return { transcript: NO_TRANSCRIPT, messageCount: 0, droppedCount: omitted, truncated: omitted > 0 };
  }
  const lines = entries.map((e) =>
    formatTranscriptLine({ speaker: e.speaker, text: options.mask ? maskSensitive(e.text) : e.text }),
  );
  const head = options.prefix ? [options.prefix] : [];
  const lengthOf = (parts: readonly string[]) =>
    parts.reduce((n, p) => n + p.length, 0) + Math.max(0, parts.length - 1);

  // Newest-first search for the most lines that fit alongside the head and the marker.
  let kept = 0;
  let keptLength = 0; // Characters of the kept lines plus their separating newlines.
  for (let k = 1; k <= lines.length; k += 1) {
    const line = lines[lines.length - k] ?? '';
    const nextLength = keptLength + line.length + (k > 1 ? 1 : 0);
    const dropped = lines.length - k + omitted;
    const extra = [...head, ...(dropped > 0 ? [truncationMarker(dropped)] : [])];
    const total = lengthOf(extra) + (extra.length > 0 ? 1 : 0) + nextLength;
    if (total > options.maxChars) break;
    kept = k;
    keptLength = nextLength;
  }

  if (kept > 0) {
    const dropped = lines.length - kept + omitted;
    const parts = [
      ...head,
      ...(dropped > 0 ? [truncationMarker(dropped)] : []),
      ...lines.slice(lines.length - kept),
    ];
    return {
      transcript: parts.join('\n'),
      messageCount: kept,
      droppedCount: dropped,
      truncated: dropped > 0,
    };
  }

  // Not even the newest message fits whole: keep its beginning.
  const dropped = lines.length - 1 + omitted;
  const extra = [...head, ...(dropped > 0 ? [truncationMarker(dropped)] : [])];
  const room = options.maxChars - lengthOf(extra) - (extra.length > 0 ? 1 : 0);
  const newest = lines[lines.length - 1] ?? '';
  const parts = room > 1 ? [...extra, `${cutToLength(newest, room - 1)}…`] : extra;
  return {
    transcript: cutToLength(parts.join('\n'), options.maxChars),
    messageCount: room > 1 ? 1 : 0,
    droppedCount: room > 1 ? dropped : lines.length + omitted,
    truncated: true,
  };
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
