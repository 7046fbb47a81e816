import assert from 'node:assert/strict';
import type { UpstreamCall } from '../../src/contracts/trace.js';
import { DeadlineExceededError, GenesysApiError, RateBudgetExhaustedError } from '../../src/errors.js';
import { createCallRunner, type ApiRequest, type CallRunnerDeps } from '../../src/genesys/call-runner.js';
import type { GenesysRequestInit, GenesysResponse } from '../../src/genesys/http.js';
import { DEFAULT_RETRY_SETTINGS } from '../../src/genesys/retry.js';
import { resolveTarget } from '../../src/genesys/target.js';
import { createTokenProvider } from '../../src/genesys/token-provider.js';
import { createMemoryTokenStore } from '../../src/state/memory.js';
import { createManualClock, type ManualClock } from '../../src/testing/index.js';

const target = resolveTarget({ baseUrl: 'http://127.0.0.1:9' });
const getQueue: ApiRequest = { route: 'getRoutingQueue', pathAndQuery: '/api/v2/routing/queues/q1', resources: [{ kind: 'queue', id: 'q1' }], expectBody: true };
const transfer: ApiRequest = {
  route: 'postConversationParticipantReplaceQueue',
  pathAndQuery: '/api/v2/conversations/c1/participants/p1/replace/queue',
  body: { queueId: 'q1' },
  resources: [{ kind: 'conversation', id: 'c1' }],
  expectBody: false,
};

