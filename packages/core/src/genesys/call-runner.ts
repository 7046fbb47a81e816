import type { UpstreamCall } from '../contracts/trace.js';
import { BatonError, DeadlineExceededError, type GenesysApiError } from '../errors.js';
import type { CallOptions } from './api.js';
import type { Clock } from '../clock.js';
import { badResponseError, errorFromAnswer, errorFromNetwork, parseErrorBody, type FailedCall, type ResourceRef, type UpstreamAnswer } from './genesys-error.js';
import type { GenesysRequest, GenesysRequestInit, GenesysResponse } from './http.js';
import type { Pacer } from './pacer.js';
import { retrying, type AttemptResult, type RetriedCall, type RetryOutcome, type RetrySettings, type Sender } from './retry.js';
import { ROUTES, type ApiRoute } from './routes.js';
import type { GenesysTarget } from './target.js';
import type { TokenProvider } from './token-provider.js';

/** One Platform API request, as the typed calls describe it. */
export interface ApiRequest {
  route: ApiRoute;
  /** Path (ids already encoded), optionally with a query string: `/api/v2/routing/queues?pageNumber=2`. */
  pathAndQuery: string;
  body?: unknown;
  /** The ids the call names, for a 404 that says which one was not found. */
  resources: readonly ResourceRef[];
  /** False for the calls the SDK types as void: the body is not read. */
  expectBody: boolean;
}

export interface CallRunnerDeps {
  target: GenesysTarget;
  clientId: string;
  /** The seam's Platform API transport (HttpSeam.request). */
  send: GenesysRequest;
  clock: Clock;
  random: () => number;
  tokens: TokenProvider;
  pacer: Pacer;
  retry: RetrySettings;
  defaultCallBudgetMs: number;
  /**
   * How long a write that was already sent may take to answer, even past the deadline. Aborting a
   * sent `replace/queue` at the deadline would leave nobody knowing whether Genesys applied it (the
   * transfer may have happened), so a sent write is let finish and its true outcome is recorded; the
   * bridge has already answered its caller by then.
   */
  writeSettleMs?: number;
  onCall?: (call: UpstreamCall) => void;
  /**
   * Put the JSON body sent and the answer read on each UpstreamCall (`requestBody`, `responseBody`;
   * see captureBody for the size cap). Off by default: message bodies are customer data and the
   * bridge stores traces (memory or Redis). Headers are never recorded.
   */
  captureBodies?: boolean;
}

/** Default CallRunnerDeps.writeSettleMs: how long a sent write may answer past the deadline. */
export const DEFAULT_WRITE_SETTLE_MS = 15_000;

/** Largest body kept whole on an UpstreamCall, in UTF-8 bytes; a longer one keeps its first 4 KB as text. */
export const CAPTURED_BODY_LIMIT = 4096;

export type CallRunner = <T>(request: ApiRequest, options?: CallOptions) => Promise<T>;

/** One call in flight: what its attempts share, and what its errors name (the FailedCall fields). */
interface ApiCall extends FailedCall, RetriedCall {
  readonly request: ApiRequest;
  readonly options: CallOptions;
  readonly started: number;
  /** The JSON body, serialized once for every attempt. */
  readonly bodyText: string | undefined;
}

/** One attempt of a Platform API call. */
interface ApiAttempt extends AttemptResult {
  /** The answer's body as read; undefined when it was not (a 2xx of a call that expects no body). */
  text?: string | undefined;
  /** The access token it was sent with (a 401 makes the driver forget it). */
  token: string;
}

/**
 * Runs one Platform API call to completion: `sendOnce` (deadline, call cap, token, pacing, the
 * request under its timeout) retried by `retrying` (retry.ts: the 401 re-login, the 429 handling,
 * the retry policy), then the outcome turned into the value, or a typed error, and one UpstreamCall.
 *
 * Deadline rule (the same everywhere): when the deadline passes while we wait for something
 * (a token, an answer) the call fails with DeadlineExceededError; when a retry is declined
 * because its wait would pass the deadline, the call fails with the upstream error that made the
 * retry necessary (it explains more: Genesys was unavailable or rate limiting), its message saying
 * it was not retried for the deadline. Pacing past the deadline is RateBudgetExhaustedError.
 */
