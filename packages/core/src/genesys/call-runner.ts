import type { UpstreamCall } from '../contracts/trace.js';
import { BatonError, DeadlineExceededError, causeChain, type GenesysApiError } from '../errors.js';
import type { CallOptions } from './api.js';
import type { Clock } from '../clock.js';
import { badResponseError, errorFromAnswer, errorFromNetwork, parseErrorBody, type FailedCall, type ResourceRef } from './genesys-error.js';
import type { GenesysRequest, GenesysResponse } from './http.js';
import type { Pacer } from './pacer.js';
import { decideRetry, parseRetryAfter, type AttemptFailure, type RetrySettings } from './retry-policy.js';
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

/**
 * Runs one Platform API call to completion: token, pacing, the request under the deadline,
 * one re-login after a 401, retries by the retry policy, and Genesys errors turned into typed ones.
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

  return async function run<T>(request: ApiRequest, options: CallOptions = {}): Promise<T> {
    const spec = ROUTES[request.route];
    const started = clock.now();
    const deadline = options.deadline ?? started + deps.defaultCallBudgetMs;
    const path = request.pathAndQuery.split('?')[0] ?? request.pathAndQuery;
    const failed: FailedCall = {
      route: request.route,
      method: spec.method,
      path,
      resources: request.resources,
      target: deps.target,
      clientId: deps.clientId,
    };
    let attempt = 0;
    let reauthenticated = false;
    let lastStatus = 0;
    let contextId: string | undefined;
    let lastError: GenesysApiError | undefined;
    // Serialized once, not per attempt.
    const bodyText = request.body !== undefined ? JSON.stringify(request.body) : undefined;
    // With capture on: the last answer read (it goes with lastStatus). Unread answers (void calls) stay undefined.
    let answerText: string | undefined;

    const record = (error?: unknown) => {
      const call: UpstreamCall = {
        route: request.route,
        method: spec.method,
        path,
        status: lastStatus,
        durationMs: clock.now() - started,
        retries: Math.max(0, attempt - 1),
      };
      if (contextId !== undefined) call.contextId = contextId;
      if (error !== undefined) call.error = error instanceof BatonError ? `${error.code}: ${error.message}` : String(error);
      if (capture) {
        if (bodyText !== undefined) call.requestBody = captureBody(bodyText);
        if (answerText !== undefined && answerText !== '') call.responseBody = captureBody(answerText);
      }
      for (const hook of [options.onCall, deps.onCall]) {
        try {
          hook?.(call);
        } catch {
          // Trace and metrics hooks must not change the outcome of a call.
        }
      }
    };

    const attemptUntilDone = async (): Promise<T> => {
      for (;;) {
        if (clock.now() >= deadline) {
          throw new DeadlineExceededError(`The deadline passed before ${request.route} (${spec.method} ${path}) could be sent.`, {
            details: { route: request.route },
            ...(lastError ? { cause: lastError } : {}),
          });
        }
        // Before the token and the pacer: a request over its own cap must not wait for a slot.
        options.budget?.spend(request.route);
        const token = await deps.tokens.getToken(deadline, options.signal);
        await deps.pacer.acquire(deadline, options.signal);
        attempt += 1;

        let response: GenesysResponse;
        let text: string;
        const remainingMs = deadline - clock.now();
        const waitMs = spec.idempotent ? remainingMs : Math.max(remainingMs, deps.writeSettleMs ?? DEFAULT_WRITE_SETTLE_MS);
        // Whoever runs this write must stay its only runner until its answer can no longer come.
        if (!spec.idempotent && options.beforeWrite) await options.beforeWrite(clock.now() + waitMs);
        // What AbortSignal.timeout() does, but cleared once the answer is read: Node 20's keeps
        // its timer (and the signal) alive for the whole wait, one per call, and costs more to make.
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), Math.max(1, Math.ceil(waitMs)));
        timer.unref();
        const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
        try {
          const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
          if (bodyText !== undefined) headers['content-type'] = 'application/json';
          response = await deps.send(`${deps.target.apiBaseUrl}${request.pathAndQuery}`, {
            method: spec.method,
            headers,
            ...(bodyText !== undefined ? { body: bodyText } : {}),
            signal,
          });
          lastStatus = response.status;
          contextId = response.headers.get('inin-correlation-id') ?? contextId;
          if (response.ok && !request.expectBody) {
            await response.body?.cancel();
            text = '';
            if (capture) answerText = undefined; // not an earlier attempt's answer
          } else {
            text = await response.text();
            if (capture) answerText = text;
          }
        } catch (error) {
          if (options.signal?.aborted) throw options.signal.reason;
          if (timeout.signal.aborted) {
            throw new DeadlineExceededError(
              `The deadline passed while waiting for Genesys to answer ${request.route} (${spec.method} ${path}), attempt ${attempt}.`,
              { details: { route: request.route }, cause: lastError ?? error },
            );
          }
          const failure: AttemptFailure = { kind: 'network', sent: !neverSent(error) };
          lastError = errorFromNetwork(failed, error);
          const decision = decideRetry(deps.retry, {
            attempt,
            idempotent: spec.idempotent,
            failure,
            remainingMs: deadline - clock.now(),
            random: deps.random,
          });
          if (!decision.retry) throw errorFromNetwork(failed, error, decision.reason);
          await clock.sleep(decision.delayMs, options.signal);
          continue;
        } finally {
          clearTimeout(timer);
        }

        if (response.ok) {
          if (!request.expectBody || text.trim() === '') return undefined as T;
          try {
            return JSON.parse(text) as T;
          } catch (error) {
            throw badResponseError(failed, response.status, contextId, error);
          }
        }

        if (response.status === 401 && !reauthenticated) {
          // The token may have been revoked or expired early (HIPAA idle timeout): log in once more
          // and repeat. Genesys did not process a request it refused, so this is safe for every call.
          reauthenticated = true;
          await deps.tokens.invalidate(token);
          continue;
        }

        const retryAfterSeconds = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), clock.now()) : undefined;
        // The pacer caps the hold (maxHoldMs): one answer must not stop every call for as long as it says.
        if (retryAfterSeconds !== undefined) deps.pacer.holdUntil(clock.now() + retryAfterSeconds * 1000);
        const errorBody = parseErrorBody(text);
        const answer = {
          status: response.status,
          ...(errorBody ? { body: errorBody } : {}),
          ...(contextId !== undefined ? { contextId } : {}),
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        };
        lastError = errorFromAnswer(failed, answer);
        const decision = decideRetry(deps.retry, {
          attempt,
          idempotent: spec.idempotent,
          failure: { kind: 'status', status: response.status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
          remainingMs: deadline - clock.now(),
          random: deps.random,
        });
        if (!decision.retry) throw errorFromAnswer(failed, answer, decision.reason || undefined);
        await clock.sleep(decision.delayMs, options.signal);
      }
    };

    try {
      const result = await attemptUntilDone();
      record();
      return result;
    } catch (error) {
      record(error);
      throw error;
    }
  };
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

/** Connection refused or connect timeout: the request never reached Genesys, so any call may be repeated. */
function neverSent(error: unknown): boolean {
  return [...causeChain(error)].some((e) => {
    const code = (e as { code?: unknown }).code;
    return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT';
  });
}
