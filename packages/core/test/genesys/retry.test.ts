import assert from 'node:assert/strict';
import { backoffDelay, decideRetry, DEFAULT_RETRY_SETTINGS, parseRetryAfter } from '../../src/genesys/retry.js';

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
