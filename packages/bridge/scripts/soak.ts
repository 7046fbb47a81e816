/**
 * Soak: a few minutes of steady handoff load on two replicas sharing one Redis, with a fault
 * injected every cycle (sandbox faults in turn, and a Redis restart every few cycles), then the
 * fault matrix over the whole run plus memory growth after warm-up. Not part of `pnpm test`.
 *
 *   pnpm soak                                   (3 minutes at the budget-limited rate)
 *   SOAK_MINUTES=10 pnpm soak                   (the issue-17 soak: look at "growth after warm-up")
 *   SOAK_RATE=0 pnpm soak                       (unpaced: as fast as the cycles run)
 *
 * SOAK_RATE is handoffs (conversations) per minute; the default, 100, is what one token's default
 * budget carries at 3 Platform API calls per flow-mode handoff (300 requests a minute,
 * docs/genesys-facts.md#rate-limits): the most a single-token deployment sustains.
 *
 * Redis: a private redis-server on a free port (it is killed and restarted during the run, so
 * never the shared one). Exit code 1 if any handoff was transferred twice or lost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../test/redis/helpers.js';
import { sandboxFaults } from '../test/resilience/fault-matrix-scenarios.js';
import { formatMatrix, runScenario, type MatrixRow, type Scenario } from '../test/resilience/matrix.js';
import { startReplicaSet } from '../test/resilience/replicas.js';
import type { Sandbox } from '@baton/sandbox';

const minutes = Number(process.env.SOAK_MINUTES ?? 3);
/** Conversations per cycle (each posted twice, once per replica). */
const perCycle = Number(process.env.SOAK_CONVERSATIONS ?? 10);
const DEADLINE_MS = 2500;
const HOLD_MS = DEADLINE_MS + 1000;
/** Every this many cycles, Redis is killed and restarted mid-cycle. */
const REDIS_RESTART_EVERY = Number(process.env.SOAK_REDIS_RESTART_EVERY ?? 7);
/** Conversations handed off per minute (0: unpaced); the default is the budget-limited rate. */
const rate = Number(process.env.SOAK_RATE ?? 100);
/** The first part of the run that growth is not measured from (JIT, pools, caches filling). */
const WARM_UP_SHARE = 0.2;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const heap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
};

async function main() {
  const redis = await startPrivateRedis();
  const set = await startReplicaSet({ count: 2, redisUrl: redis.url, keyPrefix: 'baton:', deadlineMs: DEADLINE_MS, recoveryHoldMs: HOLD_MS });
  const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  probe.on('error', () => undefined);
  const redisMemory = async () => {
    try {
      if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
      const info = await probe.info('memory');
      return { usedMb: mb(Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0)), keys: await probe.dbsize() };
    } catch {
      return { usedMb: -1, keys: -1 };
    }
  };

  const totals = new Map<string, MatrixRow>();
  const add = (row: MatrixRow) => {
    const t = totals.get(row.fault);
    if (!t) {
      totals.set(row.fault, { ...row, results: { ...row.results }, codes: { ...row.codes }, problems: [...row.problems] });
      return;
    }
    t.handoffs += row.handoffs;
    t.completed += row.completed;
    t.failedCleanly += row.failedCleanly;
    t.duplicates += row.duplicates;
    t.lost += row.lost;
    t.transferred += row.transferred;
    t.late += row.late;
    t.slowestMs = Math.max(t.slowestMs, row.slowestMs);
    for (const [k, v] of Object.entries(row.results)) t.results[k] = (t.results[k] ?? 0) + v;
    for (const [k, v] of Object.entries(row.codes)) t.codes[k] = (t.codes[k] ?? 0) + v;
    t.problems.push(...row.problems);
  };

  const redisRestart: Scenario = {
    name: 'Redis restarted mid-run',
    conversations: perCycle,
    perConversation: 2,
    faults: [{ route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: 200 }],
    retries: [{ delayMs: 0 }, { delayMs: HOLD_MS }],
    during: async () => {
      // Kill Redis once this cycle's first transfer is under way (claims held, transfers in flight).
      const transfers = () => set.sandbox.counters.snapshot().byRoute.postConversationParticipantReplaceQueue ?? 0;
      const before = transfers();
      for (let i = 0; i < 400 && transfers() === before; i++) await sleep(5);
      await redis.kill();
      await sleep(300);
      await redis.start();
      await Promise.all(set.replicas.map((r) => r.state.ready(10_000)));
    },
  };
  const rotation = sandboxFaults(DEADLINE_MS, { conversations: perCycle, perConversation: 2 });

  // Warm up (JIT, first login, connection pools) before the memory baseline.
  await runScenario(set, { name: 'warm-up', conversations: perCycle, perConversation: 2 }, { deadlineMs: DEADLINE_MS });
  const perConversationBytes = sandboxBytesPerConversation(set);
  const start = heap();
  const startRedis = await redisMemory();
  const startedAt = Date.now();
  const endAt = startedAt + minutes * 60_000;
  const warmUntil = startedAt + WARM_UP_SHARE * minutes * 60_000;
  let warm: Sample | undefined;
  let handoffs = 0;
  let cycle = 0;
  const cycleMs = rate > 0 ? (perCycle / rate) * 60_000 : 0;
  console.log(
    `soak: ${minutes} min, ${perCycle} conversations x 2 replicas per cycle, ${rate > 0 ? `${rate} conversations/min (SOAK_RATE)` : 'unpaced'}, deadline ${DEADLINE_MS} ms; growth is measured from ${Math.round(WARM_UP_SHARE * 100)} % of the run on`,
  );
  while (Date.now() < endAt) {
    cycle++;
    const cycleStart = Date.now();
    const scenario = cycle % REDIS_RESTART_EVERY === 0 ? redisRestart : rotation[cycle % rotation.length]!;
    const row = await runScenario(set, scenario, { deadlineMs: DEADLINE_MS });
    add(row);
    handoffs += scenario.conversations;
    const sampleNow = cycle % 5 === 0 || (warm === undefined && Date.now() >= warmUntil);
    if (sampleNow) {
      const m = heap();
      const r = await redisMemory();
      const sample: Sample = { at: Date.now(), cycle, handoffs, heapUsed: m.heapUsed, rss: m.rss, redis: r, conversations: set.sandbox.org.listConversations().length };
      if (warm === undefined && sample.at >= warmUntil) warm = sample;
      console.log(
        `cycle ${cycle}: heap ${mb(m.heapUsed)} MB, rss ${mb(m.rss)} MB, redis ${r.usedMb} MB / ${r.keys} keys, sandbox conversations ${sample.conversations}${warm === sample ? '  <- end of warm-up' : ''}`,
      );
    }
    // Pace to SOAK_RATE: the next cycle starts when this one's share of the minute is over.
    const wait = cycleStart + cycleMs - Date.now();
    if (wait > 0 && Date.now() + wait < endAt) await sleep(wait);
  }
  const end = heap();
  const endRedis = await redisMemory();
  const rows = [...totals.values()];
  console.log(`\n${formatMatrix(rows)}\n`);
  console.log(
    `memory: heap ${mb(start.heapUsed)} -> ${mb(end.heapUsed)} MB (${mb(end.heapUsed - start.heapUsed)} MB), rss ${mb(start.rss)} -> ${mb(end.rss)} MB; ` +
      `redis ${startRedis.usedMb} -> ${endRedis.usedMb} MB, ${startRedis.keys} -> ${endRedis.keys} keys (after restarts: since the last one); ` +
      `the heap includes the sandbox org, which keeps every conversation (${set.sandbox.org.listConversations().length}).` +
      ((globalThis as { gc?: () => void }).gc ? '' : ' (run node with --expose-gc for exact heap figures)'),
  );
  const final: Sample = { at: Date.now(), cycle, handoffs, heapUsed: end.heapUsed, rss: end.rss, redis: endRedis, conversations: set.sandbox.org.listConversations().length };
  console.log(growthReport(warm ?? final, final, perConversationBytes));
  const bad = rows.filter((r) => r.duplicates > 0 || r.lost > 0 || r.late > 0);
  for (const r of bad) console.log(`FAIL ${r.fault}: duplicates ${r.duplicates}, lost ${r.lost}\n  ${r.problems.slice(0, 10).join('\n  ')}`);

  probe.disconnect();
  await set.close();
  await redis.stop();
  process.exitCode = bad.length > 0 ? 1 : 0;
}