/** A Genesys answer as the transport returns it. */
function answer(status: number, body = '', headers: Record<string, string> = {}): GenesysResponse {
  return {
    status,
    ok: status >= 200 && status <= 299,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => body,
    body: { cancel: async () => {} },
  };
}
const reset = () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
/** Never answers; fails only when the request is aborted, as a real transport does. */
const silent = (_url: string, init: GenesysRequestInit) =>
  new Promise<GenesysResponse>((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
/** A promise's outcome (its value or error), and whether it has come yet. */
function watch(promise: Promise<unknown>) {
  const watched = { done: false, outcome: Promise.resolve<unknown>(undefined) };
  watched.outcome = promise.then(
    (value) => value,
    (error: unknown) => error,
  ).finally(() => {
    watched.done = true;
  });
  return watched;
}
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('call runner (fake transport, manual clock)', () => {
  let clock: ManualClock;
  let calls: UpstreamCall[];
  let sent: GenesysRequestInit[];
  let tokens: string[];
  let invalidated: string[];

  /** A runner whose transport answers from `script` (one entry per attempt). */
  const runner = (script: ((url: string, init: GenesysRequestInit) => Promise<GenesysResponse>)[], over: Partial<CallRunnerDeps> = {}) =>
    createCallRunner({
      target,
      clientId: 'client-1',
      send: (url, init) => {
        sent.push(init);
        const next = script.shift();
        if (!next) throw new Error('no more answers scripted');
        return next(url, init);
      },
      clock,
      random: () => 0,
      tokens: {
        getToken: async () => tokens[0] ?? 'no-token',
        invalidate: async (token) => {
          invalidated.push(token);
          tokens.shift();
        },
      },
      pacer: { acquire: async () => {}, holdUntil: () => {} },
      retry: DEFAULT_RETRY_SETTINGS,
      defaultCallBudgetMs: 20_000,
      onCall: (call) => calls.push(call),
      ...over,
    });

  beforeEach(() => {
    clock = createManualClock();
    calls = [];
    sent = [];
    tokens = ['token-1', 'token-2'];
    invalidated = [];
  });

  describe('deadlines run on the clock', () => {
    it('when Genesys never answers, then the attempt gives up exactly when the clock reaches the deadline', async () => {
      const run = runner([silent]);
      const call = watch(run(getQueue, { deadline: clock.now() + 60_000 }));
      await settle();
      assert.equal(clock.pending(), 1, 'one timeout, on the clock');
      clock.advance(59_999);
      await settle();
      assert.equal(call.done, false, 'still waiting 1 ms before the deadline');
      clock.advance(1);
      const outcome = await call.outcome;
      assert.ok(outcome instanceof DeadlineExceededError, String(outcome));
      assert.match(outcome.message, /waiting for Genesys to answer getRoutingQueue.*attempt 1/);
      assert.equal(clock.pending(), 0);
      assert.equal(calls[0]?.error?.startsWith('deadline_exceeded'), true);
    });

    it('when a write was sent, then it may answer writeSettleMs past the deadline, and beforeWrite is told so', async () => {
      const settleBy: number[] = [];
      const run = runner([silent], { writeSettleMs: 15_000 });
      const deadline = clock.now() + 1000;
      const call = watch(run(transfer, { deadline, beforeWrite: async (until) => void settleBy.push(until) }));
      await settle();
      assert.deepEqual(settleBy, [clock.now() + 15_000]);
      clock.advance(1000);
      await settle();
      assert.equal(call.done, false, 'a sent write is let answer past the deadline');
      clock.advance(14_000);
      const outcome = await call.outcome;
      assert.ok(outcome instanceof DeadlineExceededError, String(outcome));
    });

    it('when the token request never answers, then getToken gives up when the clock reaches the deadline', async () => {
      const provider = createTokenProvider({
        target,
        clientId: 'client-1',
        clientSecret: 'secret-1',
        fetch: (_url, init) =>
          new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true })),
        clock,
        random: () => 0,
        store: createMemoryTokenStore(),
        retry: DEFAULT_RETRY_SETTINGS,
      });
      const waiting = watch(provider.getToken(clock.now() + 30_000));
      await settle();
      clock.advance(29_999);
      await settle();
      assert.equal(waiting.done, false);
      clock.advance(1);
      const outcome = await waiting.outcome;
      assert.ok(outcome instanceof DeadlineExceededError, String(outcome));
      assert.match(outcome.message, /waiting for a Genesys access token/);
    });
  });

  describe('attempts', () => {
    it('when Genesys answers 401, then the token it refused is dropped and the call repeats once with a fresh one', async () => {
      const run = runner([async () => answer(401, '{"message":"expired"}'), async () => answer(200, '{"id":"q1"}', { 'inin-correlation-id': 'ctx-2' })]);
      assert.deepEqual(await run(getQueue), { id: 'q1' });
      assert.deepEqual(invalidated, ['token-1']);
      assert.deepEqual(
        sent.map((init) => init.headers.authorization),
        ['Bearer token-1', 'Bearer token-2'],
      );
      assert.deepEqual(calls, [{ route: 'getRoutingQueue', method: 'GET', path: '/api/v2/routing/queues/q1', status: 200, durationMs: 0, retries: 1, contextId: 'ctx-2' }]);
    });

    it('when a read meets a 503 and a reset, then it is repeated twice and one record says so, with the last answer', async () => {
      const run = runner([async () => answer(503, '', { 'inin-correlation-id': 'ctx-1' }), reset, async () => answer(200, '{"id":"q1"}', { 'inin-correlation-id': 'ctx-3' })]);
      assert.deepEqual(await run(getQueue), { id: 'q1' });
      assert.deepEqual(clock.sleeps, [125, 250]);
      assert.equal(calls.length, 1);
      assert.deepEqual({ status: calls[0]!.status, retries: calls[0]!.retries, contextId: calls[0]!.contextId }, { status: 200, retries: 2, contextId: 'ctx-3' });
    });

    it('when a retry is over the per-request call cap, then the cap error ends the call and the unsent retry is not counted', async () => {
      let spent = 0;
      const budget = {
        spend: () => {
          spent += 1;
          if (spent > 1) throw new RateBudgetExhaustedError('Over the cap of 1 call for this request.');
        },
      };
      const run = runner([async () => answer(503, '', { 'inin-correlation-id': 'ctx-1' })]);
      await assert.rejects(run(getQueue, { budget }), RateBudgetExhaustedError);
      assert.equal(sent.length, 1);
      assert.deepEqual({ status: calls[0]!.status, retries: calls[0]!.retries, contextId: calls[0]!.contextId }, { status: 503, retries: 0, contextId: 'ctx-1' });
    });

    it('when a sent write gets no answer, then it is not repeated and the error says why', async () => {
      const run = runner([reset]);
      await assert.rejects(run(transfer), (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_unavailable' && /not idempotent/.test(e.message));
      assert.equal(sent.length, 1);
      assert.equal(calls[0]?.status, 0);
    });

    it('when a 429 with Retry-After is final, then the error carries it and the pacer was held', async () => {
      const holds: number[] = [];
      const run = runner([async () => answer(429, '{"message":"slow down"}', { 'retry-after': '120' })], {
        pacer: { acquire: async () => {}, holdUntil: (until) => void holds.push(until - clock.now()) },
      });
      await assert.rejects(run(getQueue), (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_rate_limited' && e.facts.retryAfterSeconds === 120);
      assert.deepEqual(holds, [120_000]);
    });
  });
});
