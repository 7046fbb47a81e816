import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, tokenFingerprint, type Sandbox } from '../src/index.js';
import { clientFor, fetchToken, manualClock, rawCall } from './helpers.js';

describe('Genesys request rules (token, permissions, budget, correlation, counters)', () => {
  let sb: Sandbox;
  const clock = manualClock();
  beforeEach(async () => {
    sb = await createSandbox({ conversations: 0, rateLimitPerMinute: 5, now: clock.now });
  });
  afterEach(() => sb.close());

  const path = (s: Sandbox): string => `/api/v2/conversations/messages/${s.scenarios.lowConfidence}`;

  it('when no bearer token is sent, then 401 with an ErrorBody whose contextId is the ININ-Correlation-Id header', async () => {
    const res = await rawCall<Models.ErrorBody>(sb.url, 'GET', path(sb));
    assert.equal(res.status, 401);
    assert.equal(res.body.status, 401);
    assert.equal(res.body.code, 'authentication.required');
    assert.equal(res.body.contextId, res.headers.get('inin-correlation-id'));
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'contextId', 'details', 'errors', 'message', 'status']);
  });

  it('when a token is unknown, then 401 bad.credentials', async () => {
    const res = await rawCall<Models.ErrorBody>(sb.url, 'GET', path(sb), { token: 'not-a-token' });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'bad.credentials');
  });

  it('when the client lacks the permission, then 403 naming it; endpoints that require none still work', async () => {
    const limited = sb.addClient({ permissions: ['routing:queue:view'] });
    const api = await clientFor(sb, limited.clientId, limited.clientSecret);
    const denied = await api.call<Models.ErrorBody>('POST', `${path(sb)}/messages/bulk`, []);
    assert.equal(denied.status, 403);
    assert.match(denied.body.message as string, /conversation:message:view/);
    assert.match(denied.body.message as string, /conversation:webmessaging:view/);
    // Genesys's ErrorBody carries the message as a template and its parameters too.
    const { messageWithParams, messageParams } = denied.body;
    assert.ok(messageWithParams && messageParams, JSON.stringify(denied.body));
    assert.equal(messageWithParams.replace(/\{(\w+)\}/g, (_m, k: string) => messageParams[k] ?? '?'), denied.body.message);
    const analytics = await api.call<Models.ErrorBody>('POST', '/api/v2/analytics/conversations/details/query', {});
    assert.match(analytics.body.message as string, /analytics:conversationDetail:view/);
    // "Requires NO permissions" in the SDK docs.
    assert.equal((await api.call('GET', path(sb))).status, 200);
    assert.equal((await api.call('GET', '/api/v2/routing/queues')).status, 200);
  });

  it('when a token exceeds its per-minute budget, then 429 too.many.requests.retry.after with Retry-After until the window ends', async () => {
    const api = await clientFor(sb);
    for (let i = 0; i < 5; i += 1) assert.equal((await api.call('GET', path(sb))).status, 200);
    clock.advance(20_000);
    const limited = await api.call<Models.ErrorBody>('GET', path(sb));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '40');
    assert.equal(limited.body.code, 'too.many.requests.retry.after');
    assert.equal(limited.body.message, 'Rate limit exceeded the maximum. Retry the request in [40] seconds');
    // Another token has its own budget.
    const other = await clientFor(sb);
    assert.equal((await other.call('GET', path(sb))).status, 200);
    clock.advance(40_000);
    assert.equal((await api.call('GET', path(sb))).status, 200);
  });

  it('when a client has its own rateLimitPerMinute, then that budget applies', async () => {
    const c = sb.addClient({ permissions: '*', rateLimitPerMinute: 1 });
    const api = await clientFor(sb, c.clientId, c.clientSecret);
    assert.equal((await api.call('GET', path(sb))).status, 200);
    assert.equal((await api.call('GET', path(sb))).status, 429);
  });

  it('when requests are made, then counters count them per route, token fingerprint, client and status, never by the raw token', async () => {
    const api = await clientFor(sb);
    await api.call('GET', path(sb));
    await api.call('GET', '/api/v2/conversations/messages/nope');
    await rawCall(sb.url, 'GET', path(sb));
    const snap = sb.counters.snapshot();
    assert.equal(snap.total, 4);
    assert.equal(snap.tokenRequests, 1);
    assert.deepEqual(snap.byRoute, { postToken: 1, getConversationsMessage: 3 });
    assert.deepEqual(snap.byToken, { [tokenFingerprint(api.token)]: 2 });
    assert.equal(snap.byClient[sb.clientId], 3);
    assert.deepEqual(snap.byStatus, { '200': 2, '404': 1, '401': 1 });
    assert.ok(!JSON.stringify(snap).includes(api.token));
    sb.counters.reset();
    assert.equal(sb.counters.snapshot().total, 0);
  });

  it('when a path is not emulated, then 404 ErrorBody with a correlation id and nothing counted', async () => {
    const t = await fetchToken(sb.url, sb.clientId, sb.clientSecret);
    const res = await rawCall<Models.ErrorBody>(sb.url, 'GET', '/api/v2/users/me', { token: t.body.access_token });
    assert.equal(res.status, 404);
    assert.equal(res.body.contextId, res.headers.get('inin-correlation-id'));
    assert.equal(sb.counters.snapshot().total, 1);
  });
});
