import { createSandbox, type Sandbox, type SandboxOptions } from '../src/index.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A tiny client for tests: real HTTP against the sandbox, JSON in and out. */
export interface TestClient {
  token: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

export async function fetchToken(url: string, clientId: string, clientSecret: string): Promise<ApiResponse<{ access_token: string; token_type: string; expires_in: number }>> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

export async function rawCall<T = unknown>(url: string, method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export async function clientFor(sb: Sandbox, clientId = sb.clientId, clientSecret = sb.clientSecret): Promise<TestClient> {
  const t = await fetchToken(sb.url, clientId, clientSecret);
  if (t.status !== 200) throw new Error(`token request failed: ${t.status} ${t.text}`);
  const token = t.body.access_token;
  return {
    token,
    call: (method, path, body, headers) => rawCall(sb.url, method, path, { token, body, ...(headers ? { headers } : {}) }),
  };
}

/** A manual clock for the `now` seam. */
export function manualClock(start = Date.parse('2026-09-01T12:00:00.000Z')): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export async function withSandbox<T>(opts: SandboxOptions, fn: (sb: Sandbox) => Promise<T>): Promise<T> {
  const sb = await createSandbox(opts);
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
