import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type Sandbox } from '../src/index.js';
import { clientFor } from './helpers.js';

const ALL_TIME = '2000-01-01T00:00:00.000Z/2100-01-01T00:00:00.000Z';

/** Issue #14, section 6: a client-credentials role is granted per division (docs/genesys-facts.md#divisions). */
describe('division-scoped OAuth clients', () => {
  let sb: Sandbox;
  const support = { id: 'a0000000-0000-4000-8000-00000000d1v5', name: 'Support' };
  let supportQueue: string;
  let inSupportQueue: string;
  before(async () => {
    sb = await createSandbox({ conversations: 0, analyticsLagMs: 0 });
    supportQueue = sb.queues[1]!.id;
    sb.org.moveQueueToDivision(supportQueue, support);
    inSupportQueue = sb.org.addConversation({ state: 'inQueue', queueId: supportQueue, botSession: { intent: 'Refund', confidence: 0.4 }, messages: [{ from: 'customer', text: 'Refund please' }] });
  });
  after(() => sb.close());

  const scoped = (divisions: string[]) => {
    const c = sb.addClient({ permissions: '*', divisions });
    return clientFor(sb, c.clientId, c.clientSecret);
  };

  it('when the role is granted in another division only, then a call on a Home conversation is 403 missing.division.permission, naming it', async () => {
    const api = await scoped([support.id]);
    const id = sb.scenarios.lowConfidence;
    for (const [method, path, body] of [
      ['GET', `/api/v2/conversations/messages/${id}`, undefined],
      ['POST', `/api/v2/conversations/messages/${id}/messages/bulk`, []],
      ['GET', `/api/v2/conversations/${id}`, undefined],
      ['PATCH', `/api/v2/routing/conversations/${id}`, { priority: 5 }],
    ] as const) {
      const res = await api.call<Models.ErrorBody>(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.code, 'missing.division.permission');
      assert.match(res.body.message ?? '', new RegExp(id));
    }
  });

  it('when the role is granted in Home only, then queues of another division are left out of the listing and refused one by one', async () => {
    const api = await scoped([sb.org.division.id]);
    const listing = await api.call<Models.QueueEntityListing>('GET', '/api/v2/routing/queues?pageSize=100');
    const ids = (listing.body.entities ?? []).map((q) => q.id);
    assert.ok(!ids.includes(supportQueue));
    assert.equal(ids.length, sb.queues.length - 1);
    assert.equal((await api.call('GET', `/api/v2/routing/queues/${supportQueue}`)).status, 403);
    // The full-access client still sees it, with its division.
    const all = await clientFor(sb);
    const queue = await all.call<Models.Queue>('GET', `/api/v2/routing/queues/${supportQueue}`);
    assert.equal(queue.body.division?.id, support.id);
  });

  it('when a transfer targets a queue in a division the role lacks, then 403 and nothing is transferred', async () => {
    const api = await scoped([sb.org.division.id]);
    const id = sb.scenarios.highConfidence;
    const flow = sb.org.getConversation(id)!.participants.find((p) => p.purpose === 'workflow')!;
    const before = sb.org.transfers.length;
    const res = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/${id}/participants/${flow.id}/replace/queue`, { queueId: supportQueue });
    assert.equal(res.status, 403);
    assert.equal(sb.org.transfers.length, before);
  });

  it('when a conversation was routed through a Support queue, then it belongs to Home and Support, and either grant reaches it', async () => {
    assert.deepEqual(sb.org.divisionsOf(inSupportQueue).sort(), [sb.org.division.id, support.id].sort());
    for (const divisions of [[support.id], [sb.org.division.id]]) {
      const api = await scoped(divisions);
      assert.equal((await api.call('GET', `/api/v2/conversations/messages/${inSupportQueue}`)).status, 200);
    }
  });

  it('when the role is granted in no division of a conversation, then analytics listings leave it out', async () => {
    const api = await scoped(['b0000000-0000-4000-8000-0000000000no']);
    const sessions = await api.call<Models.SessionsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?interval=${ALL_TIME}`);
    assert.equal(sessions.status, 200);
    assert.deepEqual(sessions.body.entities ?? [], []);
    const details = await api.call<Models.AnalyticsConversationQueryResponse>('POST', '/api/v2/analytics/conversations/details/query', { interval: ALL_TIME });
    assert.equal(details.body.totalHits, 0);
    const full = await clientFor(sb);
    const fullSessions = await full.call<Models.SessionsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?interval=${ALL_TIME}`);
    assert.ok((fullSessions.body.entities ?? []).length > 0);
  });
});
