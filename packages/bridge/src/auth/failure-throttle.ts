import { isIPv4 } from 'node:net';

export interface FailureThrottleOptions {
  /** Failures a source may make per window before it is throttled; 0 = never throttle. */
  maxFailures: number;
  windowMs: number;
  /** Epoch ms (the app's clock). */
  now: () => number;
  /** Sources remembered at once; the oldest are forgotten first. Default 10000. */
  maxSources?: number;
}

export type FailureVerdict =
  /** Answer 401 as usual. */
  | { throttled: false }
  /** Answer 429 with Retry-After. `started` is true for the failure that crossed the limit (log it once). */
  | { throttled: true; retryAfterSeconds: number; started: boolean };

/** What the app does with one failed authentication (count, throttle, log): the verdict says how to answer. */
export type AuthFailureHandler = (source: string) => FailureVerdict;

export interface FailureThrottle {
  /** Records one failed authentication from `source` (an address) and says how to answer it. */
  recordFailure(source: string): FailureVerdict;
}

/**
 * Counts failed authentications per source address in fixed windows; past `maxFailures` in a
 * window, further failures from that source are answered 429 until the window ends.
 *
 * Only failures are throttled: a request with correct credentials is always let in, whatever its
 * source did before. Genesys sends every org's data actions from one shared set of egress
 * addresses per region (docs/genesys-facts.md#headers-genesys-sends), so anyone with a Genesys org
 * could otherwise lock our own integration out by pointing a data action at the bridge with wrong
 * credentials. What stops guessing is the
 * secrets' strength (config.ts refuses weak ones); this keeps a guesser's rate visible (metric,
 * log) and cheap to answer.
 *
 * Per process: with N replicas a source gets up to N × maxFailures per window.
 */
export function createFailureThrottle(options: FailureThrottleOptions): FailureThrottle {
  const maxSources = options.maxSources ?? 10_000;
  const sources = new Map<string, { windowStart: number; failures: number }>();

  const forgetExpired = (now: number) => {
    for (const [key, entry] of sources) if (now - entry.windowStart >= options.windowMs) sources.delete(key);
  };

  return {
    recordFailure(source) {
      if (options.maxFailures <= 0) return { throttled: false };
      const now = options.now();
      const key = sourceKey(source);
      let entry = sources.get(key);
      if (entry && now - entry.windowStart >= options.windowMs) {
        sources.delete(key);
        entry = undefined;
      }
      if (!entry) {
        if (sources.size >= maxSources) forgetExpired(now);
        // Still full: forget the oldest window (Map keeps insertion order), never grow without bound.
        if (sources.size >= maxSources) sources.delete(sources.keys().next().value!);
        entry = { windowStart: now, failures: 0 };
        sources.set(key, entry);
      }
      entry.failures += 1;
      if (entry.failures <= options.maxFailures) return { throttled: false };
      const retryAfterSeconds = Math.max(1, Math.ceil((entry.windowStart + options.windowMs - now) / 1000));
      return { throttled: true, retryAfterSeconds, started: entry.failures === options.maxFailures + 1 };
    },
  };
}

/**
 * The unit a source is counted by: an IPv4 address as is, an IPv6 address by its /64 (one host
 * usually holds a whole /64, so counting single addresses would let it rotate through them).
 */
export function sourceKey(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIPv4(plain) || !plain.includes(':')) return plain;
  const [head = '', tail] = plain.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
