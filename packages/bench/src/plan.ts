import type { TargetName } from './results.js';

/** How much the bench does: the full run (`pnpm bench`, < 5 minutes on 2 cores) or `--quick` for development. */
export interface BenchPlan {
  quick: boolean;
  /** Set by `--only`: one load row (concurrency × latency) for the bridge and the floor, for A/B runs. */
  only?: BenchFocus;
  /** The targets measured, in this order. */
  targets: readonly TargetName[];
  /** Every scenario of the call-count table, or only flow mode with intent from inputs (its depth gives the critical path). */
  probes: 'all' | 'flow-inputs';
  /** Fresh bot-held conversations seeded into each sandbox (one sandbox per target and latency). */
  conversationsPerSandbox: number;
  /** Handoffs per scenario when counting calls and round trips (one at a time). */
  probeHandoffs: number;
  /** Concurrent handoffs on a cold start (the token single-flight test). */
  coldConcurrency: number;
  warmupHandoffs: number;
  latenciesMs: readonly number[];
  concurrencies: readonly number[];
  /** Time limit of each load row; concurrency 1 gets longer, it collects samples slowly at 40 ms. */
  rowSeconds: number;
  singleRowSeconds: number;
  /** Conversations a load row may use at most (the row ends at whichever limit comes first). */
  rowHandoffCap: number;
  singleRowHandoffCap: number;
  /** GENESYS_REQUESTS_PER_MINUTE for the bridge: raised so the pacer never throttles the load rows. */
  bridgeRequestsPerMinute: number;
}

/** One load row: `--only c50-40ms` is 50 concurrent handoffs at 40 ms per Genesys call. */
export interface BenchFocus {
  concurrency: number;
  latencyMs: number;
}

const ALL_TARGETS: readonly TargetName[] = ['bridge', 'floor', 'baseline', 'bridge+redis'];

/** Reads `--only`'s value, e.g. `c50-40ms`; throws with the expected form otherwise. */
export function parseFocus(text: string): BenchFocus {
  const match = /^c(\d+)-(\d+)ms$/.exec(text.trim());
  const concurrency = Number(match?.[1]);
  const latencyMs = Number(match?.[2]);
  if (!match || concurrency < 1) throw new Error(`--only ${JSON.stringify(text)}: expected c<concurrency>-<latency>ms, e.g. c50-40ms`);
  return { concurrency, latencyMs };
}

export function benchPlan(quick: boolean, only?: BenchFocus): BenchPlan {
  if (only) {
    // A focused A/B row: the bridge beside the floor only, one sandbox each, a small cold start
    // (its table still gets a row) and the one probe the critical path needs. About 30 s a run.
    const single = only.concurrency === 1;
    return {
      quick,
      only,
      targets: ['bridge', 'floor'],
      probes: 'flow-inputs',
      conversationsPerSandbox: 3_700,
      probeHandoffs: 5,
      coldConcurrency: 50,
      warmupHandoffs: 300,
      latenciesMs: [only.latencyMs],
      concurrencies: [only.concurrency],
      rowSeconds: 6,
      singleRowSeconds: 8,
      rowHandoffCap: single ? 1000 : 3000,
      singleRowHandoffCap: 1000,
      bridgeRequestsPerMinute: 100_000,
    };
  }
  return quick
    ? {
        quick,
        targets: ALL_TARGETS,
        probes: 'all',
        conversationsPerSandbox: 2500,
        probeHandoffs: 3,
        coldConcurrency: 200,
        warmupHandoffs: 100,
        latenciesMs: [0, 40],
        concurrencies: [1, 50, 200],
        rowSeconds: 1.5,
        singleRowSeconds: 2,
        rowHandoffCap: 900,
        singleRowHandoffCap: 200,
        bridgeRequestsPerMinute: 100_000,
      }
    : {
        quick,
        targets: ALL_TARGETS,
        probes: 'all',
        // cold start + warm-up + the flow's probes + the c=1 row + two capped rows, with some spare.
        conversationsPerSandbox: 8_500,
        // Call counts and dependent trips are the same for every handoff of a scenario; 5 show that,
        // and the probes run one at a time (at 40 ms, about half a minute per bridge at 10).
        probeHandoffs: 5,
        coldConcurrency: 1000,
        warmupHandoffs: 200,
        latenciesMs: [0, 40],
        concurrencies: [1, 50, 200],
        // Trimmed so the whole run, build included, stays well under 5 minutes on 2 busy cores;
        // 4 s at 50 or 200 concurrent still gives 1,000+ answers per row at 40 ms.
        rowSeconds: 4,
        singleRowSeconds: 6,
        rowHandoffCap: 3000,
        singleRowHandoffCap: 1000,
        bridgeRequestsPerMinute: 100_000,
      };
}
