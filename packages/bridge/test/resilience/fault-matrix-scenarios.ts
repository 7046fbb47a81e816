import { sleep } from '../redis/helpers.js';
import { SCHEDULING_MARGIN_MS, type Scenario } from './matrix.js';

/**
 * How long the latency faults hold a call: past the deadline *and* the scheduling margin, so a
 * handoff that waited for the slow call instead of answering at its deadline is counted late.
 * (For the transfer this matters: core lets a sent write answer up to 15 s past the deadline, so
 * only the bridge's deadline race in src/deadline.ts answers the caller in time. A read is
 * aborted by core at its own, earlier deadline, and the race is the backstop.)
 */
const pastDeadline = (deadlineMs: number) => deadlineMs + SCHEDULING_MARGIN_MS + 1000;

/** The sandbox's fault injection, one row each. Every fault hits both replicas (one org). */
export function sandboxFaults(
  deadlineMs: number,
  wave: { conversations: number; perConversation: number },
): Scenario[] {
  return [
    { name: 'none (baseline)', ...wave },
    {
      name: '429 storm (Retry-After 1 s)',
      faults: [
        { route: '*', kind: 'status', status: 429, retryAfterSeconds: 1, probability: 0.5, times: 30 },
      ],
      ...wave,
    },
    {
      name: '500',
      faults: [{ route: '*', kind: 'status', status: 500, probability: 0.3, times: 15 }],
      ...wave,
    },
    {
      name: '502',
      faults: [{ route: '*', kind: 'status', status: 502, probability: 0.3, times: 15 }],
      ...wave,
    },
    {
      name: '503',
      faults: [{ route: '*', kind: 'status', status: 503, probability: 0.3, times: 15 }],
      ...wave,
    },
    {
      name: '504',
      faults: [{ route: '*', kind: 'status', status: 504, probability: 0.3, times: 15 }],
      ...wave,
    },
    {
      name: 'connection resets',
      faults: [{ route: '*', kind: 'reset', probability: 0.25, times: 15 }],
      ...wave,
    },
    {
      name: 'latency past the deadline (read)',
      faults: [{ route: 'getConversationsMessage', kind: 'latency', ms: pastDeadline(deadlineMs), times: 3 }],
      ...wave,
      retries: [{ delayMs: 0 }],
    },
    {
      name: 'latency past the deadline (transfer)',
      faults: [
        { route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: pastDeadline(deadlineMs), times: 3 },
      ],
      ...wave,
      retries: [{ delayMs: 0 }],
    },
    {
      name: 'token revoked mid-run',
      faults: [{ route: '*', kind: 'revokeToken', times: 1 }],
      during: async (set) => {
        await sleep(30);
        set.sandbox.revokeTokens();
      },
      ...wave,
    },
    {
      name: 'malformed JSON',
      faults: [{ route: '*', kind: 'malformed', probability: 0.3, times: 15 }],
      ...wave,
    },
  ];
}
