import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type Sandbox } from '../src/index.js';
import { clientFor, UUID_RE, type TestClient } from './helpers.js';

type MessageDataWire = Models.MessageData & { textBody?: string };

function messageIds(conv: Models.MessageConversation): string[] {
  return [...new Set((conv.participants ?? []).flatMap((p) => (p.messages ?? []).map((m) => m.messageId as string)))];
}

describe('conversations API', () => {
  let sb: Sandbox;
  let api: TestClient;
  beforeEach(async () => {
    // Transfers apply at once here, except where a test says otherwise: these tests are about what a
    // transfer does; when it does it (200 ms after the 202 by default) is tested below.
    sb = await createSandbox({ conversations: 3, transferDelayMs: 0 });
    api = await clientFor(sb);
  });
  afterEach(() => sb.close());

  describe('GET /api/v2/conversations/messages/{conversationId}', () => {
    it('when the conversation is bot-held, then it lists customer and connected flow participants with message ids but no text', async () => {
      const res = await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}`);
      assert.equal(res.status, 200);
      const purposes = res.body.participants?.map((p) => `${p.purpose}:${p.state}`);
      assert.deepEqual(purposes, ['customer:connected', 'workflow:connected']);
      const customer = res.body.participants?.[0];
      assert.deepEqual(customer?.attributes, { 'bot.intent': 'CancelOrder', 'bot.confidence': '0.42' });
      assert.equal(customer?.messages?.length, 6);
      for (const m of customer?.messages ?? []) {
        assert.match(m.messageId as string, UUID_RE);
        assert.ok(m.messageTime);
        assert.equal((m as Record<string, unknown>)['textBody'], undefined);
      }
    });

    it('when the id is unknown, then it answers 404 in ErrorBody form with contextId = ININ-Correlation-Id', async () => {
      const res = await api.call<Models.ErrorBody>('GET', '/api/v2/conversations/messages/4f0e2a1c-0000-4000-8000-000000000000');
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'not.found');
      assert.deepEqual(res.body.details, []);
      assert.deepEqual(res.body.errors, []);
      assert.equal(res.body.contextId, res.headers.get('inin-correlation-id'));
    });

    it('when the scenario is outOfOrder, then participants[].messages are not in timestamp order and include a receipt and an event', async () => {
      const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${sb.scenarios.outOfOrder}`)).body;
      const times = (conv.participants?.[0]?.messages ?? []).map((m) => Date.parse(m.messageTime as string));
      assert.notDeepEqual(times, [...times].sort((a, b) => a - b));
      const bulk = await api.call<Models.TextMessageListing>('POST', `/api/v2/conversations/messages/${sb.scenarios.outOfOrder}/messages/bulk`, messageIds(conv));
      const types = bulk.body.entities?.map((m) => m.normalizedMessage?.type).sort();
      assert.deepEqual(types, ['Event', 'Receipt', 'Text', 'Text', 'Text', 'Text', 'Text']);
    });
  });

  describe('POST /api/v2/conversations/messages/{conversationId}/messages/bulk', () => {
    it('when given the listed ids, then it returns MessageData with direction and originatingEntity, textBody unless useNormalizedMessage', async () => {
      const id = sb.scenarios.lowConfidence;
      const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      const ids = messageIds(conv);
      const res = await api.call<Models.TextMessageListing>('POST', `/api/v2/conversations/messages/${id}/messages/bulk`, ids);
      assert.equal(res.status, 200);
      const entities = (res.body.entities ?? []) as MessageDataWire[];
      assert.equal(entities.length, 6);
      const first = entities.find((m) => m.normalizedMessage?.text === 'Hi');
      assert.equal(first?.direction, 'inbound');
      assert.equal(first?.textBody, 'Hi');
      const bot = entities.find((m) => m.direction === 'outbound');
      assert.equal(bot?.normalizedMessage?.originatingEntity, 'Bot');
      const normalized = await api.call<Models.TextMessageListing>('POST', `/api/v2/conversations/messages/${id}/messages/bulk?useNormalizedMessage=true`, ids);
      assert.ok(((normalized.body.entities ?? []) as MessageDataWire[]).every((m) => m.textBody === undefined && m.normalizedMessage?.text !== undefined));
    });

    it('when the body has more than 1,000 ids, then it answers 400 naming the body', async () => {
      const ids = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
      const res = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}/messages/bulk`, ids);
      assert.equal(res.status, 400);
      assert.equal(res.body.details?.[0]?.fieldName, 'body');
    });

    it('when the body is not JSON, then it answers 400 with details and an ErrorBody', async () => {
      const res = await fetch(`${sb.url}/api/v2/conversations/messages/${sb.scenarios.lowConfidence}/messages/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
        body: '["a", ',
      });
      const body = (await res.json()) as Models.ErrorBody;
      assert.equal(res.status, 400);
      assert.equal(body.details?.[0]?.fieldName, 'body');
      assert.equal(body.contextId, res.headers.get('inin-correlation-id'));
    });

    it('when the body is larger than 512000 bytes, then it answers 413', async () => {
      const ids = Array.from({ length: 1000 }, () => 'x'.repeat(600));
      const res = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}/messages/bulk`, ids);
      assert.equal(res.status, 413);
      assert.equal(res.body.status, 413);
    });
  });

  describe('PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes', () => {
    it('when attributes are patched twice, then they merge and persist', async () => {
      const id = sb.scenarios.lowConfidence;
      const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      const pid = conv.participants?.[0]?.id as string;
      const path = `/api/v2/conversations/messages/${id}/participants/${pid}/attributes`;
      assert.equal((await api.call('PATCH', path, { attributes: { a: '1' } })).status, 200);
      const res = await api.call<Models.ParticipantAttributes>('PATCH', path, { attributes: { b: '2', a: '3' } });
      assert.deepEqual(res.body.attributes, { 'bot.intent': 'CancelOrder', 'bot.confidence': '0.42', a: '3', b: '2' });
      const again = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      assert.equal(again.participants?.[0]?.attributes?.['b'], '2');
      assert.equal(sb.org.customerAttributes(id)?.['a'], '3');
    });

    it('when a value is not a string, then it answers 400 naming the attribute', async () => {
      const id = sb.scenarios.lowConfidence;
      const pid = sb.org.getConversation(id)?.participants[0]?.id as string;
      const res = await api.call<Models.ErrorBody>('PATCH', `/api/v2/conversations/messages/${id}/participants/${pid}/attributes`, { attributes: { n: 1 } });
      assert.equal(res.status, 400);
      assert.equal(res.body.details?.[0]?.fieldName, 'body.attributes.n');
    });

    it('when the participant is unknown, then it answers 404', async () => {
      const res = await api.call('PATCH', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}/participants/nope/attributes`, { attributes: { a: 'b' } });
      assert.equal(res.status, 404);
    });
  });

  describe('POST /api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue', () => {
    it('when called on the flow participant, then the flow disconnects, an ACD participant joins the queue and the transfer is logged', async () => {
      const id = sb.scenarios.highConfidence;
      const flow = sb.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
      const queue = sb.queues[2] as { id: string; name: string };
      const res = await api.call('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueId: queue.id });
      assert.equal(res.status, 202);
      assert.equal(res.text, '');
      const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      const byPurpose = Object.fromEntries((conv.participants ?? []).map((p) => [p.purpose, p]));
      assert.equal(byPurpose['workflow']?.state, 'disconnected');
      assert.equal(byPurpose['acd']?.state, 'connected');
      assert.equal(byPurpose['acd']?.queue?.id, queue.id);
      assert.equal(sb.org.transfers.length, 1);
      assert.deepEqual({ ...sb.org.transfers[0], at: undefined }, { conversationId: id, participantId: flow?.id, queueId: queue.id, at: undefined, clientId: sb.clientId });
      assert.equal(sb.org.priorityOf(id), 0);
    });

    it('when the target is given by queueName, then it resolves the queue', async () => {
      const id = sb.scenarios.noIntent;
      const flow = sb.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
      const res = await api.call('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueName: 'Billing' });
      assert.equal(res.status, 202);
      assert.equal(sb.org.transfers[0]?.queueId, sb.queues.find((q) => q.name === 'Billing')?.id);
    });

    it('when the conversation is no longer held by a flow, then it answers 400 conversation.not.held.by.flow and logs nothing', async () => {
      const id = sb.scenarios.alreadyHandedOff;
      const flow = sb.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
      const res = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueId: sb.queues[0]?.id });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'conversation.not.held.by.flow');
      assert.equal(sb.org.transfers.length, 0);
    });

    it('when transferred twice, then the second answers 400 (exactly one transfer)', async () => {
      const id = sb.scenarios.lowConfidence;
      const flow = sb.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
      const path = `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`;
      assert.equal((await api.call('POST', path, { queueId: sb.queues[0]?.id })).status, 202);
      assert.equal((await api.call('POST', path, { queueId: sb.queues[0]?.id })).status, 400);
      assert.equal(sb.org.transfers.length, 1);
    });

    it('when the participant is the customer, then it answers 400 participant.not.transferable', async () => {
      const id = sb.scenarios.lowConfidence;
      const customer = sb.org.getConversation(id)?.participants[0];
      const res = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/${id}/participants/${customer?.id}/replace/queue`, { queueId: sb.queues[0]?.id });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'participant.not.transferable');
    });

    it('when the participant is unknown, then 404; when the body names no queue or an unknown one, then 400 naming the field', async () => {
      const id = sb.scenarios.lowConfidence;
      const flow = sb.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
      assert.equal((await api.call('POST', `/api/v2/conversations/${id}/participants/nope/replace/queue`, { queueId: sb.queues[0]?.id })).status, 404);
      const none = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, {});
      assert.equal(none.status, 400);
      assert.equal(none.body.details?.[0]?.fieldName, 'body.queueId');
      const unknown = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueId: 'nope' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.details?.[0]?.fieldName, 'queueId');
    });
  });

  describe('GET /api/v2/conversations/{conversationId} and POST .../communications/{communicationId}/messages', () => {
    it('when a message is sent on the flow communication, then it returns MessageData and the message appears in the conversation', async () => {
      const id = sb.scenarios.lowConfidence;
      const conv = (await api.call<Models.Conversation>('GET', `/api/v2/conversations/${id}`)).body;
      const flow = conv.participants.find((p) => p.purpose === 'workflow');
      const communicationId = flow?.messages?.[0]?.id as string;
      assert.match(communicationId, UUID_RE);
      const res = await api.call<MessageDataWire>('POST', `/api/v2/conversations/messages/${id}/communications/${communicationId}/messages`, { textBody: 'An agent will be with you shortly.' });
      assert.equal(res.status, 200);
      assert.equal(res.body.direction, 'outbound');
      assert.equal(res.body.textBody, 'An agent will be with you shortly.');
      const after = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      assert.ok(messageIds(after).includes(res.body.id as string));
      assert.equal(sb.org.sentMessages.length, 1);
      assert.equal(sb.org.sentMessages[0]?.text, 'An agent will be with you shortly.');
    });

    it('when sent on the customer communication, then 400; on an unknown one, then 404; with an empty textBody, then 400', async () => {
      const id = sb.scenarios.lowConfidence;
      const c = sb.org.getConversation(id);
      const customerComm = c?.participants[0]?.communicationId;
      const flowComm = c?.participants[1]?.communicationId;
      assert.equal((await api.call('POST', `/api/v2/conversations/messages/${id}/communications/${customerComm}/messages`, { textBody: 'x' })).status, 400);
      assert.equal((await api.call('POST', `/api/v2/conversations/messages/${id}/communications/nope/messages`, { textBody: 'x' })).status, 404);
      const empty = await api.call<Models.ErrorBody>('POST', `/api/v2/conversations/messages/${id}/communications/${flowComm}/messages`, { textBody: '' });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.details?.[0]?.fieldName, 'textBody');
      assert.equal(sb.org.sentMessages.length, 0);
    });

    it('when the id is unknown, then GET /api/v2/conversations/{id} answers 404', async () => {
      assert.equal((await api.call('GET', '/api/v2/conversations/nope')).status, 404);
    });
  });
  describe('what a real org has: a transfer applied after its 202, a customer who comes back', () => {
    it('when replace/queue is accepted, then by default the conversation shows the flow until 200 ms later, and the queue after', async () => {
      let now = Date.parse('2031-01-01T00:00:00Z');
      const late = await createSandbox({ conversations: 0, now: () => now });
      try {
        const lateApi = await clientFor(late);
        const id = late.scenarios.lowConfidence;
        const flow = late.org.getConversation(id)?.participants.find((p) => p.purpose === 'workflow');
        const res = await lateApi.call('POST', `/api/v2/conversations/${id}/participants/${flow?.id}/replace/queue`, { queueId: late.queues[0]?.id });
        assert.equal(res.status, 202);
        const purposes = async () =>
          ((await lateApi.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body.participants ?? []).map((p) => `${p.purpose}:${p.state}`);
        assert.deepEqual(await purposes(), ['customer:connected', 'workflow:connected'], 'accepted, not applied yet');
        const early = await lateApi.call<Models.ErrorBody>('PATCH', `/api/v2/routing/conversations/${id}`, { priority: 5 });
        assert.equal(early.status, 400, 'not in queue yet: the priority is refused');
        now += 199;
        assert.deepEqual(await purposes(), ['customer:connected', 'workflow:connected']);
        now += 1;
        assert.deepEqual(await purposes(), ['customer:connected', 'workflow:disconnected', 'acd:connected']);
        assert.equal(late.org.transfers.length, 1);
      } finally {
        await late.close();
      }
    });

    it('when the returningCustomer scenario is read, then one conversation id holds both sessions: the first disconnected, a new customer and flow connected, messages of both listed', async () => {
      const id = sb.scenarios.returningCustomer;
      const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      assert.deepEqual(
        (conv.participants ?? []).map((p) => `${p.purpose}:${p.state}`),
        ['customer:disconnected', 'workflow:disconnected', 'acd:disconnected', 'agent:disconnected', 'customer:connected', 'workflow:connected'],
      );
      const firstEnded = Math.max(...(conv.participants ?? []).slice(0, 4).map((p) => Date.parse(p.endTime ?? '')));
      const flow = conv.participants?.[5];
      assert.ok(firstEnded < Date.parse(flow?.connectedTime ?? ''), 'the second session starts after the first ended');
      assert.equal(messageIds(conv).length, 4 + 3);
    });

    it('when org.customerReturns runs on a handed-off conversation, then the earlier session disconnects and a new customer writes to a new flow participant', async () => {
      const id = sb.scenarios.alreadyHandedOff;
      const before = messageIds((await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body).length;
      const { customer, flow } = sb.org.customerReturns(id, ['Me again']);
      const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${id}`)).body;
      const connected = (conv.participants ?? []).filter((p) => p.state === 'connected').map((p) => p.id);
      assert.deepEqual(connected, [customer.id, flow.id]);
      assert.equal(messageIds(conv).length, before + 1);
      assert.equal(sb.org.customerAttributes(id), customer.attributes, 'participant data is the current customer\'s');
    });
  });
});
