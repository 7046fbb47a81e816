import type { ConsoleTimeline, ConsoleTimelineEvent } from './console-sources.js';

export interface TimelineStoreOptions {
  /** Conversations kept; the one least recently added to goes first (default 100). */
  maxConversations?: number;
  /** Steps kept per conversation; the oldest go first and are counted as dropped (default 200). */
  maxEventsPerConversation?: number;
  /** Epoch ms, stamped on each step (the runner's clock). */
  now: () => number;
}

export interface TimelineStore {
  add(conversationId: string, event: Omit<ConsoleTimelineEvent, 'seq' | 'at'>): void;
  /** The conversation's steps, oldest first; empty for one never seen (or let go). */
  list(conversationId: string): ConsoleTimeline;
}

interface Entry {
  events: ConsoleTimelineEvent[];
  dropped: number;
}

/**
 * The flow's steps per conversation for the console, in memory and bounded: a sandbox left running
 * through a long session (or a suite replaying hundreds of conversations) must not grow with it.
 */
export function createTimelineStore(options: TimelineStoreOptions): TimelineStore {
  const maxConversations = options.maxConversations ?? 100;
  const maxEvents = options.maxEventsPerConversation ?? 200;
  if (!(maxConversations >= 1 && maxEvents >= 1)) throw new RangeError('a timeline store keeps at least one conversation and one step');
  const byConversation = new Map<string, Entry>();
  let seq = 0;
  return {
    add(conversationId, event) {
      let entry = byConversation.get(conversationId);
      if (entry) {
        // Re-inserted: Map order is then "least recently active first", the eviction order.
        byConversation.delete(conversationId);
      } else {
        entry = { events: [], dropped: 0 };
        if (byConversation.size >= maxConversations) byConversation.delete(byConversation.keys().next().value!);
      }
      byConversation.set(conversationId, entry);
      entry.events.push({ ...event, seq: ++seq, at: new Date(options.now()).toISOString() });
      if (entry.events.length > maxEvents) {
        entry.dropped += entry.events.length - maxEvents;
        entry.events.splice(0, entry.events.length - maxEvents);
      }
    },
    list(conversationId) {
      const entry = byConversation.get(conversationId);
      return entry ? { events: [...entry.events], dropped: entry.dropped } : { events: [], dropped: 0 };
    },
  };
}
