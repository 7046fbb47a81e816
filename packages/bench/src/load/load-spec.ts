import type { LatencySummary } from '../stats.js';

/** One closed-loop load run: `connections` clients, each sending the next body as soon as its last answer came. */
export interface LoadSpec {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** One JSON body per request, each for a fresh conversation; the run ends when they are used up… */
  bodies: string[];
  connections: number;
  /** …or after this long, whichever comes first. */
  maxSeconds: number;
  /** Per-request timeout. */
  timeoutSeconds: number;
}

export interface LoadResult {
  /** Answers received (any status). */
  responses: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  elapsedMs: number;
  /** Latency of the 2xx answers, ms. */
  latency: LatencySummary;
  /** 2xx answers per second over the run. */
  okPerSecond: number;
}
