import assert from 'node:assert/strict';
import request from 'supertest';
import { REQUEST_RECEIVE_MARGIN_MS } from '../src/config.js';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';
import { openRaw, postHead, type RawClient } from './helpers/raw-http.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** The smallest deadline, so the receive bound (deadline + margin) is short. */
const DEADLINE_MS = 500;

describe('slow and excess clients (real sockets)', function () {
  this.timeout(30_000);
  const clients: RawClient[] = [];
  const raw = async (url: string) => {
    const c = await openRaw(url);
    clients.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  describe('when a client drips its request body', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ env: { BATON_DEADLINE_MS: String(DEADLINE_MS) } });
    });
    after(() => h.close());

    it('then the request is bound to the deadline plus a margin, derived from BATON_DEADLINE_MS', () => {
      assert.equal(h.config.server.requestTimeoutMs, DEADLINE_MS + REQUEST_RECEIVE_MARGIN_MS);
    });

    it('then it is answered 408 and disconnected at the bound, not kept for minutes', async () => {
      const c = await raw(h.url);
      c.write(postHead('/v1/actions/handoff', { 'X-API-Key': CREDS.apiKey }, 1000));
      c.drip(200);
      await c.closed;
      assert.match(c.received(), /^HTTP\/1\.1 408 /);
    });

    it('then a keep-alive connection idle for longer than that bound still serves its next request', async () => {
      // headersTimeout is now bounded by the request bound, below the keep-alive timeout: Genesys
      // reports a reused connection the server closed as "500 Connection reset", so an idle
      // keep-alive connection must not be cut by it.
      const c = await raw(h.url);
      c.write('GET /healthz HTTP/1.1\r\nHost: bridge.test\r\n\r\n');
      await c.waitFor(/\{"status":"ok"\}/);
      await new Promise((resolve) => setTimeout(resolve, h.config.server.requestTimeoutMs + 1000));
      c.write('GET /healthz HTTP/1.1\r\nHost: bridge.test\r\n\r\n');
      const text = await c.waitFor(/\{"status":"ok"\}[\s\S]*\{"status":"ok"\}/);
      assert.equal(text.match(/HTTP\/1\.1 200 /g)?.length, 2);
    });
  });

  describe('when the bridge shuts down while a body is still dripping in', () => {
    it('then the half-received request is cut at its bound and the shutdown drains instead of waiting out its timeout', async () => {
      const h = await startHarness({ env: { BATON_DEADLINE_MS: String(DEADLINE_MS) } });
      try {
        const c = await raw(h.url);
        c.write(postHead('/v1/actions/handoff', { 'X-API-Key': CREDS.apiKey }, 1000));
        c.drip(200);
        // The request is in flight once its headers are in: wait until the bridge has it.
        while (h.bridge.inFlight.size === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        // A shutdown timeout far beyond this test's: only the request bound can end the drain.
        const result = await h.server.shutdown({ inFlight: h.bridge.inFlight, timeoutMs: 600_000, beforeClose: () => h.bridge.beginShutdown() });
        assert.equal(result.drained, true);
        await c.closed;
        assert.match(c.received(), /^HTTP\/1\.1 408 /);
      } finally {
        await h.close();
      }
    });
  });

  describe('when more connections arrive than BATON_MAX_CONNECTIONS', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ env: { BATON_MAX_CONNECTIONS: '2' } });
    });
    after(() => h.close());

    it('then the extra ones are closed without an answer and counted, and a freed slot serves again', async () => {
      const held = [await raw(h.url), await raw(h.url)];
      // Both are really open on the server (a request each, headers only).
      for (const c of held) c.write(postHead('/v1/actions/assess-intent', { 'X-API-Key': CREDS.apiKey }, 100));
      while (h.bridge.inFlight.size < 2) await new Promise((resolve) => setTimeout(resolve, 20));

      const extra = await raw(h.url);
      extra.write('GET /healthz HTTP/1.1\r\nHost: bridge.test\r\n\r\n');
      await extra.closed;
      assert.equal(extra.received(), '', 'no answer on a refused connection');

      held[0]!.destroy();
      await held[0]!.closed;
      while (h.bridge.inFlight.size > 1) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal((await request(h.url).get('/healthz')).status, 200);
      const metrics = await request(h.url).get('/metrics').set('X-API-Key', CREDS.apiKey);
      assert.match(metrics.text, /^baton_http_connections_dropped_total 1$/m);
    });
  });

  describe('POST /oauth/token', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness();
    });
    after(() => h.close());

    it('when the Basic header is wrong, then 401 comes before the body is sent', async () => {
      const c = await raw(h.url);
      c.write(postHead('/oauth/token', { Authorization: basic(CREDS.oauthClientId, 'not-the-secret-0000'), 'Content-Type': 'application/x-www-form-urlencoded' }, 500));
      // Not one byte of the announced 500-byte body is sent.
      const text = await c.waitFor(/\r\n\r\n\{.*\}/);
      assert.match(text, /^HTTP\/1\.1 401 /);
      assert.match(text, /"error":"invalid_client"/);
    });

    it('when the Basic header is right, then the body is read and a token issued (as before)', async () => {
      const res = await request(h.url)
        .post('/oauth/token')
        .set('Authorization', basic(CREDS.oauthClientId, CREDS.oauthClientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      assert.equal(res.status, 200);
      assert.equal(typeof res.body.access_token, 'string');
    });
  });
});
