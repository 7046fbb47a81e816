import type { HandoffTrace } from '../contracts/trace.js';

/** The handoff trace log: capped, readable from any replica. */
export interface TraceStore {
  append(trace: HandoffTrace): Promise<void>;
  get(handoffId: string): Promise<HandoffTrace | undefined>;
  /** Newest first. */
  list(options?: { limit?: number; conversationId?: string }): Promise<HandoffTrace[]>;
}
