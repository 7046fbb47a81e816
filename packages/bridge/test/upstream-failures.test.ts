import assert from 'node:assert/strict';
import request from 'supertest';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

/** The value of one Prometheus sample, by its exact name and labels (undefined when absent). */
function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Genesys failures through the HTTP layer', () => {
  let h: Harness;
  const post = (path: string, body: object) => request(h.url).post(path).set('X-API-Key', CREDS.apiKey).send(body);
  const metricsText = async () => (await request(h.url).get('/metrics').set('X-API-Key', CREDS.apiKey)).text;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('when Genesys answers 429 to every call (a storm), then a 503 that names the rate limit, and the 429s are counted', async () => {
    h.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'status', status: 429, retryAfterSeconds: 0 });
    const res = await post('/v1/actions/handoff', { conversationId: h.sandbox.scenarios.lowConfidence, budgetMs: '3000' });
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.ok(['genesys_rate_limited', 'rate_budget_exhausted'].includes(res.body.code), res.body.code);
    assert.match(res.body.message, /rate/i);
    assert.match(await metricsText(), /baton_upstream_rate_limited_total\{route="getConversationsMessage"\} [1-9]/);
    // The outcome is the answer's own code, counted exactly once.
    assert.equal(metricValue(await metricsText(), `baton_actions_total{action="handoff",outcome="${res.body.code}"}`), 1);
  });

  it('when a short 429 burst passes, then the handoff still succeeds (retried within the deadline)', async () => {
    h.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'status', status: 429, retryAfterSeconds: 0, times: 2 });
    const res = await post('/v1/actions/handoff', { conversationId: h.sandbox.scenarios.lowConfidence });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'ready_for_transfer');
    assert.match(await metricsText(), /baton_upstream_retries_total\{route="getConversationsMessage"\} [1-9]/);
  });

  it('when the Genesys token is revoked between requests, then the bridge logs in again and answers 200', async () => {
    const first = await post('/v1/actions/transcript', { conversationId: h.sandbox.scenarios.lowConfidence });
    assert.equal(first.status, 200);
    assert.ok(h.sandbox.revokeTokens() >= 1);
    const second = await post('/v1/actions/handoff', { conversationId: h.sandbox.scenarios.lowConfidence });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.status, 'ready_for_transfer');
  });

  it('when Genesys fails with a 5xx, then 502 genesys_unavailable with the contextId of the failed call, also in the log line', async () => {
    h.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'status', status: 500 });
    const res = await post('/v1/actions/assess-intent', { conversationId: h.sandbox.scenarios.highConfidence });
    assert.equal(res.status, 502, JSON.stringify(res.body)); // the README's error table: genesys_unavailable is a 502
    assert.equal(res.body.code, 'genesys_unavailable');
    const line = h.logs.lines().find((l) => l.msg === 'request' && l.action === 'assess-intent');
    assert.equal(line?.errorCode, 'genesys_unavailable');
    assert.equal(typeof res.body.contextId, 'string');
    assert.equal(line?.contextId, res.body.contextId);
    assert.deepEqual(line?.failedContextIds, [res.body.contextId]);
  });

  it('/readyz is 200 while a token can be had', async () => {
    assert.deepEqual((await request(h.url).get('/readyz')).body, { status: 'ready', checks: { genesys: 'ok' } });
  });

  it('/readyz is 503 not_ready (a code, no details: it is open) when the Genesys login fails', async () => {
    const wrong = await startHarness({ external: h.sandbox, env: { GENESYS_CLIENT_ID: h.sandbox.clientId, GENESYS_CLIENT_SECRET: 'not-the-client-secret' } });
    try {
      const res = await request(wrong.url).get('/readyz');
      assert.equal(res.status, 503);
      assert.equal(res.body.status, 'not_ready');
      assert.equal(res.body.checks.genesys, 'failing');
      assert.equal(res.body.code, 'genesys_login_failed');
      assert.deepEqual(Object.keys(res.body).sort(), ['checks', 'code', 'status']);
      const logged = wrong.logs.lines().find((l) => l.msg === 'readiness check failed');
      assert.ok(logged, 'the reason goes to the log');
      assert.ok(!wrong.logs.text().includes('not-the-client-secret'));
    } finally {
      await wrong.close();
    }
  });
});
