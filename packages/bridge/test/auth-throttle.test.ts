import { createShiftedClock } from '@baton/core/testing';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createFailureThrottle, sourceKey } from '../src/auth/failure-throttle.js';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const movableClock = createShiftedClock;

describe('throttling failed authentication per source address', function () {
  this.timeout(30_000);

  describe('with BATON_AUTH_FAILURE_LIMIT=3 per 60 s', () => {
    let h: Harness;
    let clock: ReturnType<typeof movableClock>;
    let body: { conversationId: string };
    beforeEach(async () => {
      clock = movableClock();
      h = await startHarness({ clock, env: { BATON_AUTH_FAILURE_LIMIT: '3', BATON_AUTH_FAILURE_WINDOW_SECONDS: '60' } });
      body = { conversationId: h.sandbox.scenarios.highConfidence };
    });
    afterEach(() => h.close());

    const action = () => request(h.url).post('/v1/actions/assess-intent').send(body);
    const metric = async (name: string) => {
      const text = (await request(h.url).get('/metrics').set('X-API-Key', CREDS.apiKey)).text;
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    };

    it('when a source keeps failing, then after 3 failures it gets 429 with Retry-After, while right credentials still pass', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await action().set('X-API-Key', `wrong-key-number-${i}-xx`)).status, 401);
      const throttled = await action().set('X-API-Key', 'wrong-key-number-4-xx');
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.code, 'too_many_requests');
      assert.match(throttled.body.message, /failed authentication attempts/);
      const retryAfter = Number(throttled.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));

      // Successes are unaffected: Genesys' egress addresses are shared by every org.
      assert.equal((await action().set('X-API-Key', CREDS.apiKey)).status, 200);
      assert.equal((await action().set('Authorization', basic(CREDS.basicUser, CREDS.basicPassword))).status, 200);

      assert.equal(await metric('baton_inbound_auth_failures_total'), 4);
      assert.equal(await metric('baton_inbound_auth_throttled_total'), 1);
    });

    it('when the window has passed, then the source gets plain 401s again', async () => {
      for (let i = 0; i < 4; i++) await action().set('X-API-Key', `wrong-key-number-${i}-xx`);
      assert.equal((await action().set('X-API-Key', 'wrong-key-again-xxxx')).status, 429);
      clock.advance(60_001);
      assert.equal((await action().set('X-API-Key', 'wrong-key-again-xxxx')).status, 401);
    });

    it('when the failures are on /oauth/token and /metrics, then they count together and /oauth/token answers 429 too', async () => {
      const wrongClient = () =>
        request(h.url).post('/oauth/token').set('Authorization', basic(CREDS.oauthClientId, 'not-the-secret-0000')).type('form').send({ grant_type: 'client_credentials' });
      assert.equal((await wrongClient()).status, 401);
      assert.equal((await request(h.url).get('/metrics').set('X-API-Key', 'wrong-key-for-metrics')).status, 401);
      assert.equal((await request(h.url).post('/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' })).status, 401);
      const res = await wrongClient();
      assert.equal(res.status, 429);
      assert.equal(res.body.error, 'invalid_client');
      assert.ok(Number(res.headers['retry-after']) >= 1);
      assert.ok(!JSON.stringify(res.body).includes('access_token'));
    });

    it('logs each refusal at info with the source address (never the secret), and the start of throttling once', async () => {
      await request(h.url).get('/metrics').set('X-API-Key', 'wrong-metrics-key-1');
      for (let i = 0; i < 4; i++) await action().set('X-API-Key', `wrong-key-number-${i}-xx`);
      const refusals = h.logs.lines().filter((l) => l.msg === 'request' && (l.status === 401 || l.status === 429));
      assert.equal(refusals.length, 5, h.logs.text());
      for (const line of refusals) {
        assert.equal(line.level, 'info');
        assert.match(String(line.remoteAddress), /127\.0\.0\.1/);
      }
      assert.ok(refusals.some((l) => l.path === '/metrics' && l.status === 401));
      const started = h.logs.lines().filter((l) => /too many failed authentications/.test(String(l.msg)));
      assert.equal(started.length, 1);
      assert.equal(started[0]!.level, 'warn');
      const text = h.logs.text();
      for (const secret of h.secrets()) assert.ok(!text.includes(secret));
      assert.ok(!text.includes('wrong-key-number-'), 'presented keys are not logged either');
    });

    it('ignores X-Forwarded-For unless BATON_TRUST_PROXY is set: a client cannot pick the address it is counted under', async () => {
      for (let i = 0; i < 4; i++) await action().set('X-API-Key', `wrong-key-number-${i}-xx`).set('X-Forwarded-For', `203.0.113.${i}`);
      assert.equal((await action().set('X-API-Key', 'wrong-key-again-xxxx').set('X-Forwarded-For', '203.0.113.99')).status, 429);
      assert.ok(!h.logs.text().includes('203.0.113.'));
    });
  });

  describe('with BATON_TRUST_PROXY=loopback (a load balancer on this host)', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ env: { BATON_AUTH_FAILURE_LIMIT: '2', BATON_TRUST_PROXY: 'loopback' } });
    });
    after(() => h.close());

    it('then each forwarded client is counted and logged under its own address', async () => {
      const wrong = (client: string) =>
        request(h.url).post('/v1/actions/assess-intent').set('X-API-Key', 'wrong-key-wrong-key').set('X-Forwarded-For', client).send({});
      for (let i = 0; i < 3; i++) await wrong('198.51.100.7');
      assert.equal((await wrong('198.51.100.7')).status, 429);
      assert.equal((await wrong('198.51.100.8')).status, 401);
      const line = h.logs.lines().find((l) => l.msg === 'request' && l.remoteAddress === '198.51.100.8');
      assert.ok(line, h.logs.text());
    });
  });

  describe('createFailureThrottle', () => {
    it('counts an IPv6 source by its /64, and remembers a bounded number of sources', () => {
      assert.equal(sourceKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
      assert.equal(sourceKey('2001:0db8:0001:0002:ffff:1:2:3'), '2001:db8:1:2::/64');
      assert.equal(sourceKey('::ffff:192.0.2.1'), '192.0.2.1');
      assert.equal(sourceKey('::1'), '0:0:0:0::/64');
      let now = 0;
      const throttle = createFailureThrottle({ maxFailures: 1, windowMs: 1000, now: () => now, maxSources: 2 });
      assert.equal(throttle.recordFailure('2001:db8:1:2::1').throttled, false);
      assert.equal(throttle.recordFailure('2001:db8:1:2::2').throttled, true, 'same /64');
      // Two other sources push the first out of a 2-entry memory: it starts afresh.
      throttle.recordFailure('192.0.2.1');
      throttle.recordFailure('192.0.2.2');
      assert.equal(throttle.recordFailure('2001:db8:1:2::3').throttled, false);
      now += 1000;
      assert.equal(throttle.recordFailure('192.0.2.2').throttled, false, 'a new window');
    });

    it('never throttles when the limit is 0', () => {
      const throttle = createFailureThrottle({ maxFailures: 0, windowMs: 1000, now: () => 0 });
      for (let i = 0; i < 100; i++) assert.equal(throttle.recordFailure('192.0.2.1').throttled, false);
    });
  });
});
