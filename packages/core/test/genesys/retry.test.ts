import assert from 'node:assert/strict';
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_SETTINGS,
  parseRetryAfter,
  retrying,
  type AttemptResult,
  type RetriedCall,
  type Sender,
} from '../../src/genesys/retry.js';
import { createManualClock, type ManualClock } from '../../src/testing/index.js';

const settings = DEFAULT_RETRY_SETTINGS;
const base = { attempt: 1, idempotent: true, remainingMs: 60_000, random: () => 0.5 };

describe('retry policy', () => {
  it('retries a 429 for every call after Retry-After', () => {
    const d = decideRetry(settings, { ...base, idempotent: false, failure: { kind: 'status', status: 429, retryAfterSeconds: 3 } });
    assert.deepEqual(d, { retry: true, delayMs: 3000 });
  });

  it('does not wait a Retry-After longer than the cap', () => {
    const d = decideRetry(settings, { ...base, failure: { kind: 'status', status: 429, retryAfterSeconds: 31 } });
    assert.equal(d.retry, false);
  });

  it('retries 502/503/504 and network errors only for idempotent calls', () => {
    for (const status of [502, 503, 504]) {
      assert.equal(decideRetry(settings, { ...base, failure: { kind: 'status', status } }).retry, true);
      assert.equal(decideRetry(settings, { ...base, idempotent: false, failure: { kind: 'status', status } }).retry, false);
    }
    assert.equal(decideRetry(settings, { ...base, failure: { kind: 'network', sent: true } }).retry, true);
    assert.equal(decideRetry(settings, { ...base, idempotent: false, failure: { kind: 'network', sent: true } }).retry, false);
  });

  it('retries a refused connection even for a non-idempotent call: it never reached Genesys', () => {
    assert.equal(decideRetry(settings, { ...base, idempotent: false, failure: { kind: 'network', sent: false } }).retry, true);
  });

  it('never retries other statuses', () => {
    for (const status of [400, 401, 403, 404, 409, 500, 501]) {
      assert.equal(decideRetry(settings, { ...base, failure: { kind: 'status', status } }).retry, false, String(status));
    }
  });

  it('stops after maxAttempts and when the wait would pass the deadline', () => {
    assert.equal(decideRetry(settings, { ...base, attempt: settings.maxAttempts, failure: { kind: 'status', status: 503 } }).retry, false);
    const d = decideRetry(settings, { ...base, remainingMs: 2000, failure: { kind: 'status', status: 429, retryAfterSeconds: 2 } });
    assert.equal(d.retry, false);
    assert.match((d as { reason: string }).reason, /deadline/);
  });

  it('backs off exponentially with jitter, capped', () => {
    const s = { ...settings, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(s, 1, () => 0), 50);
    assert.equal(backoffDelay(s, 1, () => 1), 100);
    assert.equal(backoffDelay(s, 3, () => 0), 200);
    assert.equal(backoffDelay(s, 10, () => 1), 1000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('42', 0), 42);
    assert.equal(parseRetryAfter(null, 0), undefined);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 0), 10);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });
});

/** A request's scripted attempts, and what the driver did with them. */
function scripted(clock: ManualClock, attempts: (AttemptResult | Error)[], over: Partial<Sender<RetriedCall, AttemptResult>> = {}) {
  const seen = { sent: 0, previous: [] as (AttemptResult | undefined)[], relogins: 0, discarded: 0, holds: [] as number[] };
  const sender: Sender<RetriedCall, AttemptResult> = {
    settings: DEFAULT_RETRY_SETTINGS,
    clock,
    random: () => 0,
    pacer: { holdUntil: (until) => void seen.holds.push(until - clock.now()) },
    async sendOnce(_call, attempt, previous) {
      assert.equal(attempt, seen.sent + 1, 'attempts are numbered from 1');
      seen.previous.push(previous);
      const next = attempts.shift();
      if (next === undefined) throw new Error('no more attempts scripted');
      if (next instanceof Error) throw next;
      seen.sent += 1;
      return next;
    },
    relogin: async () => void (seen.relogins += 1),
    discard: async () => void (seen.discarded += 1),
    ...over,
  };
  return { sender, seen };
}

const answer = (status: number, headers: Record<string, string> = {}): AttemptResult => ({
  status,
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  ms: 1,
});
const networkError = (code: string): AttemptResult => ({ status: 0, error: Object.assign(new Error(code), { code }), ms: 1 });

