import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type Sandbox } from '../src/index.js';
import { clientFor, type TestClient } from './helpers.js';

describe('routing API', () => {
  let sb: Sandbox;
  let api: TestClient;
  beforeEach(async () => {
    // Transfers apply at once here (the default 200 ms delay after the 202: conversations.test.ts).
    sb = await createSandbox({ conversations: 0, transferDelayMs: 0 });
    api = await clientFor(sb);
  });
  afterEach(() => sb.close());

  describe('GET /api/v2/routing/queues', () => {
    it('when paged with pageSize 2, then pageCount/total/nextUri describe every page and the pages cover every queue once', async () => {
      const seen: string[] = [];
      let path: string | undefined = '/api/v2/routing/queues?pageSize=2&pageNumber=1';
      let pages = 0;
      while (path) {
        const res: { status: number; body: Models.QueueEntityListing } = await api.call<Models.QueueEntityListing>('GET', path);
        assert.equal(res.status, 200);
        assert.equal(res.body.total, sb.queues.length);
        assert.equal(res.body.pageCount, Math.ceil(sb.queues.length / 2));
        seen.push(...(res.body.entities ?? []).map((q) => q.name as string));
        path = res.body.nextUri;
        pages += 1;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, sb.queues.map((q) => q.name).sort());
    });

    it('when filtered by name (exact, case-insensitive, or with a trailing asterisk), then only matching queues come back', async () => {
      const exact = await api.call<Models.QueueEntityListing>('GET', '/api/v2/routing/queues?name=support');
      assert.deepEqual(exact.body.entities?.map((q) => q.name), ['Support']);
      const prefix = await api.call<Models.QueueEntityListing>('GET', '/api/v2/routing/queues?name=S*');
      assert.deepEqual(prefix.body.entities?.map((q) => q.name), ['Sales', 'Support']);
      const none = await api.call<Models.QueueEntityListing>('GET', '/api/v2/routing/queues?name=Nope');
      assert.equal(none.body.total, 0);
      assert.equal(none.body.pageCount, 0);
    });

    it('when pageSize is out of range, then it answers 400 naming pageSize', async () => {
      const res = await api.call<Models.ErrorBody>('GET', '/api/v2/routing/queues?pageSize=0');
      assert.equal(res.status, 400);
      assert.equal(res.body.details?.[0]?.fieldName, 'pageSize');
    });
  });

  describe('GET /api/v2/routing/queues/{queueId}', () => {
    it('when the queue exists, then it returns the Queue; else 404', async () => {
      const q = sb.queues[0] as { id: string; name: string };
      const res = await api.call<Models.Queue>('GET', `/api/v2/routing/queues/${q.id}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.name, q.name);
      assert.equal(res.body.division?.name, 'Home');
      assert.equal((await api.call('GET', '/api/v2/routing/queues/nope')).status, 404);
    });
  });

  describe('PATCH /api/v2/routing/conversations/{conversationId}', () => {
    it('when the conversation waits in a queue, then the priority is stored and returned', async () => {
      const id = sb.scenarios.alreadyHandedOff;
      const res = await api.call<Models.RoutingConversationAttributesResponse>('PATCH', `/api/v2/routing/conversations/${id}`, { priority: 7 });
      assert.equal(res.status, 200);
      assert.equal(res.body.priority, 7);
      assert.equal(sb.org.priorityOf(id), 7);
    });

    it('when the conversation is still held by the bot, then 400 conversation.not.in.queue; after a transfer it works', async () => {
      const id = sb.scenarios.lowConfidence;
      const denied = await api.call<Models.ErrorBody>('PATCH', `/api/v2/routing/conversations/${id}`, { priority: 3 });
      assert.equal(denied.status, 400);
      assert.equal(denied.body.code, 'conversation.not.in.queue');
      assert.equal(sb.org.priorityOf(id), undefined);
      const flow = sb.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
      await api.call('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueId: sb.queues[0]?.id });
      assert.equal((await api.call('PATCH', `/api/v2/routing/conversations/${id}`, { priority: 3 })).status, 200);
      assert.equal(sb.org.priorityOf(id), 3);
    });

    it('when the priority changes in queue, then GET /api/v2/conversations/{id} shows it on the acd participant (conversationRoutingData), and keeps it after an agent answers', async () => {
      const id = sb.scenarios.alreadyHandedOff;
      await api.call('PATCH', `/api/v2/routing/conversations/${id}`, { priority: 7 });
      const acdOf = async () => (await api.call<Models.Conversation>('GET', `/api/v2/conversations/${id}`)).body.participants?.find((p) => p.purpose === 'acd');
      const waiting = await acdOf();
      assert.equal(waiting?.conversationRoutingData?.priority, 7);
      assert.equal(waiting?.conversationRoutingData?.queue?.id, waiting?.queueId);
      await sb.agents.answer(id);
      const answered = await acdOf();
      assert.ok(answered?.endTime, 'the acd participant ended when the agent answered');
      assert.equal(answered?.conversationRoutingData?.priority, 7);
    });

    it('when the priority is not an integer, then 400 naming priority; unknown conversation, then 404', async () => {
      const res = await api.call<Models.ErrorBody>('PATCH', `/api/v2/routing/conversations/${sb.scenarios.alreadyHandedOff}`, { priority: 1.5 });
      assert.equal(res.status, 400);
      assert.equal(res.body.details?.[0]?.fieldName, 'body.priority');
      assert.equal((await api.call('PATCH', '/api/v2/routing/conversations/nope', { priority: 1 })).status, 404);
    });
  });
});
