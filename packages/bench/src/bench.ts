import { randomInt } from 'node:crypto';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { LoadGenerator } from './load/load-generator.js';
import type { LoadResult } from './load/load-spec.js';
import type { BenchPlan } from './plan.js';
import type { BenchRedisDb } from './redis-db.js';
import type { BenchResults, ColdStart, IntentSource, LoadRow, MachineInfo, ScenarioCost, TargetName } from './results.js';
import type { SandboxProcess, SandboxProcessOptions } from './sandbox-client.js';
import { hostBusyMs } from './host-cpu.js';
import { dependentRoundTrips } from './stats.js';
import { HANDOFF_PATH, type Target } from './targets.js';
import type { SandboxReady } from './sandbox-client.js';

/** The processes the bench starts, injected so the orchestration can be read (and tested) apart from them. */
export interface BenchDeps {
  plan: BenchPlan;
  load: LoadGenerator;
  startSandbox(options: SandboxProcessOptions): Promise<SandboxProcess>;
  startTarget(name: TargetName, sandbox: SandboxReady, redis?: BenchRedisDb): Promise<Target>;
  /** Undefined when Redis is not configured; rejects when it is unreachable or has no free database. */
  claimRedisDb?: () => Promise<BenchRedisDb>;
  log(line: string): void;
  now(): number;
}

/** Latency at which call counts and round trips are measured: with some latency, overlap is visible. */
export const PROBE_LATENCY_MS = 40;

/** The intent a bench handoff carries; its confidence is below the 0.70 default, so every one hands off. */
const INTENT = { intent: 'Refund', confidence: 0.42 } as const;

export async function runBench(deps: BenchDeps): Promise<BenchResults> {
  const { plan, log } = deps;
  const started = deps.now();
  const results: BenchResults = {
    machine: machineInfo(),
    quick: plan.quick,
    durationSeconds: 0,
    probeLatencyMs: PROBE_LATENCY_MS,
    botFlowSessions: 0,
    bridgeRequestsPerMinute: plan.bridgeRequestsPerMinute,
    costs: [],
    cold: [],
    rows: [],
    notes: [],
  };

  for (const name of plan.targets) {
    let redis: BenchRedisDb | undefined;
    for (const latencyMs of plan.latenciesMs) {
      if (name === 'bridge+redis') {
        if (results.redisUnavailable) break;
        if (!deps.claimRedisDb) {
          results.redisUnavailable = 'n/a: no Redis configured for the bench';
          break;
        }
        try {
          redis = await deps.claimRedisDb();
        } catch (error) {
          results.redisUnavailable = `n/a: ${(error as Error).message}`;
          break;
        }
      }
      try {
        log(`${name} at ${latencyMs} ms upstream latency`);
        const phase = await runPhase(deps, name, latencyMs, redis);
        results.botFlowSessions = Math.max(results.botFlowSessions, phase.sessions);
        if (redis && (await redis.keyCount()) === 0) {
          results.redisUnavailable = 'n/a: bridge has no Redis state yet (REDIS_URL set, no key written)';
          break;
        }
        results.cold.push(phase.cold);
        results.costs.push(...phase.costs);
        results.rows.push(...phase.rows);
      } finally {
        if (redis) {
          await redis.cleanup();
          await redis.close();
          redis = undefined;
        }
      }
    }
  }
  results.durationSeconds = (deps.now() - started) / 1000;
  return results;
}

interface PhaseResult {
  cold: ColdStart;
  costs: ScenarioCost[];
  rows: LoadRow[];
  sessions: number;
}

