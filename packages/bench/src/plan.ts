/** How much the bench does: the full run (`pnpm bench`, < 5 minutes on 2 cores) or `--quick` for development. */
export interface BenchPlan {
  quick: boolean;
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

export function benchPlan(quick: boolean): BenchPlan {
  return quick
    ? {
        quick,
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
