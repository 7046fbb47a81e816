export interface RequestCountersSnapshot {
  /** Every request that reached a route (API or token), including ones answered by a fault. */
  total: number;
  /** Requests to `POST /oauth/token`. */
  tokenRequests: number;
  byRoute: Record<string, number>;
  /** Keyed by a short, non-secret token fingerprint, never the token. */
  byToken: Record<string, number>;
  byClient: Record<string, number>;
  /** Keyed by the final HTTP status, or `reset` for a destroyed connection. */
  byStatus: Record<string, number>;
}

export interface RequestCounters {
  snapshot(): RequestCountersSnapshot;
  reset(): void;
}

export interface CounterSink extends RequestCounters {
  countRoute(route: string): void;
  countToken(fingerprint: string): void;
  countClient(clientId: string): void;
  countStatus(status: number | 'reset'): void;
}

export function createRequestCounters(): CounterSink {
  let state = empty();
  const bump = (table: Record<string, number>, key: string): void => {
    table[key] = (table[key] ?? 0) + 1;
  };
  return {
    snapshot() {
      return structuredClone(state);
    },
    reset() {
      state = empty();
    },
    countRoute(route) {
      state.total += 1;
      if (route === 'postToken') state.tokenRequests += 1;
      bump(state.byRoute, route);
    },
    countToken(fingerprint) {
      bump(state.byToken, fingerprint);
    },
    countClient(clientId) {
      bump(state.byClient, clientId);
    },
    countStatus(status) {
      bump(state.byStatus, String(status));
    },
  };
}

function empty(): RequestCountersSnapshot {
  return { total: 0, tokenRequests: 0, byRoute: {}, byToken: {}, byClient: {}, byStatus: {} };
}
