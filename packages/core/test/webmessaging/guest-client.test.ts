import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { createManualClock } from '@baton/core/testing';
import { createGuestClient, GuestApiError, webMessagingOriginFor, type GuestClient, type GuestClientEvent } from '../../src/webmessaging/guest-client.js';

/** Collects a client's events and waits for the first one matching. */
function recorder(client: GuestClient) {
  const events: GuestClientEvent[] = [];
  const waiters: { match: (e: GuestClientEvent) => boolean; resolve: (e: GuestClientEvent) => void }[] = [];
  client.on((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  return {
    events,
    next<K extends GuestClientEvent['kind']>(kind: K, match: (e: Extract<GuestClientEvent, { kind: K }>) => boolean = () => true): Promise<Extract<GuestClientEvent, { kind: K }>> {
      const found = events.find((e) => e.kind === kind && match(e as Extract<GuestClientEvent, { kind: K }>));
      if (found) return Promise.resolve(found as Extract<GuestClientEvent, { kind: K }>);
      return new Promise((resolve) => waiters.push({ match: (e) => e.kind === kind && match(e as Extract<GuestClientEvent, { kind: K }>), resolve: resolve as (e: GuestClientEvent) => void }));
    },
    texts: () => events.flatMap((e) => (e.kind === 'text' ? [`${e.from}: ${e.text}`] : [])),
  };
}

describe('Web Messaging Guest API client (core) against the sandbox over a real WebSocket', () => {
  let sb: Sandbox;
  const clients: GuestClient[] = [];
  const open = (options: Partial<Parameters<typeof createGuestClient>[0]> = {}) => {
    const c = createGuestClient({ origin: sb.webMessagingUrl, deploymentId: sb.deploymentId, heartbeatMs: 0, reorderWindowMs: 0, ...options });
    clients.push(c);
    return c;
  };
  before(async () => {
    sb = await createSandbox({ conversations: 0, transferDelayMs: 0 });
    sb.agents.configure({ autoAnswer: 'none' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    sb.guest.faults.clear();
  });
  after(() => sb.close());

  it('names the real endpoint from the region: wss://webmessaging.<domain>/v1?deploymentId=', () => {
    const c = createGuestClient({ origin: webMessagingOriginFor('eu_west_1')!, deploymentId: 'dep-1', heartbeatMs: 0 });
    assert.equal(c.endpoint, 'wss://webmessaging.mypurecloud.ie/v1?deploymentId=dep-1');
    assert.equal(webMessagingOriginFor('nowhere'), undefined);
  });

  it('when it configures a session and sends text, then the echo answers the send and the bot and the agent messages arrive as bot and agent', async () => {
    const c = open();
    const r = recorder(c);
    const info = await c.connect();
    assert.deepEqual([info.connected, info.newSession, info.readOnly], [true, true, false]);
    sb.guest.onGuestMessage((e) => {
      if (e.kind === 'text' && e.text === 'hello') sb.guest.sendOutbound(e.conversationId, { text: 'Hi, I am the bot', originatingEntity: 'Bot' });
    });
    const echo = await c.sendText('hello', { accountId: 'A-1' });
    assert.equal(echo.from, 'guest');
    assert.equal(echo.text, 'hello');
    const conversationId = sb.guest.conversationIdOf(c.token)!;
    // The echo's id is the org's message id (what the details route maps to the conversation).
    assert.equal(sb.org.getConversation(conversationId)?.messages.some((m) => m.id === echo.id), true);
    assert.deepEqual(sb.org.customerAttributes(conversationId), { accountId: 'A-1' });
    const bot = await r.next('text', (e) => e.from === 'bot');
    assert.equal(bot.text, 'Hi, I am the bot');

    const conv = sb.org.getConversation(conversationId)!;
    const flow = conv.participants.find((p) => p.purpose !== 'customer')!;
    const res = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const transfer = await fetch(`${sb.url}/api/v2/conversations/${conversationId}/participants/${flow.id}/replace/queue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ queueId: sb.queues[0]!.id }),
    });
    assert.equal(transfer.status, 202);
    // This test is the agent: the sandbox's own agents would answer a live conversation too (a race).
    const agent = sb.org.connectAgent(conversationId);
    sb.guest.sendOutbound(conversationId, { text: 'Agent here', originatingEntity: 'Human' });
    const human = await r.next('text', (e) => e.from === 'agent');
    assert.deepEqual([human.text, human.nickname], ['Agent here', agent.name]);
    assert.deepEqual(r.texts(), ['guest: hello', 'bot: Hi, I am the bot', 'agent: Agent here']);
  });

  /** The global WebSocket, counting the `echo` requests the client sends. */
  function countingWebSocket() {
    const sent: string[] = [];
    class Counting extends WebSocket {
      override send(data: string) {
        sent.push((JSON.parse(data) as { action: string }).action);
        super.send(data);
      }
    }
    return { WebSocket: Counting as typeof WebSocket, echoes: () => sent.filter((a) => a === 'echo').length };
  }

  it('when the heartbeat interval passes, then it sends an echo, the service answers it and no conversation message is made', async () => {
    const clock = createManualClock();
    const ws = countingWebSocket();
    const c = open({ clock, heartbeatMs: 60_000, WebSocket: ws.WebSocket });
    const r = recorder(c);
    await c.connect();
    const published: string[] = [];
    sb.guest.onGuestMessage((e) => published.push(e.kind));
    clock.advance(59_999);
    assert.equal(ws.echoes(), 0);
    clock.advance(1);
    assert.equal(ws.echoes(), 1);
    // An explicit echo sent after it is answered after it: the heartbeat's answer came back.
    await c.echo();
    clock.advance(60_000);
    assert.equal(ws.echoes(), 3);
    await c.echo();
    assert.deepEqual(published, []);
    assert.deepEqual(r.events.filter((e) => e.kind === 'text' || e.kind === 'error'), []);
  });

  it('never beats faster than the official SDK allows itself (30 s), whatever it is asked', async () => {
    const clock = createManualClock();
    const ws = countingWebSocket();
    const c = open({ clock, heartbeatMs: 10, WebSocket: ws.WebSocket });
    await c.connect();
    clock.advance(29_999);
    assert.equal(ws.echoes(), 0);
    clock.advance(1);
    assert.equal(ws.echoes(), 1);
  });

  it('when the same token connects again, then it resumes the session (newSession false) in the same conversation', async () => {
    const first = open();
    await first.connect();
    await first.sendText('before');
    const conversationId = sb.guest.conversationIdOf(first.token);
    await first.close();

    const again = open({ token: first.token });
    const info = await again.connect();
    assert.equal(info.newSession, false);
    await again.sendText('after');
    assert.equal(sb.guest.conversationIdOf(again.token), conversationId);
    const texts = sb.org.getConversation(conversationId!)!.messages.filter((m) => m.from === 'customer' && m.kind === 'text').map((m) => m.text);
    assert.deepEqual(texts, ['before', 'after']);
  });

  it('when the org disconnects, then a Presence Disconnect makes it read-only and a later send fails with the error code and text', async () => {
    const c = open();
    const r = recorder(c);
    await c.connect();
    await c.sendText('hi');
    sb.guest.disconnect(sb.guest.conversationIdOf(c.token)!);
    const presence = await r.next('presence');
    assert.deepEqual([presence.presence, presence.readOnly], ['Disconnect', true]);
    assert.equal(c.readOnly, true);
    await assert.rejects(c.sendText('anyone?'), (e: unknown) => e instanceof GuestApiError && e.code === 400 && /read-only/.test(e.message));
    const error = await r.next('error');
    assert.equal(error.code, 400);
    assert.match(error.message, /read-only/);
  });

  it('surfaces error frames with their code and text: an unknown deployment, a 429 with retryAfter, a text too long', async () => {
    const wrong = open({ deploymentId: 'no-such-deployment' });
    await assert.rejects(wrong.connect(), (e: unknown) => e instanceof GuestApiError && e.code === 400 && e.message.includes('Deployment not found'));

    const c = open();
    const r = recorder(c);
    await c.connect();
    sb.guest.faults.add({ kind: 'tooManyRequests', retryAfterSeconds: 7 });
    await assert.rejects(c.sendText('hi'), (e: unknown) => e instanceof GuestApiError && e.code === 429 && e.retryAfterSeconds === 7);
    const tooMany = await r.next('error', (e) => e.code === 429);
    assert.deepEqual([tooMany.message, tooMany.retryAfterSeconds, tooMany.frameClass], ['Message rate too high for this session', 7, 'TooManyRequestsErrorMessage']);
    await assert.rejects(c.sendText('x'.repeat(5000)), (e: unknown) => e instanceof GuestApiError && e.code === 4011);
  });

  it('when the sandbox delivers two bot messages out of order, then the client releases them in channel.time order', async () => {
    const c = open({ reorderWindowMs: 200 });
    const r = recorder(c);
    await c.connect();
    await c.sendText('hi');
    const conversationId = sb.guest.conversationIdOf(c.token)!;
    await r.next('text', (e) => e.from === 'guest');
    sb.guest.faults.add({ kind: 'reorder', times: 1 });
    sb.guest.sendOutbound(conversationId, { text: 'first', originatingEntity: 'Bot' });
    // The sandbox's clock must move for the two messages to have distinct times.
    await new Promise((resolve) => setTimeout(resolve, 5));
    sb.guest.sendOutbound(conversationId, { text: 'second', originatingEntity: 'Bot' });
    await r.next('text', (e) => e.text === 'first');
    await r.next('text', (e) => e.text === 'second');
    assert.deepEqual(r.texts(), ['guest: hi', 'bot: first', 'bot: second']);
  });

  it('with no reorder window, the same delivery is shown as it arrived (what the window fixes)', async () => {
    const c = open({ reorderWindowMs: 0 });
    const r = recorder(c);
    await c.connect();
    await c.sendText('hi');
    const conversationId = sb.guest.conversationIdOf(c.token)!;
    sb.guest.faults.add({ kind: 'reorder', times: 1 });
    sb.guest.sendOutbound(conversationId, { text: 'first', originatingEntity: 'Bot' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    sb.guest.sendOutbound(conversationId, { text: 'second', originatingEntity: 'Bot' });
    await r.next('text', (e) => e.text === 'first');
    assert.deepEqual(r.texts(), ['guest: hi', 'bot: second', 'bot: first']);
  });

  it('a listener that throws does not stop the others (they run on socket callbacks)', async () => {
    const c = open();
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      c.on(() => {
        throw new Error('boom');
      });
      const r = recorder(c);
      await c.connect();
      await c.sendText('hi');
      await r.next('text', (e) => e.text === 'hi');
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(warnings.some((w) => w.includes('boom')));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('close() closes the socket cleanly (1000) and is idempotent', async () => {
    const c = open();
    const r = recorder(c);
    await c.connect();
    await Promise.all([c.close(), c.close()]);
    const closed = await r.next('closed');
    assert.equal(closed.code, 1000);
  });
});
