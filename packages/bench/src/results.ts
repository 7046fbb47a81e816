/** Everything one bench run measured; the table and the JSON output are rendered from this. */

export type TargetName = 'bridge' | 'bridge+redis' | 'baseline' | 'floor';
export type IntentSource = 'inputs' | 'participantData' | 'botFlowAnalytics';

/** One scenario's cost, from handoffs run one at a time against the sandbox at the probe latency. */
export interface ScenarioCost {
  target: TargetName;
  mode: 'flow' | 'api';
  source: IntentSource;
  /** Set for the row where the flow writes the agent's context itself (no PATCH by the bridge). */
  writeContext?: 'flow';
  handoffs: number;
  /** Platform API calls per handoff (sandbox counters, postToken excluded). */
  apiCallsPerHandoff: number;
  /** Token requests per handoff (warm process). */
  tokenRequestsPerHandoff: number;
  /** Average calls per handoff by sandbox route (postToken included). */
  byRoute: Record<string, number>;
  /** Upstream round trips that waited on each other (median over the handoffs). */
  dependentRoundTrips: number;
  /** What the handoffs answered, e.g. { ready_for_transfer: 10 }. */
  statuses: Record<string, number>;
}

export interface ColdStart {
  target: TargetName;
  latencyMs: number;
  concurrency: number;
  ok: number;
  failed: number;
  tokenRequests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadRow {
  target: TargetName;
  latencyMs: number;
  concurrency: number;
  handoffs: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Dependent round trips × latency: the fastest any handoff could be. */
  criticalPathMs: number;
  handoffsPerSecond: number;
  /** The target process's own CPU (process.cpuUsage) per successful handoff. */
  cpuMsPerHandoff: number;
  peakRssMb: number;
  /** The sandbox process's CPU per handoff: the simulated Genesys side, on the same cores. */
  sandboxCpuMsPerHandoff: number;
  /** Share of the machine (all cores) used by processes outside the bench during the row, %. */
  othersCpuPercent: number;
  apiCallsPerHandoff: number;
  tokenRequests: number;
}

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface BenchResults {
  machine: MachineInfo;
  quick: boolean;
  durationSeconds: number;
  probeLatencyMs: number;
  botFlowSessions: number;
  bridgeRequestsPerMinute: number;
  costs: ScenarioCost[];
  cold: ColdStart[];
  rows: LoadRow[];
  /** Why the Redis rows are missing, when they are. */
  redisUnavailable?: string;
  notes: string[];
}