describe('retry driver (retrying): one loop for Platform API calls and token requests', () => {
  let clock: ManualClock;
  const call = (over: Partial<RetriedCall> = {}): RetriedCall => ({ deadline: clock.now() + 60_000, idempotent: true, ...over });
  beforeEach(() => {
    clock = createManualClock();
  });

  it('when the first answer is a 2xx, then it is the outcome: one attempt, no wait', async () => {
    const { sender } = scripted(clock, [answer(200)]);
    const outcome = await retrying(sender, call());
    assert.equal(outcome.kind, 'succeeded');
    assert.equal(outcome.attempts, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('when Genesys answers 401, then one re-login and one repeat, at once; a second 401 is final', async () => {
    const once = scripted(clock, [answer(401), answer(200)]);
    const ok = await retrying(once.sender, call({ idempotent: false }));
    assert.equal(ok.kind, 'succeeded');
    assert.equal(ok.attempts, 2);
    assert.equal(once.seen.relogins, 1);
    assert.deepEqual(clock.sleeps, []);

    const twice = scripted(clock, [answer(401), answer(401)]);
    const refused = await retrying(twice.sender, call());
    assert.equal(refused.kind, 'declined');
    assert.equal(refused.last?.status, 401);
    assert.equal(twice.seen.relogins, 1);
  });

  it('when the sender cannot log in again (token requests), then a 401 is final at once', async () => {
    const { sender, seen } = scripted(clock, [answer(401)], { relogin: undefined });
    const outcome = await retrying(sender, call());
    assert.equal(outcome.kind, 'declined');
    assert.equal(seen.sent, 1);
  });

  it('when Genesys answers 429, then every call, writes too, waits Retry-After, holds the pacer as long, and is repeated', async () => {
    const { sender, seen } = scripted(clock, [answer(429, { 'retry-after': '3' }), answer(202)]);
    const outcome = await retrying(sender, call({ idempotent: false }));
    assert.equal(outcome.kind, 'succeeded');
    assert.deepEqual(clock.sleeps, [3000]);
    assert.deepEqual(seen.holds, [3000]);
    assert.equal(seen.previous[1]?.retryAfterSeconds, 3, 'the next attempt knows the failure it repeats');
  });

  it('when a 429 asks for longer than the cap, then it is not waited for; the pacer is still held (pacer.ts caps that hold)', async () => {
    const { sender, seen } = scripted(clock, [answer(429, { 'retry-after': '120' })]);
    const outcome = await retrying(sender, call());
    assert.equal(outcome.kind, 'declined');
    assert.match(outcome.kind === 'declined' ? outcome.reason : '', /cap/);
    assert.equal(outcome.last?.retryAfterSeconds, 120);
    assert.deepEqual(seen.holds, [120_000]);
    assert.deepEqual(clock.sleeps, []);
  });

  it('when a 429 comes without a pacer (token requests), then it is still waited for and repeated', async () => {
    const { sender } = scripted(clock, [answer(429, { 'retry-after': '2' }), answer(200)], { pacer: undefined });
    assert.equal((await retrying(sender, call())).kind, 'succeeded');
    assert.deepEqual(clock.sleeps, [2000]);
  });

  it('when Genesys answers 503, then an idempotent call is repeated with backoff, a write is not', async () => {
    const read = scripted(clock, [answer(503), answer(503), answer(200)]);
    const ok = await retrying(read.sender, call());
    assert.equal(ok.kind, 'succeeded');
    assert.equal(ok.attempts, 3);
    assert.deepEqual(clock.sleeps, [125, 250]);
    assert.equal(read.seen.discarded, 2, 'answers retried unread are released');

    const write = scripted(clock, [answer(503)]);
    const refused = await retrying(write.sender, call({ idempotent: false }));
    assert.equal(refused.kind, 'declined');
    assert.match(refused.kind === 'declined' ? refused.reason : '', /not idempotent/);
  });

  it('when a write gets no answer, then it is repeated only if it provably never left (connection refused)', async () => {
    const refused = scripted(clock, [networkError('ECONNREFUSED'), answer(200)]);
    assert.equal((await retrying(refused.sender, call({ idempotent: false }))).kind, 'succeeded');

    const reset = scripted(clock, [networkError('ECONNRESET')]);
    const outcome = await retrying(reset.sender, call({ idempotent: false }));
    assert.equal(outcome.kind, 'declined');
    assert.equal(reset.seen.sent, 1);
  });

  it('when an attempt is final (the deadline passed while waiting, the caller aborted), then the call stops with its error', async () => {
    const stop = new Error('deadline passed');
    const { sender } = scripted(clock, [answer(503), { status: 0, error: stop, final: true, ms: 1 }]);
    const outcome = await retrying(sender, call());
    assert.equal(outcome.kind, 'stopped');
    assert.equal(outcome.kind === 'stopped' ? outcome.error : undefined, stop);
    assert.equal(outcome.attempts, 2);
    assert.equal(outcome.answered?.status, 503, 'the last answer stays known, for the record');
  });

  it('when nothing could be sent (a cap, no token), then the call stops with that error and the attempt is not counted', async () => {
    const cap = new Error('over the call cap');
    const { sender } = scripted(clock, [answer(503), cap]);
    const outcome = await retrying(sender, call());
    assert.equal(outcome.kind, 'stopped');
    assert.equal(outcome.kind === 'stopped' ? outcome.error : undefined, cap);
    assert.equal(outcome.attempts, 1);
  });

  it("when the caller aborts during a retry's wait, then the call stops with the caller's reason", async () => {
    const controller = new AbortController();
    controller.abort(new Error('caller gone'));
    const { sender } = scripted(clock, [answer(503)]);
    const outcome = await retrying(sender, call({ signal: controller.signal }));
    assert.equal(outcome.kind, 'stopped');
    assert.equal(outcome.kind === 'stopped' ? (outcome.error as Error).message : '', 'caller gone');
  });

  it('when the wait would pass the deadline, then it is not waited for', async () => {
    const { sender } = scripted(clock, [answer(429, { 'retry-after': '5' })]);
    const outcome = await retrying(sender, call({ deadline: clock.now() + 3000 }));
    assert.equal(outcome.kind, 'declined');
    assert.match(outcome.kind === 'declined' ? outcome.reason : '', /deadline/);
    assert.deepEqual(clock.sleeps, []);
  });
});
