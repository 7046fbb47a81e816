import * as oidc from 'openid-client';
import type { UpstreamCall } from '../contracts/trace.js';
import { DeadlineExceededError, GenesysApiError } from '../errors.js';
import { redactText } from '../redact.js';
import type { TokenStore } from '../state/token-store.js';
import type { Clock } from '../clock.js';
import { networkReason } from './genesys-error.js';
import type { GenesysFetch } from './http.js';
import { decideRetry, parseRetryAfter, type AttemptFailure, type RetrySettings } from './retry-policy.js';
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

  /** The token request through the shared fetch seam, retried like an idempotent call: a token grant is safe to repeat. */
  async function tokenFetch(url: string, init: oidc.CustomFetchOptions): Promise<Response> {
    const started = clock.now();
    const deadline = started + loginBudgetMs;
    let attempt = 0;
    let response: Response | undefined;
    let failure: unknown;
    for (;;) {
      attempt += 1;
      let outcome: AttemptFailure;
      try {
        response = await options.fetch(url, init as RequestInit);
        failure = undefined;
        if (response.status !== 429 && response.status < 500) break;
        outcome = { kind: 'status', status: response.status, retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), clock.now()) };
      } catch (error) {
        if (init.signal?.aborted) {
          failure = error;
          response = undefined;
          break;
        }
        failure = error;
        response = undefined;
        outcome = { kind: 'network', sent: true };
      }
      const decision = decideRetry(options.retry, {
        attempt,
        idempotent: true,
        failure: outcome,
        remainingMs: deadline - clock.now(),
        random: options.random,
      });
      if (!decision.retry) break;
      await response?.body?.cancel().catch(() => {});
      await clock.sleep(decision.delayMs, init.signal);
    }
    report({
      route: 'postToken',
      method: 'POST',
      path: TOKEN_PATH,
      status: response?.status ?? 0,
      durationMs: clock.now() - started,
      retries: attempt - 1,
      ...(response?.headers.get('inin-correlation-id') ? { contextId: response.headers.get('inin-correlation-id')! } : {}),
      ...(response && response.ok ? {} : { error: response ? `HTTP ${response.status}` : 'no answer' }),
    });
    if (response) return response;
    throw failure;
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
 * sharing it). Real timers: the deadline is wall-clock time measured from `clock.now()`.
 */
export async function untilDeadline<T>(work: Promise<T>, deadline: number, clock: Clock, signal: AbortSignal | undefined, what: string): Promise<T> {
  work.catch(() => {});
  const remaining = deadline - clock.now();
  if (remaining <= 0) throw new DeadlineExceededError(`The deadline passed before ${what} was available.`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`The deadline passed while waiting for ${what}.`)), remaining);
    if (signal) {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([work, gaveUp]);
  } finally {
    clearTimeout(timer);
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
