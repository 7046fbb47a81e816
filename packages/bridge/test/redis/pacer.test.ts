import assert from 'node:assert/strict';
import { createPacer, RateBudgetExhaustedError, type Pacer } from '@baton/core';
import { createManualClock } from '@baton/core/testing';
import type { Redis } from 'ioredis';
import { httpStatusOf } from '../../src/errors.js';
import { createRedisPacer, createRedisState, genesysClientKeyPrefix, type RedisState } from '../../src/redis/index.js';
import { deletePrefix, freePort, requireSharedRedis, SHARED_REDIS_URL, TEST_GENESYS_CLIENT, uniquePrefix } from './helpers.js';

const rejectsBudget = (error: unknown) => {
  assert.ok(error instanceof RateBudgetExhaustedError, String(error));
  assert.equal(error.code, 'rate_budget_exhausted');
  assert.equal(httpStatusOf(error), 503);
  return true;
};

describe('Redis pacer (one Platform API budget for every replica)', () => {
  let admin: Redis;
  let prefix: string;
  let replicas: RedisState[];
  before(async () => {
    admin = await requireSharedRedis();
  });
  after(() => admin.disconnect());
  beforeEach(async () => {
    prefix = uniquePrefix('pacer');
    replicas = [createRedisState({ url: SHARED_REDIS_URL, keyPrefix: prefix }), createRedisState({ url: SHARED_REDIS_URL, keyPrefix: prefix })];
    await Promise.all(replicas.map((r) => r.ready()));
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await deletePrefix(admin, prefix);
  });

  it('when two replicas spend a budget of 5 per minute, then the sixth request is refused on either', async () => {
    const [a, b] = replicas.map((r) => r.pacer({ genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 5 })) as [Pacer, Pacer];
    for (let i = 0; i < 5; i++) await (i % 2 ? b : a).acquire(Date.now() + 5000);
    await assert.rejects(a.acquire(Date.now() + 5000), rejectsBudget);
    await assert.rejects(b.acquire(Date.now() + 5000), rejectsBudget);
  });

  it('when two replicas on one prefix use different OAuth clients, then each has its own budget', async () => {
    const [a, b] = [
      replicas[0]!.pacer({ genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 5 }),
      replicas[1]!.pacer({ genesysClient: { ...TEST_GENESYS_CLIENT, clientId: 'another-client' }, requestsPerMinute: 5 }),
    ];
    for (let i = 0; i < 5; i++) await a.acquire(Date.now() + 5000);
    for (let i = 0; i < 5; i++) await b.acquire(Date.now() + 5000);
    await assert.rejects(a.acquire(Date.now() + 5000), rejectsBudget);
  });

  it('(control) when each replica paces in memory, then together they start twice the budget', async () => {
    const [a, b] = [createPacer({ clock: createManualClock(Date.now()), requestsPerMinute: 5 }), createPacer({ clock: createManualClock(Date.now()), requestsPerMinute: 5 })];
    let started = 0;
    for (let i = 0; i < 10; i++) {
      await (i % 2 ? b : a).acquire(Date.now() + 5000);
      started += 1;
    }
    assert.equal(started, 10, 'twice the budget of 5 started');
    // Each spent only its own budget: the next request is refused on both, as the shared pacer refuses the sixth.
    await assert.rejects(a.acquire(Date.now() + 5000), rejectsBudget);
    await assert.rejects(b.acquire(Date.now() + 5000), rejectsBudget);
  });

  it("when one replica gets a 429 with Retry-After, then the other starts nothing before it", async () => {
    const [a, b] = replicas.map((r) => r.pacer({ genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 300 })) as [Pacer, Pacer];
    a.holdUntil(Date.now() + 30_000);
    for (let i = 0; i < 50 && (await admin.exists(`${genesysClientKeyPrefix(prefix, TEST_GENESYS_CLIENT)}pacer:held-until`)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(b.acquire(Date.now() + 2000), rejectsBudget);
  });

  it('when a 429 asks for a day, then the shared hold is cut to maxHoldMs (on every replica) and a warning says so', async () => {
    const warnings: Record<string, unknown>[] = [];
    const logger = { info: () => undefined, warn: (facts: Record<string, unknown>) => warnings.push(facts) };
    const a = createRedisPacer({ client: admin, keyPrefix: prefix, genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 300, maxHoldMs: 60_000, logger });
    const b = replicas[1]!.pacer({ genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 300 });
    const heldKey = `${genesysClientKeyPrefix(prefix, TEST_GENESYS_CLIENT)}pacer:held-until`;
    const before = Date.now();
    a.holdUntil(before + 86_400_000);
    for (let i = 0; i < 50 && (await admin.exists(heldKey)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const heldUntil = Number(await admin.get(heldKey));
    assert.ok(heldUntil >= before + 59_000 && heldUntil <= Date.now() + 60_000, `held until ${heldUntil - before} ms from the 429`);
    assert.ok((await admin.pttl(heldKey)) <= 61_000, 'the hold does not outlive the cap');
    // The pacer reads its own clock after `before`: the day it was asked for is measured from then.
    assert.equal(warnings.length, 1, 'one warning');
    assert.equal(warnings[0]!['maxHoldMs'], 60_000);
    const retryAfterMs = Number(warnings[0]!['retryAfterMs']);
    assert.ok(retryAfterMs <= 86_400_000 && retryAfterMs >= 86_400_000 - (Date.now() - before) - 1, `warned of ${retryAfterMs} ms`);
    // The other replica waits for the shared hold, which ends within the cap: a deadline past it is met.
    await assert.rejects(b.acquire(Date.now() + 2000), (error: { details?: Record<string, unknown> }) => {
      rejectsBudget(error as { code?: string; status?: number });
      assert.ok(Number(error.details?.['waitMs']) <= 60_000, `waits ${String(error.details?.['waitMs'])} ms`);
      return true;
    });
  });

  it('when Redis is unreachable, then the pacer falls back to pacing this replica alone', async () => {
    const absent = createRedisState({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: prefix });
    try {
      const pacer = absent.pacer({ genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 2 });
      await pacer.acquire(Date.now() + 5000);
      await pacer.acquire(Date.now() + 5000);
      await assert.rejects(pacer.acquire(Date.now() + 5000), rejectsBudget);
    } finally {
      await absent.close();
    }
  });
});
