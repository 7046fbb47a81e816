import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type AgentView, type Sandbox } from '../src/index.js';
import { guestOn, playBot, say, type BotHarness } from './bot-harness.js';
import { structured, type GuestClient } from './guest-client.js';
import { clientFor, rawCall, type TestClient } from './helpers.js';

describe('simulated agents', () => {
  let sb: Sandbox;
  let api: TestClient;
  let bot: BotHarness;
  const guests: GuestClient[] = [];

  /** A guest who asked the bot for a refund, then for a human: the bot has exited, the flow holds the conversation. */
  const customerAskingForAgent = async (): Promise<{ g: GuestClient; conversationId: string }> => {
    const g = await guestOn(sb);
    guests.push(g);
    g.send({ action: 'onMessage', token: g.token, message: { type: 'Text', text: 'I want a refund' }, channel: { metadata: { customAttributes: { customerTier: 'gold' } } } });
    await g.next(structured('Inbound', 'Text'));
    await g.next(structured('Outbound', 'Text'));
    await g.next(structured('Outbound', 'Text'));
    await say(g, 'I want to speak to an agent');
    const conversationId = sb.guest.conversationIdOf(g.token) as string;
    assert.equal(bot.sessions.get(conversationId)?.exit?.exitReason, 'AgentRequestedByUser');
    return { g, conversationId };
  };

  beforeEach(async () => {
    sb = await createSandbox({ conversations: 0, transferDelayMs: 0 });
    api = await clientFor(sb);
    bot = playBot(sb);
  });
  afterEach(async () => {
    bot.stop();
    await Promise.all(guests.splice(0).map((g) => g.close()));
    await sb.close();
  });

  it("when the flow transfers to a queue, then an agent of that queue answers: agent connected, acd disconnected, as GET /api/v2/conversations/messages/{id} shows", async () => {
    const { conversationId } = await customerAskingForAgent();
    const billing = sb.queues[1] as { id: string; name: string };
    const transfer = sb.org.transferToAcd(conversationId, billing.id, 7);
    assert.equal(transfer.queueId, billing.id);
    const view = await sb.agents.whenAnswered(conversationId);

    const conv = (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${conversationId}`)).body;
    const byPurpose = (purpose: string) => conv.participants?.filter((p) => p.purpose === purpose) ?? [];
    assert.deepEqual(
      byPurpose('acd').map((p) => [p.state, p.queue?.id]),
      [['disconnected', billing.id]],
    );
    assert.deepEqual(
      byPurpose('agent').map((p) => [p.state, p.queue?.id, p.user?.id]),
      [['connected', billing.id, view.agent.userId]],
    );
    assert.equal(view.agent.userId, sb.agents.agentsOf(billing.id)[0]?.id);
    assert.notEqual(sb.agents.agentsOf(billing.id)[0]?.id, sb.agents.agentsOf(sb.queues[0]?.id ?? '')[0]?.id);
  });

  it('when an agent answers, then the agent view holds the messages, the participant data, the queue and the priority, also over HTTP', async () => {
    const { conversationId } = await customerAskingForAgent();
    const billing = sb.queues[1] as { id: string; name: string };
    // What Baton (or the flow's Set Participant Data) writes before the transfer.
    const customer = sb.org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'customer');
    await api.call('PATCH', `/api/v2/conversations/messages/${conversationId}/participants/${customer?.id ?? ''}/attributes`, {
      attributes: { 'conversationDetails.participantData.Baton Summary': 'Refund; asked for an agent' },
    });
    sb.org.transferToAcd(conversationId, billing.id, 7);
    const view = await sb.agents.whenAnswered(conversationId);
    assert.deepEqual(view.queue, { id: billing.id, name: billing.name });
    assert.equal(view.priority, 7);
    assert.deepEqual(view.participantData, {
      customerTier: 'gold',
      'bot.intent': 'Refund',
      'bot.confidence': '1',
      'conversationDetails.participantData.Baton Summary': 'Refund; asked for an agent',
    });
    assert.deepEqual(
      view.messages.map((m) => [m.from, m.text]),
      [
        ['customer', 'I want a refund'],
        ['bot', 'Hi! I am the support bot. What can I help you with today?'],
        ['bot', 'What is your order number?'],
        ['customer', 'I want to speak to an agent'],
        ['bot', "I'll connect you with someone from our team."],
      ],
    );
    const http = await rawCall<AgentView>(sb.url, 'GET', `/__sandbox/agents/${conversationId}/view`);
    assert.equal(http.status, 200);
    assert.deepEqual(http.body, view);
    assert.equal((await rawCall(sb.url, 'GET', `/__sandbox/agents/${sb.scenarios.lowConfidence}/view`)).status, 404);
  });

  it('when the API transfers with replace/queue, then an agent answers that too', async () => {
    const { conversationId } = await customerAskingForAgent();
    const flow = sb.org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'workflow' && p.state === 'connected');
    const res = await api.call('POST', `/api/v2/conversations/${conversationId}/participants/${flow?.id ?? ''}/replace/queue`, { queueId: sb.queues[2]?.id });
    assert.equal(res.status, 202);
    const view = await sb.agents.whenAnswered(conversationId);
    assert.equal(view.queue.id, sb.queues[2]?.id);
  });

  it('when replace/queue is applied later (transferDelayMs), then the agent answers once it has been applied', async () => {
    await sb.close();
    sb = await createSandbox({ conversations: 0, transferDelayMs: 30 });
    api = await clientFor(sb);
    bot.stop();
    bot = playBot(sb);
    const { conversationId } = await customerAskingForAgent();
    const flow = sb.org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'workflow' && p.state === 'connected');
    await api.call('POST', `/api/v2/conversations/${conversationId}/participants/${flow?.id ?? ''}/replace/queue`, { queueId: sb.queues[3]?.id });
    // Accepted, not applied yet: nobody has answered.
    assert.equal(sb.agents.viewOf(conversationId), undefined);
    const view = await sb.agents.whenAnswered(conversationId);
    assert.equal(view.queue.id, sb.queues[3]?.id);
    assert.equal(sb.org.transfers.at(-1)?.conversationId, conversationId);
  });

  it('when a seeded conversation reaches a queue, then no agent answers it by itself (autoAnswer live); answer() does', async () => {
    const id = sb.scenarios.lowConfidence;
    sb.org.transferToAcd(id, sb.queues[0]?.id ?? '');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(sb.agents.viewOf(id), undefined);
    const answered = await rawCall<AgentView>(sb.url, 'POST', `/__sandbox/agents/${id}/answer`);
    assert.equal(answered.status, 200);
    assert.equal(answered.body.queue.id, sb.queues[0]?.id);
    assert.equal((await rawCall(sb.url, 'POST', `/__sandbox/agents/${id}/answer`)).status, 409);
  });

  it("when the agent's script has replies, then they reach the guest as Outbound Human messages; a reply over HTTP too", async () => {
    sb.agents.configure({ script: { replies: ['Hi, I am Sam. I see you want a refund.'] } });
    const { g, conversationId } = await customerAskingForAgent();
    sb.org.transferToAcd(conversationId, sb.queues[0]?.id ?? '');
    const view = await sb.agents.whenAnswered(conversationId);
    const scripted = await g.next(structured('Outbound', 'Text'));
    assert.deepEqual([scripted.body.text, scripted.body.originatingEntity, scripted.body.channel.from.nickname], ['Hi, I am Sam. I see you want a refund.', 'Human', view.agent.name]);
    // The view is what the agent saw when answering: the scripted reply came after.
    assert.equal(view.messages.some((m) => m.from === 'agent'), false);

    const sent = await rawCall<{ messageId: string }>(sb.url, 'POST', `/__sandbox/agents/${conversationId}/reply`, { body: { text: 'Refund approved.' } });
    assert.equal(sent.status, 201);
    const reply = await g.next(structured('Outbound', 'Text'));
    assert.deepEqual([reply.body.id, reply.body.text, reply.body.originatingEntity], [sent.body.messageId, 'Refund approved.', 'Human']);
  });

  it('when the agent disconnects, then the guest gets Presence Disconnect and its conversation is read-only', async () => {
    const { g, conversationId } = await customerAskingForAgent();
    assert.throws(() => sb.agents.disconnect(conversationId), /No agent is connected/);
    sb.org.transferToAcd(conversationId, sb.queues[0]?.id ?? '');
    await sb.agents.whenAnswered(conversationId);
    assert.equal((await rawCall(sb.url, 'POST', `/__sandbox/agents/${conversationId}/disconnect`)).status, 204);
    const presence = await g.next(structured('Outbound', 'Event'));
    assert.deepEqual([presence.body.events[0].presence.type, presence.body.metadata.readOnly], ['Disconnect', 'true']);
    g.sendText('hello?');
    const refused = await g.next((f) => f.type === 'response');
    assert.equal(refused.code, 400);
    assert.match(String(refused.body), /read-only/);
    const participants = sb.org.getConversation(conversationId)?.participants ?? [];
    assert.deepEqual(participants.filter((p) => p.state === 'connected'), []);
  });

  it('when a customer returns after the agent ended the conversation and is transferred again, then an agent answers again', async () => {
    const { conversationId } = await customerAskingForAgent();
    sb.org.transferToAcd(conversationId, sb.queues[0]?.id ?? '');
    await sb.agents.whenAnswered(conversationId);
    sb.agents.disconnect(conversationId);
    sb.org.customerReturns(conversationId, ['Hello again, my bill is wrong']);
    const billing = sb.queues[1]?.id ?? '';
    sb.org.transferToAcd(conversationId, billing, 3);
    for (let i = 0; i < 200 && sb.agents.viewOf(conversationId)?.queue.id !== billing; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const view = sb.agents.viewOf(conversationId);
    assert.deepEqual([view?.queue.id, view?.priority], [billing, 3]);
    assert.equal(view?.messages.at(-1)?.text, 'Hello again, my bill is wrong');
  });

  it('when the script says disconnect, then the agent ends the conversation after its replies', async () => {
    sb.agents.configure({ script: { replies: ['Done, goodbye.'], disconnect: true } });
    const { g, conversationId } = await customerAskingForAgent();
    sb.org.transferToAcd(conversationId, sb.queues[0]?.id ?? '');
    assert.equal((await g.next(structured('Outbound', 'Text'))).body.text, 'Done, goodbye.');
    assert.equal((await g.next(structured('Outbound', 'Event'))).body.events[0].presence.type, 'Disconnect');
  });
});
