/** Nearest-rank percentile of ascending `sorted` values (p in 0..100); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

/**
 * The longest chain of intervals each starting after the previous one ended: how many upstream
 * round trips of one handoff had to wait for each other (calls in parallel overlap, so they add
 * one link, not two). `slackMs` tolerates timer jitter at the joints.
 */
export function dependentRoundTrips(intervals: readonly (readonly [number, number])[], slackMs = 1): number {
  const byStart = [...intervals].sort((a, b) => a[0] - b[0]);
  const chain: number[] = [];
  let longest = 0;
  for (let i = 0; i < byStart.length; i += 1) {
    const [start] = byStart[i] as readonly [number, number];
    let best = 0;
    for (let j = 0; j < i; j += 1) {
      const [, end] = byStart[j] as readonly [number, number];
      if (end <= start + slackMs) best = Math.max(best, chain[j] as number);
    }
    chain.push(best + 1);
    longest = Math.max(longest, best + 1);
  }
  return longest;
}
