import { Agent, fetch as undiciFetch, interceptors, request as undiciRequest, type Dispatcher } from 'undici';

/**
 * The one fetch seam for all Genesys traffic: Platform API calls and openid-client's token
 * requests (through its `customFetch` symbol) alike. Tests inject their own through the same
 * option. The global `fetch` fits this type.
 */
export type GenesysFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * What a Platform API call reads of an answer: the part of the fetch `Response` the call runner
 * uses, so an injected fetch's Response serves as is.
 */
export interface GenesysResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** `cancel()` releases an answer whose body is not read. */
  readonly body: { cancel(): Promise<void> } | null;
}

export interface GenesysRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** How the call runner sends a Platform API request: the seam's fetch, or its cheaper pooled equivalent. */
export type GenesysRequest = (url: string, init: GenesysRequestInit) => Promise<GenesysResponse>;

export interface HttpSeam {
  /** For openid-client's token requests, which need a real `Response`. */
  readonly fetch: GenesysFetch;
  /** For Platform API calls. With an injected fetch, that fetch; otherwise the same pool as `fetch`. */
  readonly request: GenesysRequest;
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

/** fetch follows up to 20 redirects; the pooled API requests do the same (none are expected from Genesys). */
const MAX_REDIRECTIONS = 20;

/**
 * Creates the seam. By default an undici keep-alive Agent: a handoff makes several calls to the
 * same API host within a second, and TLS setup to Genesys would otherwise dominate each of them.
 */
export function createHttpSeam(options: HttpSeamOptions = {}): HttpSeam {
  if (options.fetch) {
    const injected = options.fetch;
    return { fetch: (url, init) => injected(url, init), request: (url, init) => injected(url, init), close: async () => {} };
  }
  const agent = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
  });
  const pooled: GenesysFetch = (url, init) =>
    // undici's own RequestInit/Response types are structurally the global ones, but declared
    // separately (the package vs. Node's bundled copy); the runtime objects are interchangeable.
    undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent }) as unknown as Promise<Response>;
  // Platform API calls skip the WHATWG fetch layer (Request/Response objects, web streams, a
  // request clone per call): it cost about 0.25 ms of CPU per call more than undici's dispatcher
  // API on the same pool, a fifth of the bridge's CPU per handoff (BENCHMARKS.md). Same sockets,
  // same redirect rule (authorization dropped across origins, as fetch does); the answer is read
  // whole, as the call runner always did.
  const redirecting = agent.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
  const request: GenesysRequest = async (url, init) => {
    const answer = await undiciRequest(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: {
        ...init.headers,
        // fetch asked for gzip/deflate/br and decoded it; these bodies are read whole and small, so
        // ask for them plain (decoding is CPU, and undici's decoder for this API is experimental).
        'accept-encoding': 'identity',
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: init.signal,
      dispatcher: redirecting,
    });
    return pooledResponse(answer);
  };
  let closed = false;
  return {
    fetch: pooled,
    request,
    async close() {
      if (closed) return;
      closed = true;
      await agent.close();
    },
  };
}

function pooledResponse(answer: Dispatcher.ResponseData): GenesysResponse {
  const { statusCode, headers, body } = answer;
  return {
    status: statusCode,
    ok: statusCode >= 200 && statusCode <= 299,
    headers: {
      // As Headers.get: case-insensitive, repeated values joined with ", ", null when absent.
      get(name) {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    // UTF-8 with a leading BOM skipped, as Response.text() decodes.
    text: () => body.text(),
    body: {
      // Reads the rest and drops it, so the socket goes back to the pool.
      cancel: async () => {
        await body.dump();
      },
    },
  };
}
