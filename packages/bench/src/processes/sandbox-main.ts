/**
 * The sandbox org in its own process, started by the bench. The sandbox's standalone CLI cannot
 * raise the per-token rate limit, put latency on /oauth/token, record when calls wait, or seed
 * conversations of a chosen shape in bulk, so the bench starts `createSandbox` itself:
 * - rate limit raised far above any bench run (the limit is not what the latency rows measure);
 * - the same latency on the token endpoint as on API calls (a real login round trip costs one too;
 *   `latencyMs` alone skips it);
 * - its `sleep` seam records the interval each call spends in simulated latency, so the bench can
 *   count dependent round trips (the critical path) instead of assuming them.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { createSandbox, type ConversationFixture } from '@baton/sandbox';
import { serveIpc } from '../ipc.js';
// Answers `usage` (CPU, RSS) like the targets do, so the bench can show what the sandbox costs per handoff.
import './usage-probe.js';
import type { ConversationPools, SandboxReady } from '../sandbox-client.js';

const [latencyArg, seedArg, plainArg, probeArg] = process.argv.slice(2);
const latencyMs = Number(latencyArg ?? 0);
const seed = Number(seedArg ?? 42);
const plainCount = Number(plainArg ?? 1000);
const probeCount = Number(probeArg ?? 10);

const MESSAGES: ConversationFixture['messages'] = [
  { from: 'customer', text: 'I want my money back', at: 5 },
  { from: 'bot', text: 'Sorry about that. What went wrong with the item?', at: 9 },
  { from: 'customer', text: 'The screen was cracked when it arrived', at: 30 },
  { from: 'bot', text: 'Thanks, one moment.', at: 33 },
  { from: 'customer', text: 'Order 55120, placed last week', at: 50 },
  { from: 'bot', text: 'Let me get someone who can help with a refund.', at: 55 },
];

let recording = false;
const intervals: [number, number][] = [];
const sleep = async (ms: number): Promise<void> => {
  const start = performance.now();
  await delay(ms);
  if (recording) intervals.push([start, performance.now()]);
};

const sb = await createSandbox({ seed, conversations: 0, latencyMs, rateLimitPerMinute: 1_000_000_000, sleep });
if (latencyMs > 0) sb.faults.add({ route: 'postToken', kind: 'latency', ms: latencyMs });

const plain: ConversationFixture = { messages: MESSAGES, startedAt: -3600, botSession: { intent: 'Refund', confidence: 0.42 } };
const withParticipantData: ConversationFixture = {
  messages: MESSAGES,
  startedAt: -3600,
  participantData: { 'bot.intent': 'Refund', 'bot.confidence': '0.42' },
};
// The newest sessions: the sessions API lists newest first and has no conversation filter, so a
// conversation handed off now is found on the first page.
const withSession: ConversationFixture = { messages: MESSAGES, startedAt: -60, botSession: { intent: 'Refund', confidence: 0.42 } };
const pools: ConversationPools = { plain: [], participantData: [], botSession: [] };
for (let i = 0; i < plainCount; i += 1) pools.plain.push(sb.org.addConversation(plain));
for (let i = 0; i < probeCount; i += 1) pools.participantData.push(sb.org.addConversation(withParticipantData));
for (let i = 0; i < probeCount; i += 1) pools.botSession.push(sb.org.addConversation(withSession));

serveIpc({
  pools: () => pools,
  counters: () => sb.counters.snapshot(),
  resetCounters: () => {
    sb.counters.reset();
    return null;
  },
  record: () => {
    intervals.length = 0;
    recording = true;
    return null;
  },
  intervals: () => {
    recording = false;
    return intervals.splice(0);
  },
});

const ready: SandboxReady = {
  type: 'ready',
  url: sb.url,
  clientId: sb.clientId,
  clientSecret: sb.clientSecret,
  queueId: sb.queues[0]?.id ?? '',
  botFlowId: sb.botFlowId,
  sessions: sb.org.botSessions().length,
};
process.send?.(ready);
process.once('SIGTERM', () => {
  void sb.close().finally(() => process.exit(0));
});
