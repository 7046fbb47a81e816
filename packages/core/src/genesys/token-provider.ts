import * as oidc from 'openid-client';
import type { UpstreamCall } from '../contracts/trace.js';
import { DeadlineExceededError, GenesysApiError } from '../errors.js';
import { redactText } from '../redact.js';
import type { TokenStore } from '../state/token-store.js';
import type { Clock } from '../clock.js';
import { networkReason } from './genesys-error.js';
import type { GenesysFetch } from './http.js';
import { retrying, type AttemptResult, type RetriedCall, type RetrySettings, type Sender } from './retry.js';
import { describeTarget, type GenesysTarget } from './target.js';

/** Hands out the client-credentials access token, logging in only when the cached one is stale. */
export interface TokenProvider {
  /** A usable access token, from the store or a fresh login; waits no longer than `deadline`. */
  getToken(deadline: number, signal?: AbortSignal): Promise<string>;
  /** After a 401: drop `accessToken` (if still current) so the next getToken logs in again. */
  invalidate(accessToken: string): Promise<void>;
}

export interface TokenProviderOptions {
  target: GenesysTarget;
  clientId: string;
  clientSecret: string;
  fetch: GenesysFetch;
  clock: Clock;
  random: () => number;
  store: TokenStore;
  retry: RetrySettings;
  /** Refresh this long before `expires_in` runs out. Default 60 s, as the Go SDK does. */
  refreshMarginMs?: number;
  /** Budget of one login, its retries included. Default 15 s. Shared by every caller waiting on it. */
  loginBudgetMs?: number;
  onCall?: (call: UpstreamCall) => void;
}

const TOKEN_PATH = '/oauth/token';

/** One token request openid-client makes. */
interface TokenRequest extends RetriedCall {
  url: string;
  init: oidc.CustomFetchOptions;
}

/** One attempt of it: openid-client reads the answer itself. */
interface TokenAttempt extends AttemptResult {
  response?: Response;
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { target, clientId, clientSecret, clock, store } = options;
  const marginMs = options.refreshMarginMs ?? 60_000;
  const loginBudgetMs = options.loginBudgetMs ?? 15_000;

  // Genesys publishes no discovery document (docs/genesys-facts.md#openid-discovery: treated as absent, UNCONFIRMED), so
  // the server metadata is written by hand. Client auth is HTTP Basic, as every Genesys SDK does;
  // openid-client's default (client_secret_post) is not known to be accepted.
  const config = new oidc.Configuration(
    { issuer: target.loginBaseUrl, token_endpoint: `${target.loginBaseUrl}${TOKEN_PATH}` },
    clientId,
    undefined,
    genesysClientSecretBasic(clientSecret),
  );
  config[oidc.customFetch] = (url, init) => tokenFetch(url, init);
  config.timeout = Math.ceil(loginBudgetMs / 1000);
  // Plain http only for an explicit base URL (the sandbox on loopback); region targets are https.
  if (target.region === undefined && target.loginBaseUrl.startsWith('http:')) oidc.allowInsecureRequests(config);

  const where = describeTarget(target);

  /** Token requests for the retry driver: a token grant is safe to repeat, so retried like an idempotent call. */
  const tokenRequests: Sender<TokenRequest, TokenAttempt> = {
    settings: options.retry,
    clock,
    random: options.random,
    async sendOnce(request) {
      const sentAt = clock.now();
      try {
        const response = await options.fetch(request.url, request.init as RequestInit);
        return { status: response.status, headers: response.headers, response, ms: clock.now() - sentAt };
      } catch (error) {
        // Aborted (openid-client's timeout, the login budget): not retried.
        return { status: 0, error, final: request.signal?.aborted === true, ms: clock.now() - sentAt };
      }
    },
    async discard(attempt) {
      await attempt.response?.body?.cancel().catch(() => {});
    },
  };

  /** openid-client's token request, through the shared fetch seam and the retry driver; openid-client reads the answer. */
  async function tokenFetch(url: string, init: oidc.CustomFetchOptions): Promise<Response> {
    const started = clock.now();
    const outcome = await retrying(tokenRequests, { url, init, deadline: started + loginBudgetMs, idempotent: true, signal: init.signal });
    const response = outcome.last?.response;
    const contextId = response?.headers.get('inin-correlation-id');
    report({
      route: 'postToken',
      method: 'POST',
      path: TOKEN_PATH,
      status: response?.status ?? 0,
      durationMs: clock.now() - started,
      retries: Math.max(0, outcome.attempts - 1),
      ...(contextId ? { contextId } : {}),
      ...(response?.ok ? {} : { error: response ? `HTTP ${response.status}` : 'no answer' }),
    });
    if (outcome.kind === 'stopped') throw outcome.error;
    // A failure not retried is openid-client's to read (it turns 4xx into its errors), or the network error.
    if (response) return response;
    throw outcome.last.error;
  }

