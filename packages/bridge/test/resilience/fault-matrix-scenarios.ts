import { sleep } from '../redis/helpers.js';
import type { Scenario } from './matrix.js';

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
      faults: [{ route: 'getConversationsMessage', kind: 'latency', ms: deadlineMs + 500, times: 3 }],
      ...wave,
      retries: [{ delayMs: 0 }],
    },
    {
      name: 'latency past the deadline (transfer)',
      faults: [
        { route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: deadlineMs + 500, times: 3 },
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
