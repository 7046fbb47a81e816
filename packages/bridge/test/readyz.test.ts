import { createShiftedClock } from '@baton/core/testing';
import assert from 'node:assert/strict';
import request from 'supertest';
import { FAILED_CHECK_MEMORY_MS } from '../src/routes/health.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { startPrivateRedis, type PrivateRedis } from './redis/helpers.js';

const movableClock = createShiftedClock;

describe('GET /readyz', function () {
  this.timeout(30_000);

  describe('when Genesys logins fail', () => {
    let h: Harness;
    let clock: ReturnType<typeof movableClock>;
    before(async () => {
      clock = movableClock();
      h = await startHarness({ clock });
    });
    after(() => h.close());

    it('then probes repeat the failure for a while instead of each starting a login, and see the recovery after', async () => {
      // 500 is not retried: each login is exactly one token request, so the count is exact.
      const removeFault = h.sandbox.faults.add({ route: 'postToken', kind: 'status', status: 500 });
      h.sandbox.counters.reset();
      for (let i = 0; i < 10; i++) {
        const res = await request(h.url).get('/readyz');
        assert.equal(res.status, 503);
        assert.equal(res.body.checks.genesys, 'failing');
      }
      assert.equal(h.sandbox.counters.snapshot().tokenRequests, 1, '10 probes, one login');

      // Once the memory has lapsed, the next probe tries again (and still fails)...
      clock.advance(FAILED_CHECK_MEMORY_MS + 1);
      assert.equal((await request(h.url).get('/readyz')).status, 503);
      assert.equal(h.sandbox.counters.snapshot().tokenRequests, 2);

      // ...and after Genesys recovers, readiness returns with the next attempt.
      removeFault();
      assert.equal((await request(h.url).get('/readyz')).status, 503, 'still remembered');
      clock.advance(FAILED_CHECK_MEMORY_MS + 1);
      const ready = await request(h.url).get('/readyz');
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.equal(h.sandbox.counters.snapshot().tokenRequests, 3);
    });
  });

  describe('while Redis came back without its data (the hold during which every handoff is refused)', () => {
    let redis: PrivateRedis;
    let h: Harness;
    before(async () => {
      redis = await startPrivateRedis();
      // A private Redis: the test kills it. The hold is BATON_DEADLINE_MS + 7 s, longer than this test.
      h = await startHarness({ env: { REDIS_URL: redis.url, BATON_DEADLINE_MS: '5000' } });
    });
    after(async () => {
      await h?.close();
      await redis?.stop();
    });

    it('then /readyz answers 503 with the reason, while Redis itself answers', async () => {
      const before = await request(h.url).get('/readyz');
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.equal(before.body.checks.state, 'ok');

      await redis.kill();
      await redis.start();
      // Until the bridge has reconnected and compared the epoch marker, /readyz may say Redis is
      // down; poll until it says why it is not ready now.
      let res = await request(h.url).get('/readyz');
      for (let i = 0; i < 200 && res.body.reason === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        res = await request(h.url).get('/readyz');
      }
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(res.body.code, 'state_unavailable');
      assert.equal(res.body.reason, 'redis_data_loss_hold');
      assert.equal(res.body.checks.state, 'failing');
      assert.ok(Number(res.headers['retry-after']) >= 1);
      // Handoffs are indeed refused meanwhile: readiness and the action agree.
      const handoff = await request(h.url)
        .post('/v1/actions/handoff')
        .set('X-API-Key', h.config.auth.apiKey!)
        .send({ conversationId: h.sandbox.scenarios.lowConfidence });
      assert.equal(handoff.status, 503);
      assert.equal(handoff.body.code, 'state_unavailable');
    });
  });
});