/** One target at one upstream latency, on a fresh sandbox and a fresh (cold) target process. */
async function runPhase(deps: BenchDeps, name: TargetName, latencyMs: number, redis: BenchRedisDb | undefined): Promise<PhaseResult> {
  const { plan, log } = deps;
  const sandbox = await deps.startSandbox({
    latencyMs,
    // A new seed per sandbox: fresh conversation and client ids, so nothing a previous run left
    // (in Redis, say) can answer for this one.
    seed: randomInt(1, 2 ** 31 - 1),
    plainConversations: plan.conversationsPerSandbox,
    probeConversations: 2 * plan.probeHandoffs,
  });
  try {
    const pools = await sandbox.pools();
    const plain = [...pools.plain];
    const take = (n: number): string[] => {
      if (plain.length < n) throw new Error(`out of fresh conversations: need ${n}, have ${plain.length}`);
      return plain.splice(0, n);
    };
    const target = await deps.startTarget(name, sandbox.info, redis);
    try {
      // 1. Cold start: the first handoffs the process ever serves, all at once.
      await sandbox.resetCounters();
      const coldRun = await deps.load.run(loadSpec(target, take(plan.coldConcurrency), plan.coldConcurrency, 60));
      await settle(sandbox);
      const coldCounters = await sandbox.counters();
      const cold: ColdStart = {
        target: name,
        latencyMs,
        concurrency: plan.coldConcurrency,
        ok: coldRun.ok,
        failed: failedOf(coldRun),
        tokenRequests: coldCounters.tokenRequests,
        p50Ms: coldRun.latency.p50,
        p99Ms: coldRun.latency.p99,
      };
      log(`  cold start: ${cold.ok}/${cold.concurrency} ok, ${cold.tokenRequests} token requests`);

      // 2. Warm-up, not recorded (JIT, connection pools, the queue cache).
      await deps.load.run(loadSpec(target, take(plan.warmupHandoffs), 50, 20));
      await settle(sandbox);

      // 3. Calls and dependent round trips per scenario, one handoff at a time.
      const costs: ScenarioCost[] = [];
      if (latencyMs === PROBE_LATENCY_MS) {
        const scenarios: { mode: 'flow' | 'api'; source: IntentSource; writeContext?: 'flow' }[] =
          name === 'bridge' && plan.probes === 'all'
            ? [
                ...(['flow', 'api'] as const).flatMap((mode) => (['inputs', 'participantData', 'botFlowAnalytics'] as const).map((source) => ({ mode, source }))),
                // The flow's own Set Participant Data writes the context: the bridge makes no PATCH.
                { mode: 'flow', source: 'inputs', writeContext: 'flow' },
              ]
            : [{ mode: 'flow', source: 'inputs' }];
        const byPool = { participantData: [...pools.participantData], botFlowAnalytics: [...pools.botSession] };
        for (const s of scenarios) {
          const ids = s.source === 'inputs' ? take(plan.probeHandoffs) : byPool[s.source].splice(0, plan.probeHandoffs);
          const bodies = ids.map((conversationId) => {
            const body: Record<string, unknown> = { conversationId };
            if (s.source === 'inputs') Object.assign(body, INTENT);
            if (s.source === 'botFlowAnalytics') body.botFlowId = sandbox.info.botFlowId;
            if (s.mode === 'api') body.mode = 'api';
            if (s.writeContext) body.writeContext = s.writeContext;
            return JSON.stringify(body);
          });
          const cost = await probeScenario(target, sandbox, bodies);
          costs.push({ target: name, mode: s.mode, source: s.source, ...(s.writeContext && { writeContext: s.writeContext }), ...cost });
          log(`  ${s.mode}/${s.source}${s.writeContext ? ` (writeContext: ${s.writeContext})` : ''}: ${cost.apiCallsPerHandoff.toFixed(2)} API calls, ${cost.dependentRoundTrips} dependent round trips`);
        }
      }
      const depth = costs.find((c) => c.mode === 'flow' && c.source === 'inputs' && !c.writeContext)?.dependentRoundTrips;

      // 4. Latency and throughput at each concurrency.
      const rows: LoadRow[] = [];
      for (const concurrency of plan.concurrencies) {
        const single = concurrency === 1;
        const ids = take(single ? plan.singleRowHandoffCap : plan.rowHandoffCap);
        const row = await loadRow(deps, target, sandbox, ids, concurrency, single ? plan.singleRowSeconds : plan.rowSeconds);
        const criticalPathMs = latencyMs === 0 ? 0 : depth === undefined ? Number.NaN : depth * latencyMs;
        rows.push({ target: name, latencyMs, ...row, criticalPathMs });
        log(`  c=${concurrency}: ${row.handoffs} handoffs, p50 ${row.p50Ms.toFixed(1)} ms, p99 ${row.p99Ms.toFixed(1)} ms, ${row.handoffsPerSecond.toFixed(0)}/s`);
      }
      return { cold, costs, rows, sessions: sandbox.info.sessions };
    } finally {
      await target.stop();
    }
  } finally {
    await sandbox.stop();
  }
}

function loadSpec(target: Target, conversationIds: readonly string[], connections: number, maxSeconds: number) {
  return {
    url: target.url,
    path: HANDOFF_PATH,
    headers: { ...target.headers },
    bodies: conversationIds.map((conversationId) => JSON.stringify({ conversationId, ...INTENT })),
    connections,
    maxSeconds,
    timeoutSeconds: 30,
  };
}

function failedOf(run: LoadResult): number {
  return run.non2xx + run.errors;
}

