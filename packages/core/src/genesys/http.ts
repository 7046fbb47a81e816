import { Agent, fetch as undiciFetch } from 'undici';

/**
 * The one fetch seam for all Genesys traffic: Platform API calls and openid-client's token
 * requests (through its `customFetch` symbol) alike. Tests inject their own through the same
 * option. The global `fetch` fits this type.
 */
export type GenesysFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpSeam {
  readonly fetch: GenesysFetch;
  /** Closes the keep-alive pool, if this seam created one. */
  close(): Promise<void>;
}

export interface HttpSeamOptions {
  /** A fetch to use instead of the built-in pooled one (tests, proxies). Not closed by `close()`. */
  fetch?: GenesysFetch;
  /** Maximum sockets per origin in the keep-alive pool. */
  connections?: number;
  keepAliveTimeoutMs?: number;
}

/**
 * Creates the seam. By default an undici keep-alive Agent: a handoff makes several calls to the
 * same API host within a second, and TLS setup to Genesys would otherwise dominate each of them.
 */
export function createHttpSeam(options: HttpSeamOptions = {}): HttpSeam {
  if (options.fetch) {
    const injected = options.fetch;
    return { fetch: (url, init) => injected(url, init), close: async () => {} };
  }
  const agent = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
  });
  const pooled: GenesysFetch = (url, init) =>
    // undici's own RequestInit/Response types are structurally the global ones, but declared
    // separately (the package vs. Node's bundled copy); the runtime objects are interchangeable.
    undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent }) as unknown as Promise<Response>;
  let closed = false;
  return {
    fetch: pooled,
    async close() {
      if (closed) return;
      closed = true;
      await agent.close();
    },
  };
}
