import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type Sandbox } from '../src/index.js';
import { clientFor, manualClock, rawCall, type TestClient } from './helpers.js';

describe('fault injection', () => {
  let sb: Sandbox;
  let api: TestClient;
  const slept: number[] = [];
  beforeEach(async () => {
    slept.length = 0;
    sb = await createSandbox({
      conversations: 0,
      latencyMs: 5,
      // Sleep seam: record the latency instead of waiting for it.
      sleep: async (ms) => {
        slept.push(ms);
      },
      random: () => 0.5,
    });
    api = await clientFor(sb);
  });
  afterEach(() => sb.close());

  const path = (s: Sandbox): string => `/api/v2/conversations/messages/${s.scenarios.lowConfidence}`;

  it('when a latency rule with jitter matches, then the request is delayed by ms + jitter plus the base latency, and /oauth/token gets no base latency', async () => {
    sb.faults.add({ route: 'getConversationsMessage', kind: 'latency', ms: 100, jitterMs: 50 });
    assert.deepEqual(slept, []);
    assert.equal((await api.call('GET', path(sb))).status, 200);
    assert.deepEqual(slept, [125, 5]);
  });

  it('when an endlessPaging rule matches the bot-flow sessions, then every page is empty and carries a new nextUri until the rule is used up', async () => {
    sb.faults.add({ route: 'getAnalyticsBotflowSessions', kind: 'endlessPaging', times: 5 });
    const seen = new Set<string>();
    let next: string | undefined = `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?pageSize=2`;
    for (let i = 0; i < 5; i += 1) {
      const res: { status: number; body: Models.SessionsResponse } = await api.call<Models.SessionsResponse>('GET', next!);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.entities, []);
      assert.ok(res.body.nextUri && !seen.has(res.body.nextUri), `page ${i} has a fresh nextUri`);
      seen.add(res.body.nextUri);
      next = res.body.nextUri;
    }
    const first = await api.call<Models.SessionsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?pageSize=250`);
    assert.equal(first.body.entities?.length, sb.org.botSessions().length, 'used up: back to the real listing');
    assert.equal(first.body.nextUri, undefined);
  });

  it('when a 503 rule has times: 2, then exactly two matching requests fail in ErrorBody form', async () => {
    sb.faults.add({ route: 'getConversationsMessage', kind: 'status', status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api.call<Models.ErrorBody>('GET', path(sb))).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.equal(sb.counters.snapshot().byStatus['503'], 2);
  });

  it('when a 429 storm is scripted, then each answer carries Retry-After and the normalized 429 body', async () => {
    const remove = sb.faults.add({ route: '*', kind: 'status', status: 429, retryAfterSeconds: 7 });
    const res = await api.call<Models.ErrorBody>('GET', '/api/v2/routing/queues');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.body.message, 'Rate limit exceeded the maximum. Retry the request in [7] seconds');
    remove();
    assert.equal((await api.call('GET', '/api/v2/routing/queues')).status, 200);
  });

  it('when a rule is scoped to a client, then other clients are unaffected', async () => {
    const other = sb.addClient({ permissions: '*' });
    const otherApi = await clientFor(sb, other.clientId, other.clientSecret);
    sb.faults.add({ clientId: other.clientId, kind: 'status', status: 500 });
    assert.equal((await api.call('GET', path(sb))).status, 200);
    assert.equal((await otherApi.call('GET', path(sb))).status, 500);
  });

  it('when probability is below the random draw, then the rule does not apply', async () => {
    sb.faults.add({ kind: 'status', status: 502, probability: 0.4 });
    assert.equal((await api.call('GET', path(sb))).status, 200);
    sb.faults.clear();
    sb.faults.add({ kind: 'status', status: 502, probability: 0.6 });
    assert.equal((await api.call('GET', path(sb))).status, 502);
  });

  it('when a reset rule matches, then the socket is destroyed and the client sees a network error', async () => {
    sb.faults.add({ route: 'getConversationsMessage', kind: 'reset', times: 1 });
    await assert.rejects(fetch(`${sb.url}${path(sb)}`, { headers: { authorization: `Bearer ${api.token}` } }), TypeError);
    assert.equal(sb.counters.snapshot().byStatus['reset'], 1);
    assert.equal((await api.call('GET', path(sb))).status, 200);
  });

  it('when a malformed rule matches, then the 200 body is not parseable JSON', async () => {
    sb.faults.add({ route: 'getConversationsMessage', kind: 'malformed', times: 1 });
    const res = await fetch(`${sb.url}${path(sb)}`, { headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  it('when a revokeToken rule matches, then that call and every later call with the token get 401', async () => {
    sb.faults.add({ route: 'getRoutingQueues', kind: 'revokeToken', times: 1 });
    assert.equal((await api.call('GET', '/api/v2/routing/queues')).status, 401);
    assert.equal((await api.call('GET', path(sb))).status, 401);
    const fresh = await clientFor(sb);
    assert.equal((await fresh.call('GET', path(sb))).status, 200);
  });

  it('when a fault hits /oauth/token, then the login itself fails', async () => {
    sb.faults.add({ route: 'postToken', kind: 'status', status: 503, times: 1 });
    await assert.rejects(clientFor(sb), /503/);
  });

  it('when a rule is invalid, then add() throws', () => {
    assert.throws(() => sb.faults.add({ kind: 'status' }));
  });
});

describe('harness control routes (/__sandbox)', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await createSandbox({ conversations: 0 });
  });
  afterEach(() => sb.close());

  it('when a fault is posted over HTTP, then it applies; DELETE clears it; counters are readable and resettable without a token', async () => {
    const api = await clientFor(sb);
    const added = await rawCall(sb.url, 'POST', '/__sandbox/faults', { body: { route: 'getRoutingQueues', kind: 'status', status: 504 } });
    assert.equal(added.status, 201);
    assert.equal((await api.call('GET', '/api/v2/routing/queues')).status, 504);
    assert.equal((await rawCall(sb.url, 'DELETE', '/__sandbox/faults')).status, 204);
    assert.equal((await api.call('GET', '/api/v2/routing/queues')).status, 200);
    const counters = await rawCall<{ byRoute: Record<string, number> }>(sb.url, 'GET', '/__sandbox/counters');
    assert.equal(counters.body.byRoute['getRoutingQueues'], 2);
    assert.equal((await rawCall(sb.url, 'POST', '/__sandbox/counters/reset')).status, 204);
    assert.equal(sb.counters.snapshot().total, 0);
  });

  it('when a bad rule is posted, then 400 naming the field', async () => {
    const res = await rawCall<Models.ErrorBody>(sb.url, 'POST', '/__sandbox/faults', { body: { kind: 'status', status: 418 } });
    assert.equal(res.status, 400);
    assert.equal(res.body.details?.[0]?.fieldName, 'body.status');
  });

  it('when a fixture is posted, then the conversation exists; transfers are listed', async () => {
    const res = await rawCall<{ conversationId: string }>(sb.url, 'POST', '/__sandbox/conversations', {
      body: { messages: [{ from: 'customer', text: 'hello' }], participantData: { 'bot.intent': 'X' } },
    });
    assert.equal(res.status, 201);
    assert.equal(sb.org.getConversation(res.body.conversationId)?.messages.length, 1);
    const bad = await rawCall(sb.url, 'POST', '/__sandbox/conversations', { body: { messages: [{ from: 'robot', text: 'x' }] } });
    assert.equal(bad.status, 400);
    const transfers = await rawCall<{ transfers: unknown[] }>(sb.url, 'GET', '/__sandbox/state/transfers');
    assert.deepEqual(transfers.body, { transfers: [] });
  });
});

describe('fault injection: transfers Genesys accepts (202) but applies late or never', () => {
  let sb: Sandbox;
  let api: TestClient;
  beforeEach(async () => {
    sb = await createSandbox({ conversations: 0, sleep: async () => {} });
    api = await clientFor(sb);
  });
  afterEach(() => sb.close());

  const states = async (org: Sandbox, client: TestClient, id: string) => {
    const conv = (await client.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
    return Object.fromEntries((conv.participants ?? []).map((p) => [p.purpose, p.state]));
  };
  const transfer = (org: Sandbox, client: TestClient, id: string) => {
    const flow = org.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
    return client.call('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueId: org.queues[0]!.id });
  };

  it('when transferNotApplied matches, then replace/queue answers 202 and the flow keeps the conversation', async () => {
    sb.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferNotApplied', times: 1 });
    const id = sb.scenarios.lowConfidence;
    assert.equal((await transfer(sb, api, id)).status, 202);
    assert.deepEqual(await states(sb, api, id), { customer: 'connected', workflow: 'connected' });
    assert.equal(sb.org.transfers.length, 0);
  });

  it('when transferDelayed matches, then replace/queue answers 202 and the conversation shows the queue only once the delay has passed', async () => {
    const clock = manualClock();
    const delayed = await createSandbox({ conversations: 0, now: clock.now, sleep: async () => {} });
    try {
      const client = await clientFor(delayed);
      delayed.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferDelayed', ms: 1200, times: 1 });
      const id = delayed.scenarios.lowConfidence;
      assert.equal((await transfer(delayed, client, id)).status, 202);
      clock.advance(1000);
      assert.equal((await states(delayed, client, id))['workflow'], 'connected');
      clock.advance(200);
      assert.deepEqual(await states(delayed, client, id), { customer: 'connected', workflow: 'disconnected', acd: 'connected' });
      assert.equal(delayed.org.transfers.length, 1);
    } finally {
      await delayed.close();
    }
  });

  it('when transferDelayed has no ms, then the rule is refused', () => {
    assert.throws(() => sb.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferDelayed' }), /needs `ms`/);
  });
});