async function probeScenario(
  target: Target,
  sandbox: SandboxProcess,
  bodies: readonly string[],
): Promise<Omit<ScenarioCost, 'target' | 'mode' | 'source'>> {
  await sandbox.resetCounters();
  const depths: number[] = [];
  const statuses: Record<string, number> = {};
  for (const body of bodies) {
    await sandbox.record();
    const res = await fetch(`${target.url}${HANDOFF_PATH}`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body,
    });
    const answer = (await res.json().catch(() => ({}))) as { status?: unknown };
    const status = res.ok && typeof answer.status === 'string' ? answer.status : `http_${res.status}`;
    statuses[status] = (statuses[status] ?? 0) + 1;
    depths.push(dependentRoundTrips(await sandbox.intervals()));
  }
  const counters = await sandbox.counters();
  const n = bodies.length;
  const byRoute: Record<string, number> = {};
  for (const [route, count] of Object.entries(counters.byRoute)) byRoute[route] = count / n;
  depths.sort((a, b) => a - b);
  return {
    handoffs: n,
    apiCallsPerHandoff: (counters.total - counters.tokenRequests) / n,
    tokenRequestsPerHandoff: counters.tokenRequests / n,
    byRoute,
    dependentRoundTrips: depths[Math.floor(depths.length / 2)] ?? Number.NaN,
    statuses,
  };
}

/**
 * Waits until the sandbox has seen no new call for a moment. A load row stopped by its time limit
 * leaves handoffs in flight inside the target; they must not spill CPU and calls into the next row.
 */
async function settle(sandbox: SandboxProcess, quietMs = 200, maxMs = 30_000): Promise<void> {
  const until = performance.now() + maxMs;
  let last = (await sandbox.counters()).total;
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const total = (await sandbox.counters()).total;
    if (total === last) return;
    last = total;
  }
}

async function loadRow(
  deps: BenchDeps,
  target: Target,
  sandbox: SandboxProcess,
  conversationIds: readonly string[],
  concurrency: number,
  maxSeconds: number,
): Promise<Omit<LoadRow, 'target' | 'latencyMs' | 'criticalPathMs'>> {
  await sandbox.resetCounters();
  const ours = async () => {
    const [t, s, l] = await Promise.all([target.usage(), sandbox.usage(), deps.load.usage()]);
    const self = process.cpuUsage();
    return { target: t, sandboxUs: s.cpuUs, allUs: t.cpuUs + s.cpuUs + l.cpuUs + self.user + self.system, host: hostBusyMs(), at: performance.now() };
  };
  const start = await ours();
  const before = start.target;
  let peakRss = before.rssBytes;
  // RSS is sampled while the load runs: its peak is what a container limit has to allow for.
  const sampler = setInterval(() => {
    target.usage().then(
      (u) => (peakRss = Math.max(peakRss, u.rssBytes)),
      () => undefined,
    );
  }, 250);
  let run: LoadResult;
  try {
    run = await deps.load.run(loadSpec(target, conversationIds, concurrency, maxSeconds));
  } finally {
    clearInterval(sampler);
  }
  await settle(sandbox);
  const end = await ours();
  const after = end.target;
  peakRss = Math.max(peakRss, after.rssBytes);
  const counters = await sandbox.counters();
  const completed = Math.max(run.ok, counters.byRoute.patchConversationsMessageParticipantAttributes ?? 0);
  const hostMs = start.host !== undefined && end.host !== undefined ? end.host - start.host : Number.NaN;
  const oursMs = (end.allUs - start.allUs) / 1000;
  const capacityMs = (end.at - start.at) * availableParallelism();
  return {
    concurrency,
    handoffs: run.ok,
    failed: failedOf(run),
    p50Ms: run.latency.p50,
    p99Ms: run.latency.p99,
    handoffsPerSecond: run.okPerSecond,
    // Handoffs still in flight when the row stopped finish during settle() and cost CPU too, but
    // are not in run.ok; the sandbox's count of the last step of each handoff includes them.
    cpuMsPerHandoff: (after.cpuUs - before.cpuUs) / 1000 / completed,
    sandboxCpuMsPerHandoff: (end.sandboxUs - start.sandboxUs) / 1000 / completed,
    othersCpuPercent: Math.max(0, (100 * (hostMs - oursMs)) / capacityMs),
    peakRssMb: peakRss / (1024 * 1024),
    apiCallsPerHandoff: run.ok > 0 ? (counters.total - counters.tokenRequests) / run.ok : Number.NaN,
    tokenRequests: counters.tokenRequests,
  };
}

function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