  function report(call: UpstreamCall) {
    try {
      options.onCall?.(call);
    } catch {
      // A metrics hook must not break logins.
    }
  }

  async function login(): Promise<{ accessToken: string; expiresAt: number }> {
    let grant: Awaited<ReturnType<typeof oidc.clientCredentialsGrant>>;
    try {
      grant = await oidc.clientCredentialsGrant(config);
    } catch (error) {
      throw await loginError(error);
    }
    const lifetimeMs = (grant.expires_in ?? 300) * 1000;
    // Refresh a margin before expiry (Go SDK: expires_in - 60 s); for very short lifetimes, halfway.
    const usableMs = Math.max(lifetimeMs - marginMs, lifetimeMs / 2);
    return { accessToken: grant.access_token, expiresAt: clock.now() + usableMs };
  }

  async function loginError(error: unknown): Promise<GenesysApiError> {
    let status = 0;
    let reason: string;
    if (error instanceof oidc.ResponseBodyError) {
      status = error.status;
      reason = `${error.status} ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
    } else if (error instanceof oidc.WWWAuthenticateChallengeError) {
      // A 401 with WWW-Authenticate: openid-client stops before reading the OAuth error body.
      status = error.status;
      reason = `${error.status} ${await oauthErrorText(error.response)}`;
    } else if (error instanceof oidc.ClientError && error.cause instanceof Object && 'status' in error.cause) {
      status = Number((error.cause as { status: unknown }).status);
      reason = `${status} (unexpected answer from the token endpoint)`;
    } else if (error instanceof oidc.ClientError) {
      reason = `unexpected token response (${error.code ?? error.message})`;
    } else if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      reason = `no answer within ${loginBudgetMs / 1000} s`;
    } else {
      reason = `could not reach the login host (${networkReason(error)})`;
    }
    const hint =
      status === 400 || status === 401
        ? ' Check the client id and secret, and that the OAuth client (client credentials grant) belongs to an org in this region.'
        : '';
    // Genesys does not echo the secret, but nothing we did not write ourselves goes out unchecked.
    const message = redactText(`Genesys login failed for OAuth client "${clientId}" in ${where}: ${reason}.${hint}`, { secrets: [clientSecret] });
    return new GenesysApiError(
      'genesys_login_failed',
      message,
      { route: 'postToken', upstreamStatus: status },
      { details: { clientId, ...(target.region ? { region: target.region } : {}), loginBaseUrl: target.loginBaseUrl } },
    );
  }

  async function fresh(): Promise<string> {
    const token = await store.withRefreshLock(async () => {
      // Another caller (or replica) may have refreshed while we queued for the lock.
      const again = await store.get();
      if (again && again.expiresAt > clock.now()) return again;
      const next = await login();
      await store.set(next);
      return next;
    });
    return token.accessToken;
  }

  return {
    async getToken(deadline, signal) {
      const cached = await store.get();
      if (cached && cached.expiresAt > clock.now()) return cached.accessToken;
      return untilDeadline(fresh(), deadline, clock, signal, 'a Genesys access token');
    },
    async invalidate(accessToken) {
      await store.invalidate(accessToken);
    },
  };
}

/**
 * Waits for `work` but gives up at `deadline` (the work itself goes on for the other callers
 * sharing it), on the clock's timer.
 */
export async function untilDeadline<T>(work: Promise<T>, deadline: number, clock: Clock, signal: AbortSignal | undefined, what: string): Promise<T> {
  work.catch(() => {});
  const remaining = deadline - clock.now();
  if (remaining <= 0) throw new DeadlineExceededError(`The deadline passed before ${what} was available.`);
  let cancelTimer: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    cancelTimer = clock.setTimer(remaining, () => reject(new DeadlineExceededError(`The deadline passed while waiting for ${what}.`)));
    if (signal) {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([work, gaveUp]);
  } finally {
    cancelTimer?.();
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * HTTP Basic exactly as the Genesys SDKs and the client-credentials tutorial build it:
 * `base64(clientId:clientSecret)`. openid-client's ClientSecretBasic form-urlencodes both parts
 * first (RFC 6749 §2.3.1), turning the `-` of every Genesys client id (a UUID) into `%2D`;
 * whether Genesys decodes that is UNCONFIRMED, so we send what the SDKs send.
 */
export function genesysClientSecretBasic(clientSecret: string): oidc.ClientAuth {
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${client.client_id}:${clientSecret}`, 'utf8').toString('base64')}`);
  };
}

async function oauthErrorText(response: Response | undefined): Promise<string> {
  try {
    const body = (await response?.json()) as { error?: unknown; error_description?: unknown } | undefined;
    if (body && typeof body.error === 'string') {
      return `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return '(authentication challenge)';
}