interface Sample {
  at: number;
  cycle: number;
  handoffs: number;
  heapUsed: number;
  rss: number;
  redis: { usedMb: number; keys: number };
  conversations: number;
}

/**
 * What the soak process's heap grows by per conversation the sandbox org holds (it keeps every
 * one, by design): measured once, so the growth report can tell the bridge's part from the org's.
 */
function sandboxBytesPerConversation(set: { sandbox: Sandbox; newConversation: () => string }): number {
  // What a handed-off conversation holds in the sandbox, not a fresh one: Baton's participant data
  // (copied from one the warm-up handed off) and the transfer's queue participant and record.
  const org = set.sandbox.org;
  const handedOff = org.listConversations().find((c) => org.customerAttributes(c.id)?.['baton.handoffId'] !== undefined);
  const context = { ...(handedOff ? org.customerAttributes(handedOff.id) : {}) };
  const queueId = set.sandbox.queues[0]!.id;
  const n = 200;
  const before = heap().heapUsed;
  for (let i = 0; i < n; i++) {
    const id = set.newConversation();
    org.mergeCustomerAttributes(id, context);
    org.transferToAcd(id, queueId, 5);
  }
  return Math.max(0, (heap().heapUsed - before) / n);
}

/** The verdict line: memory from the end of warm-up to the end of the run, the sandbox's part taken out. */
function growthReport(from: Sample, to: Sample, perConversationBytes: number): string {
  const minutesMeasured = (to.at - from.at) / 60_000;
  const heapGrowth = to.heapUsed - from.heapUsed;
  const sandboxPart = (to.conversations - from.conversations) * perConversationBytes;
  const bridgePart = heapGrowth - sandboxPart;
  const handoffs = to.handoffs - from.handoffs;
  const perHandoff = handoffs > 0 ? `${Math.round(bridgePart / handoffs)} bytes per handoff` : 'no handoff measured';
  return [
    `growth after warm-up (cycle ${from.cycle} -> ${to.cycle}, ${minutesMeasured.toFixed(1)} min, ${handoffs} conversations handed off):`,
    `  heap ${mb(heapGrowth)} MB, of which the sandbox org's ${to.conversations - from.conversations} new conversations about ${mb(sandboxPart)} MB (${Math.round(perConversationBytes)} bytes each, measured on handed-off ones);`,
    `  the bridges' part ${mb(bridgePart)} MB (${perHandoff}, ${minutesMeasured > 0 ? mb(bridgePart / minutesMeasured) : 0} MB a minute); rss ${mb(to.rss - from.rss)} MB; redis ${mb2(to.redis.usedMb - from.redis.usedMb)} MB, ${to.redis.keys - from.redis.keys} keys`,
    `  (records kept in Redis live idempotencyTtlMs, 15 min by default: a run shorter than that grows by them; with a Redis restart the counts restart too).`,
  ].join('\n');
}

function mb2(value: number): number {
  return Math.round(value * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
