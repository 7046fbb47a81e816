import type { Models } from 'purecloud-platform-client-v2';
import type { TranscriptOutput } from '../contracts/transcript.js';
import type { CallOptions } from '../genesys/api.js';
import type { Runtime } from './runtime.js';
import {
  messageIdLimit,
  NO_TRANSCRIPT,
  renderTranscript,
  selectMessageIds,
  toTranscriptEntries,
  type TranscriptEntry,
} from './transcript.js';

/** What a handoff reads of the conversation: the transcript as rendered, and the entries the agent's context is built from. */
export interface ConversationText {
  transcript: TranscriptOutput;
  entries: TranscriptEntry[];
}

/**
 * The transcript of a conversation already fetched: the message bodies in one bulk call (the
 * conversation lists ids only, docs/genesys-facts.md#message-conversation), none at all when there are no messages.
 */
export async function transcriptOf(
  rt: Runtime,
  conversationId: string,
  conversation: Models.MessageConversation,
  options: { maxChars: number; mask: boolean },
  callOptions: CallOptions,
): Promise<TranscriptOutput> {
  return (await conversationTextOf(rt, conversationId, conversation, options, callOptions)).transcript;
}

/** The transcript and its entries (see transcriptOf). */
export async function conversationTextOf(
  rt: Runtime,
  conversationId: string,
  conversation: Models.MessageConversation,
  options: { maxChars: number; mask: boolean },
  callOptions: CallOptions,
): Promise<ConversationText> {
  // Only the newest ids the budget can show (ordering is still by the bodies' timestamps).
  const { ids, omitted } = selectMessageIds(conversation, messageIdLimit(options.maxChars));
  const messages = ids.length > 0 ? await rt.genesys.getMessagesBulk(conversationId, ids, callOptions) : [];
  const entries = toTranscriptEntries(messages);
  if (entries.length === 0) {
    const transcript: TranscriptOutput = {
      status: 'no_transcript',
      transcript: NO_TRANSCRIPT,
      messageCount: 0,
      droppedCount: 0,
      truncated: false,
      message: 'The conversation has no messages yet.',
    };
    return { transcript, entries };
  }
  const rendered = renderTranscript(entries, {
    maxChars: options.maxChars,
    mask: options.mask,
    prefix: rt.config.transcript.prefix,
    omittedBefore: omitted,
  });
  const parts = [`Transcript of ${rendered.messageCount} message${rendered.messageCount === 1 ? '' : 's'}`];
  if (rendered.truncated) {
    parts.push(
      rendered.droppedCount > 0
        ? `${rendered.droppedCount} oldest dropped to fit ${options.maxChars} characters`
        : `cut to fit ${options.maxChars} characters`,
    );
  }
  if (options.mask) parts.push('e-mail addresses, card and phone numbers masked');
  return { transcript: { status: 'ok', ...rendered, message: `${parts.join('; ')}.` }, entries };
}