export function createCallRunner(deps: CallRunnerDeps): CallRunner {
  const { clock } = deps;
  const capture = deps.captureBodies === true;
  const writeSettleMs = deps.writeSettleMs ?? DEFAULT_WRITE_SETTLE_MS;

  async function sendOnce(call: ApiCall, attempt: number, previous: ApiAttempt | undefined): Promise<ApiAttempt> {
    const { options } = call;
    if (clock.now() >= call.deadline) {
      throw new DeadlineExceededError(`The deadline passed before ${call.route} (${call.method} ${call.path}) could be sent.`, {
        details: { route: call.route },
        ...(previous ? { cause: failureError(call, previous) } : {}),
      });
    }
    // Before the token and the pacer: a request over its own cap must not wait for a slot.
    options.budget?.spend(call.route);
    const token = await deps.tokens.getToken(call.deadline, options.signal);
    await deps.pacer.acquire(call.deadline, options.signal);

    const sentAt = clock.now();
    const remainingMs = call.deadline - sentAt;
    const waitMs = call.idempotent ? remainingMs : Math.max(remainingMs, writeSettleMs);
    // Whoever runs this write must stay its only runner until its answer can no longer come.
    if (!call.idempotent && options.beforeWrite) await options.beforeWrite(sentAt + waitMs);
    // What AbortSignal.timeout() does, but on the Clock (tests drive it) and cleared once the answer
    // is read: Node 20's keeps its timer (and the signal) alive for the whole wait, one per call, and
    // costs more to make.
    const timeout = new AbortController();
    const cancelTimer = clock.setTimer(Math.max(1, Math.ceil(waitMs)), () =>
      timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    let init: GenesysRequestInit;
    if (call.bodyText === undefined) {
      init = { method: call.method, headers, signal };
    } else {
      headers['content-type'] = 'application/json';
      init = { method: call.method, headers, body: call.bodyText, signal };
    }
    let response: GenesysResponse | undefined;
    try {
      response = await deps.send(`${deps.target.apiBaseUrl}${call.request.pathAndQuery}`, init);
      let text: string | undefined;
      if (response.ok && !call.request.expectBody) await response.body?.cancel();
      else text = await response.text();
      return { status: response.status, headers: response.headers, text, token, ms: clock.now() - sentAt };
    } catch (error) {
      // What came before the failure, if anything: a status line whose body did not arrive.
      const failed: ApiAttempt = { status: response?.status ?? 0, headers: response?.headers, error, token, ms: clock.now() - sentAt };
      if (options.signal?.aborted) {
        failed.error = options.signal.reason;
        failed.final = true;
      } else if (timeout.signal.aborted) {
        failed.error = new DeadlineExceededError(
          `The deadline passed while waiting for Genesys to answer ${call.route} (${call.method} ${call.path}), attempt ${attempt}.`,
          { details: { route: call.route }, cause: previous ? failureError(call, previous) : error },
        );
        failed.final = true;
      }
      return failed;
    } finally {
      cancelTimer();
    }
  }

  const sender: Sender<ApiCall, ApiAttempt> = {
    settings: deps.retry,
    clock,
    random: deps.random,
    pacer: deps.pacer,
    sendOnce,
    relogin: (result) => deps.tokens.invalidate(result.token),
  };

  /** The call's value, or its error. */
  function valueOf<T>(call: ApiCall, outcome: RetryOutcome<ApiAttempt>): T {
    if (outcome.kind === 'stopped') throw outcome.error;
    if (outcome.kind === 'declined') throw failureError(call, outcome.last, outcome.reason);
    const { last } = outcome;
    if (!call.request.expectBody || last.text === undefined || last.text.trim() === '') return undefined as T;
    try {
      return JSON.parse(last.text) as T;
    } catch (error) {
      throw badResponseError(call, last.status, contextIdOf(last), error);
    }
  }

  function record(call: ApiCall, outcome: RetryOutcome<ApiAttempt>, error?: unknown): void {
    const { answered } = outcome;
    const upstream: UpstreamCall = {
      route: call.route,
      method: call.method,
      path: call.path,
      status: answered?.status ?? 0,
      durationMs: clock.now() - call.started,
      retries: Math.max(0, outcome.attempts - 1),
    };
    const contextId = answered && contextIdOf(answered);
    if (contextId !== undefined) upstream.contextId = contextId;
    if (error !== undefined) upstream.error = error instanceof BatonError ? `${error.code}: ${error.message}` : String(error);
    if (capture) {
      if (call.bodyText !== undefined) upstream.requestBody = captureBody(call.bodyText);
      if (answered?.text !== undefined && answered.text !== '') upstream.responseBody = captureBody(answered.text);
    }
    notify(call.options.onCall, upstream);
    notify(deps.onCall, upstream);
  }

  return async function run<T>(request: ApiRequest, options: CallOptions = {}): Promise<T> {
    const spec = ROUTES[request.route];
    const started = clock.now();
    const query = request.pathAndQuery.indexOf('?');
    const call: ApiCall = {
      route: request.route,
      method: spec.method,
      path: query < 0 ? request.pathAndQuery : request.pathAndQuery.slice(0, query),
      resources: request.resources,
      target: deps.target,
      clientId: deps.clientId,
      deadline: options.deadline ?? started + deps.defaultCallBudgetMs,
      idempotent: spec.idempotent,
      signal: options.signal,
      request,
      options,
      started,
      bodyText: request.body !== undefined ? JSON.stringify(request.body) : undefined,
    };
    const outcome = await retrying(sender, call);
    let value: T;
    try {
      value = valueOf<T>(call, outcome);
    } catch (error) {
      record(call, outcome, error);
      throw error;
    }
    record(call, outcome);
    return value;
  };
}

/** The typed error of a failed attempt; `note` says why it was not retried. */
function failureError(call: ApiCall, attempt: ApiAttempt, note?: string): GenesysApiError {
  if (attempt.error !== undefined) return errorFromNetwork(call, attempt.error, note || undefined);
  const body = parseErrorBody(attempt.text ?? '');
  const contextId = contextIdOf(attempt);
  const answer: UpstreamAnswer = { status: attempt.status };
  if (body) answer.body = body;
  if (contextId !== undefined) answer.contextId = contextId;
  if (attempt.retryAfterSeconds !== undefined) answer.retryAfterSeconds = attempt.retryAfterSeconds;
  return errorFromAnswer(call, answer, note || undefined);
}

function contextIdOf(attempt: ApiAttempt): string | undefined {
  return attempt.headers?.get('inin-correlation-id') ?? undefined;
}

function notify(hook: ((call: UpstreamCall) => void) | undefined, call: UpstreamCall): void {
  try {
    hook?.(call);
  } catch {
    // Trace and metrics hooks must not change the outcome of a call.
  }
}

/**
 * A body as an UpstreamCall keeps it: parsed JSON (or the text, when it is not JSON) up to
 * CAPTURED_BODY_LIMIT bytes; beyond, the first CAPTURED_BODY_LIMIT bytes as text ending in
 * `…[truncated N bytes]`, N the bytes left out.
 */
export function captureBody(text: string): unknown {
  // At most 3 UTF-8 bytes per UTF-16 unit: short texts skip the byte count (their length stands in for it).
  const bytes = text.length * 3 <= CAPTURED_BODY_LIMIT ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes <= CAPTURED_BODY_LIMIT) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  // A cut inside a multi-byte character decodes to U+FFFD: drop it.
  const head = Buffer.from(text, 'utf8').subarray(0, CAPTURED_BODY_LIMIT).toString('utf8').replace(/\uFFFD+$/, '');
  return `${head}…[truncated ${bytes - CAPTURED_BODY_LIMIT} bytes]`;
}
