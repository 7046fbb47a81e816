import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type GuestMessageEvent, type Sandbox } from '../src/index.js';
import { connectGuest, structured, type GuestClient, type WireFrame } from './guest-client.js';
import { clientFor, UUID_RE, type TestClient } from './helpers.js';

interface FixtureFile {
  frames: Record<string, { source: string; frame: WireFrame }>;
}
const fixtures = (JSON.parse(readFileSync(new URL('./fixtures/guest-api-frames.json', import.meta.url), 'utf8')) as FixtureFile).frames;

const ENUM_KEYS = new Set(['type', 'direction', 'eventType', 'originatingEntity', 'readOnly']);

/**
 * The sandbox's frame has the documented frame's envelope and, for object bodies, every field
 * the documented one has with the same JSON type; enum-like values must be equal.
 */
function assertShape(actual: unknown, expected: unknown, path = 'frame'): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((e, i) => assertShape((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) {
      assert.ok(k in (actual as object), `${path}.${k} is missing in ${JSON.stringify(actual)}`);
      const a: unknown = (actual as Record<string, unknown>)[k];
      if (ENUM_KEYS.has(k) && typeof v !== 'object') assert.equal(a, v, `${path}.${k}`);
      else assertShape(a, v, `${path}.${k}`);
    }
    return;
  }
  assert.equal(typeof actual, typeof expected, `${path}: type of ${JSON.stringify(actual)}`);
}

function assertLike(actual: WireFrame, name: string): void {
  const fixture = fixtures[name];
  assert.ok(fixture, `fixture ${name}`);
  const { frame } = fixture;
  assert.equal(actual.type, frame.type, `${name}: type`);
  assert.equal(actual.class, frame.class, `${name}: class`);
  assert.equal(actual.code, frame.code, `${name}: code`);
  assertShape(actual.body, frame.body, `${name}.body`);
}

describe('Web Messaging Guest API (WebSocket)', () => {
  let sb: Sandbox;
  let api: TestClient;
  const guests: GuestClient[] = [];
  const guest = async (token?: string): Promise<GuestClient> => {
    const g = await connectGuest(sb.webMessagingUrl, sb.deploymentId, token);
    guests.push(g);
    return g;
  };
  beforeEach(async () => {
    // Transfers apply at once here (the default 200 ms delay after the 202: conversations.test.ts).
    sb = await createSandbox({ conversations: 2, transferDelayMs: 0 });
    api = await clientFor(sb);
  });
  afterEach(async () => {
    await Promise.all(guests.splice(0).map((g) => g.close()));
    await sb.close();
  });

  it('exposes a ws:// origin on the sandbox port such that <webMessagingUrl>/v1?deploymentId=… is the endpoint', () => {
    assert.equal(sb.webMessagingUrl, sb.url.replace(/^http:/, 'ws:'));
    assert.match(sb.deploymentId, UUID_RE);
  });

  describe('configureSession', () => {
    it('when a new token configures, then a SessionResponse says connected, newSession, not readOnly, as documented', async () => {
      const g = await guest();
      const res = await g.configure(sb.deploymentId, { tracingId: 't-1' });
      assertLike(res, 'sessionResponseNew');
      assert.deepEqual(res.body, { connected: true, newSession: true, readOnly: false, maxCustomDataBytes: 2048 });
      assert.equal(res.tracingId, 't-1');
    });

    it('when the same token reconnects on a new socket, then the session resumes (newSession false) in the same conversation', async () => {
      const first = await guest();
      await first.configure(sb.deploymentId);
      first.sendText('hello');
      await first.next(structured('Inbound', 'Text'));
      const conversationId = sb.guest.conversationIdOf(first.token);
      assert.ok(conversationId);
      await first.close();

      const again = await guest(first.token);
      const res = await again.configure(sb.deploymentId);
      assertLike(res, 'sessionResponseResumed');
      assert.equal(res.body.newSession, false);
      again.sendText('still me');
      await again.next(structured('Inbound', 'Text'));
      assert.equal(sb.guest.conversationIdOf(first.token), conversationId);
      const texts = sb.org.getConversation(conversationId)?.messages.map((m) => m.text);
      assert.deepEqual(texts, ['hello', 'still me']);
    });

    it('when the deployment is unknown (in the request or the URL), then it is refused as Genesys refuses it', async () => {
      const g = await guest();
      const res = await g.configure('00000000-0000-4000-8000-000000000000');
      assertLike(res, 'deploymentNotFound');
      assert.equal(res.body, 'Deployment not found');

      const wrongUrl = await connectGuest(sb.webMessagingUrl, '00000000-0000-4000-8000-000000000000');
      guests.push(wrongUrl);
      const res2 = await wrongUrl.configure(sb.deploymentId);
      assertLike(res2, 'deploymentNotFound');
      // Nothing was started for either.
      assert.equal(sb.guest.conversationIdOf(g.token), undefined);
    });

    it('when a frame is not a known request, then the answer is 400 "Request failed."; onMessage before configureSession gets 4007', async () => {
      const g = await guest();
      g.ws.send('not json');
      assertLike(await g.next(), 'requestFailed');
      g.sendText('too early');
      const res = await g.next();
      assertLike(res, 'sessionNotFound');
    });

    it('when a frame is bigger than the limit, then that socket closes with 1009 and the sandbox keeps serving', async () => {
      const g = await guest();
      const closed = new Promise<number>((resolve) => g.ws.once('close', (code) => resolve(code)));
      g.ws.send('x'.repeat(600_000));
      assert.equal(await closed, 1009);
      const other = await guest();
      assert.equal((await other.configure(sb.deploymentId)).code, 200);
    });

    it('when a path other than /v1 is upgraded, then the socket is refused with 404', async () => {
      const { WebSocket } = await import('ws');
      const ws = new WebSocket(`${sb.webMessagingUrl}/v2?deploymentId=${sb.deploymentId}`);
      const status = await new Promise<number | undefined>((resolve) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
        ws.once('error', () => resolve(undefined));
      });
      assert.equal(status, 404);
    });
  });

  describe('onMessage', () => {
    it('when the guest sends Text, then it is echoed as an Inbound StructuredMessage and starts a sandbox message conversation', async () => {
      const g = await guest();
      await g.configure(sb.deploymentId);
      const before = Date.now();
      g.sendText('I want to cancel my order', { message: { type: 'Text', text: 'I want to cancel my order', metadata: { customMessageId: 'c-1' } } });
      const echo = await g.next(structured('Inbound', 'Text'));
      assertLike(echo, 'inboundText');
      assert.equal(echo.body.text, 'I want to cancel my order');
      assert.deepEqual(echo.body.metadata, { customMessageId: 'c-1' });
      assert.match(echo.body.id, UUID_RE);
      assert.ok(Date.parse(echo.body.channel.time) >= before - 1000);

      const conversationId = sb.guest.conversationIdOf(g.token) as string;
      const conv = await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${conversationId}`);
      assert.equal(conv.status, 200);
      assert.deepEqual(
        conv.body.participants?.map((p) => `${p.purpose}:${p.state}`),
        ['customer:connected', 'workflow:connected'],
      );
      assert.deepEqual(conv.body.participants?.[0]?.messages?.map((m) => m.messageId), [echo.body.id]);
      const bulk = await api.call<Models.TextMessageListing>('POST', `/api/v2/conversations/messages/${conversationId}/messages/bulk?useNormalizedMessage=true`, [echo.body.id]);
      assert.equal(bulk.body.entities?.[0]?.normalizedMessage?.text, 'I want to cancel my order');
      assert.equal(bulk.body.entities?.[0]?.normalizedMessage?.direction, 'Inbound');
    });

    it('when a hook answers a guest message as Bot then Human, then the guest gets Outbound messages with originatingEntity, channel.time, ids and metadata.correlationId', async () => {
      const seen: GuestMessageEvent[] = [];
      sb.guest.onGuestMessage((e) => {
        seen.push(e);
        if (e.kind === 'text') sb.guest.sendOutbound(e.conversationId, { text: `Bot heard: ${e.text ?? ''}`, originatingEntity: 'Bot' });
      });
      const g = await guest();
      await g.configure(sb.deploymentId);
      g.sendText('hi');
      const echo = await g.next(structured('Inbound', 'Text'));
      const bot = await g.next(structured('Outbound', 'Text'));
      assertLike(bot, 'outboundBotText');
      assert.equal(bot.body.text, 'Bot heard: hi');
      assert.equal(bot.body.originatingEntity, 'Bot');
      assert.match(bot.body.metadata.correlationId, UUID_RE);
      assert.ok(Date.parse(bot.body.channel.time) >= Date.parse(echo.body.channel.time));
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.newConversation, true);
      assert.equal(seen[0]?.messageId, echo.body.id);

      // This test plays the agent by hand: the simulated agents must not answer the queued conversation first.
      sb.agents.configure({ autoAnswer: 'none' });
      const conversationId = sb.guest.conversationIdOf(g.token) as string;
      const conv = sb.org.getConversation(conversationId);
      assert.ok(conv);
      await api.call('POST', `/api/v2/conversations/${conversationId}/participants/${conv.participants[1]?.id ?? ''}/replace/queue`, { queueId: sb.queues[0]?.id });
      // No agent participant yet: sending as Human is refused rather than attributed to nobody.
      assert.throws(() => sb.guest.sendOutbound(conversationId, { text: 'Agent here', originatingEntity: 'Human' }), /no connected agent/);

      // A message sent through the Platform API (what the bridge does) reaches the guest too.
      const acd = sb.org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'acd');
      const sent = await api.call<Models.MessageData>('POST', `/api/v2/conversations/messages/${conversationId}/communications/${acd?.communicationId ?? ''}/messages`, { textBody: 'You are in the queue.' });
      assert.equal(sent.status, 200);
      const queued = await g.next(structured('Outbound', 'Text'));
      assert.equal(queued.body.text, 'You are in the queue.');
      assert.equal(queued.body.id, sent.body.id);
      assert.equal(queued.body.originatingEntity, 'Bot');

      const agent = sb.org.connectAgent(conversationId);
      const human = sb.guest.sendOutbound(conversationId, { text: 'Agent here', originatingEntity: 'Human' });
      const fromAgent = await g.next(structured('Outbound', 'Text'));
      assertLike(fromAgent, 'outboundHumanText');
      assert.deepEqual([fromAgent.body.id, fromAgent.body.text, fromAgent.body.originatingEntity], [human.id, 'Agent here', 'Human']);
      assert.equal(fromAgent.body.channel.from.nickname, agent.name);
      assert.notEqual(fromAgent.body.metadata.correlationId, bot.body.metadata.correlationId);
    });

    it('when customAttributes come at the top-level channel and inside message.channel, then both land as participant data on the customer', async () => {
      const g = await guest();
      await g.configure(sb.deploymentId);
      // The Java SDK's habit: the request's own channel.
      g.send({ action: 'onMessage', token: g.token, message: { type: 'Text', text: 'first' }, channel: { metadata: { customAttributes: { accountId: 'A-17', plan: 'gold' } } } });
      await g.next(structured('Inbound', 'Text'));
      // The mobile SDK's habit: inside the message.
      g.send({ action: 'onMessage', token: g.token, message: { type: 'Text', text: 'second', channel: { metadata: { customAttributes: { plan: 'platinum', locale: 'fr-CA' } } } } });
      await g.next(structured('Inbound', 'Text'));

      const conversationId = sb.guest.conversationIdOf(g.token) as string;
      const conv = await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${conversationId}`);
      const customer = conv.body.participants?.find((p) => p.purpose === 'customer');
      assert.deepEqual(customer?.attributes, { accountId: 'A-17', plan: 'platinum', locale: 'fr-CA' });
    });

    it('when customAttributes exceed 2048 bytes or the text is too long, then the documented 4013 / 4011 errors come back and nothing is recorded', async () => {
      const g = await guest();
      await g.configure(sb.deploymentId);
      g.send({ action: 'onMessage', token: g.token, message: { type: 'Text', text: 'x' }, channel: { metadata: { customAttributes: { big: 'y'.repeat(2100) } } } });
      assertLike(await g.next(), 'customAttributesTooLarge');
      g.sendText('z'.repeat(4097));
      assertLike(await g.next(), 'messageTooLong');
      assert.equal(sb.guest.conversationIdOf(g.token), undefined);
    });

    it('when the guest sends a Typing event, then it is echoed as an Inbound Event and recorded as an event entry', async () => {
      const g = await guest();
      await g.configure(sb.deploymentId);
      g.sendText('hello');
      await g.next(structured('Inbound', 'Text'));
      g.send({ action: 'onMessage', token: g.token, message: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On' } }] } });
      const typing = await g.next(structured('Inbound', 'Event'));
      assertLike(typing, 'typingOnInbound');
      const conversationId = sb.guest.conversationIdOf(g.token) as string;
      const bulk = await api.call<Models.TextMessageListing>('POST', `/api/v2/conversations/messages/${conversationId}/messages/bulk`, [typing.body.id]);
      assert.equal(bulk.body.entities?.[0]?.normalizedMessage?.type, 'Event');
      assert.equal(bulk.body.entities?.[0]?.normalizedMessage?.events?.[0]?.eventType, 'Typing');
    });

    it('when the guest auto-starts with Presence Join, then the conversation starts and the Join is echoed Inbound', async () => {
      const starts: GuestMessageEvent[] = [];
      sb.guest.onGuestMessage((e) => starts.push(e));
      const g = await guest();
      await g.configure(sb.deploymentId);
      g.send({ action: 'onMessage', token: g.token, message: { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Join' } }] } });
      const join = await g.next(structured('Inbound', 'Event'));
      assertLike(join, 'presenceJoinInbound');
      assert.equal(starts[0]?.kind, 'presence');
      assert.equal(starts[0]?.newConversation, true);
      assert.ok(sb.org.getConversation(sb.guest.conversationIdOf(g.token) as string));
    });
  });

  it('echo: the heartbeat is answered with a response StructuredMessage repeating the text, tracingId as customMessageId', async () => {
    const g = await guest();
    await g.configure(sb.deploymentId);
    g.send({ action: 'echo', token: g.token, tracingId: 'SGVhbHRoQ2hlY2tNZXNzYWdlSWQ=', message: { type: 'Text', text: 'ping' } });
    const res = await g.next();
    assertLike(res, 'echo');
    assert.equal(res.body.text, 'ping');
    assert.equal(res.body.metadata.customMessageId, 'SGVhbHRoQ2hlY2tNZXNzYWdlSWQ=');
    assert.equal(sb.guest.conversationIdOf(g.token), undefined, 'a heartbeat starts no conversation');
  });

  it('with conversationDisconnect.displayToGuest false, when the other side ends it, then the guest is shown nothing and its next message threads into the same conversation with a new session', async () => {
    const quiet = await createSandbox({ conversations: 0, transferDelayMs: 0, conversationDisconnect: { displayToGuest: false } });
    try {
      const g = await connectGuest(quiet.webMessagingUrl, quiet.deploymentId);
      guests.push(g);
      await g.configure(quiet.deploymentId);
      g.sendText('first visit');
      await g.next(structured('Inbound', 'Text'));
      const conversationId = quiet.guest.conversationIdOf(g.token) as string;
      const events: GuestMessageEvent[] = [];
      quiet.guest.onGuestMessage((e) => void events.push(e));

      quiet.guest.disconnect(conversationId);
      assert.ok(quiet.org.getConversation(conversationId)?.participants.every((p) => p.state === 'disconnected'));
      g.sendText('back again');
      const echo = await g.next();
      assert.deepEqual([echo.class, echo.body.direction, echo.body.text], ['StructuredMessage', 'Inbound', 'back again'], 'no Presence Disconnect, no read-only error');
      assert.equal(quiet.guest.conversationIdOf(g.token), conversationId, 'the same conversation id');
      assert.deepEqual(events.map((e) => [e.conversationId, e.newConversation, e.text]), [[conversationId, false, 'back again']]);

      const participants = quiet.org.getConversation(conversationId)!.participants;
      const flows = participants.filter((p) => p.purpose === 'workflow');
      assert.deepEqual(flows.map((p) => p.state), ['disconnected', 'connected'], 'a new flow participant holds the new session');
      const customers = participants.filter((p) => p.purpose === 'customer');
      assert.deepEqual(customers.map((p) => p.state), ['disconnected', 'connected']);
      const last = quiet.org.getConversation(conversationId)!.messages.at(-1)!;
      assert.equal(last.participantId, customers[1]!.id, "the new message is the new session's");
    } finally {
      await quiet.close();
    }
  });

  it('with a quiet disconnect, when the guest writes after the threading timeline, then a new conversation starts (and with 0 minutes, always)', async () => {
    for (const [minutes, waitMs, threads] of [[1, 30_000, true], [1, 61_000, false], [0, 1, false]] as const) {
      let clock = Date.now();
      const quiet = await createSandbox({ conversations: 0, transferDelayMs: 0, conversationDisconnect: { displayToGuest: false }, threadingTimelineMinutes: minutes, now: () => clock });
      try {
        const g = await connectGuest(quiet.webMessagingUrl, quiet.deploymentId);
        guests.push(g);
        await g.configure(quiet.deploymentId);
        g.sendText('first visit');
        await g.next(structured('Inbound', 'Text'));
        const first = quiet.guest.conversationIdOf(g.token) as string;
        quiet.guest.disconnect(first);
        clock += waitMs;
        g.sendText('back again');
        await g.next(structured('Inbound', 'Text'));
        const second = quiet.guest.conversationIdOf(g.token) as string;
        assert.equal(second === first, threads, `${minutes} min timeline, back after ${waitMs} ms`);
        if (!threads) {
          assert.ok(quiet.org.getConversation(first)?.participants.every((p) => p.state === 'disconnected'), 'the old conversation stays ended');
          assert.deepEqual(quiet.org.getConversation(second)?.messages.map((m) => m.text), ['back again']);
        }
      } finally {
        await quiet.close();
      }
    }
  });

  it('when the other side ends the conversation, then the guest gets Presence Disconnect (readOnly), later sends get the read-only error, and startNew starts over', async () => {
    const g = await guest();
    await g.configure(sb.deploymentId);
    g.sendText('bye soon');
    await g.next(structured('Inbound', 'Text'));
    const conversationId = sb.guest.conversationIdOf(g.token) as string;

    sb.guest.disconnect(conversationId);
    const disconnect = await g.next(structured('Outbound', 'Event'));
    assertLike(disconnect, 'presenceDisconnectReadOnly');
    const conv = await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${conversationId}`);
    assert.ok(conv.body.participants?.every((p) => p.state === 'disconnected'));

    g.sendText('are you there?');
    const refused = await g.next();
    assert.deepEqual([refused.type, refused.class, refused.code], ['response', 'string', 400]);
    assert.match(refused.body, /read-only/);
    assert.equal(sb.org.getConversation(conversationId)?.messages.length, 1);

    const again = await guest(g.token);
    assert.equal((await again.configure(sb.deploymentId)).body.readOnly, true);
    const fresh = await again.configure(sb.deploymentId, { startNew: true });
    assert.deepEqual([fresh.body.newSession, fresh.body.readOnly], [true, false]);
    again.sendText('new question');
    await again.next(structured('Inbound', 'Text'));
    assert.notEqual(sb.guest.conversationIdOf(g.token), conversationId);
  });

  it('GET /api/v2/conversations/messages/{messageId}/details maps a message the guest saw to its conversation', async () => {
    sb.guest.onGuestMessage((e) => {
      if (e.kind === 'text') sb.guest.sendOutbound(e.conversationId, { text: 'How can I help?', originatingEntity: 'Bot' });
    });
    const g = await guest();
    await g.configure(sb.deploymentId);
    g.sendText('hello');
    const echo = await g.next(structured('Inbound', 'Text'));
    const bot = await g.next(structured('Outbound', 'Text'));
    const conversationId = sb.guest.conversationIdOf(g.token);

    const inbound = await api.call<Models.MessageData>('GET', `/api/v2/conversations/messages/${echo.body.id}/details`);
    assert.equal(inbound.status, 200);
    assert.equal(inbound.body.conversationId, conversationId);
    assert.equal(inbound.body.direction, 'inbound');
    assert.equal(inbound.body.normalizedMessage?.text, 'hello');
    const outbound = await api.call<Models.MessageData>('GET', `/api/v2/conversations/messages/${bot.body.id}/details?useNormalizedMessage=true`);
    assert.equal(outbound.body.conversationId, conversationId);
    assert.equal(outbound.body.normalizedMessage?.originatingEntity, 'Bot');
    assert.equal((outbound.body as unknown as Record<string, unknown>)['textBody'], undefined);

    // Seeded conversations' messages resolve too; unknown ids are 404.
    const seeded = sb.org.getConversation(sb.scenarios.lowConfidence)?.messages[0];
    const seededRes = await api.call<Models.MessageData>('GET', `/api/v2/conversations/messages/${seeded?.id ?? ''}/details`);
    assert.equal(seededRes.body.conversationId, sb.scenarios.lowConfidence);
    const missing = await api.call<Models.ErrorBody>('GET', '/api/v2/conversations/messages/4f0e2a1c-0000-4000-8000-000000000000/details');
    assert.equal(missing.status, 404);
  });

  describe('faults (opt-in only)', () => {
    it('when no fault is added, then every message is answered 200 in the order sent', async () => {
      assert.deepEqual(sb.guest.faults.list(), []);
      sb.guest.onGuestMessage((e) => {
        if (e.kind === 'text') sb.guest.sendOutbound(e.conversationId, { text: `re: ${e.text ?? ''}`, originatingEntity: 'Bot' });
      });
      const g = await guest();
      await g.configure(sb.deploymentId);
      const sent = Array.from({ length: 12 }, (_, i) => `m${i}`);
      for (const t of sent) g.sendText(t);
      const frames: WireFrame[] = [];
      for (let i = 0; i < sent.length * 2; i++) frames.push(await g.next());
      assert.ok(frames.every((f) => f.code === 200));
      assert.deepEqual(
        frames.map((f) => f.body.text),
        sent.flatMap((t) => [t, `re: ${t}`]),
      );
    });

    it('when tooManyRequests is added, then the next onMessage gets the documented 429 and is not delivered; then it clears', async () => {
      sb.guest.faults.add({ kind: 'tooManyRequests', times: 1, retryAfterSeconds: 3 });
      const g = await guest();
      await g.configure(sb.deploymentId);
      g.sendText('rate me');
      const res = await g.next();
      assertLike(res, 'tooManyRequests');
      assert.deepEqual(res.body, { retryAfter: 3, errorCode: 4029, errorMessage: 'Message rate too high for this session' });
      assert.equal(sb.guest.conversationIdOf(g.token), undefined);
      g.sendText('again');
      assert.equal((await g.next()).body.text, 'again');
    });

    it('when a standalone harness adds a rule over HTTP (POST /__sandbox/guest/faults), then it applies; DELETE clears it', async () => {
      const added = await fetch(`${sb.url}/__sandbox/guest/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'tooManyRequests', times: 2 }) });
      assert.equal(added.status, 201);
      const bad = await fetch(`${sb.url}/__sandbox/guest/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'explode' }) });
      assert.equal(bad.status, 400);
      const g = await guest();
      await g.configure(sb.deploymentId);
      g.sendText('one');
      assert.equal((await g.next()).code, 429);
      const cleared = await fetch(`${sb.url}/__sandbox/guest/faults`, { method: 'DELETE' });
      assert.equal(cleared.status, 204);
      g.sendText('two');
      const res = await g.next();
      assert.deepEqual([res.code, res.body.text], [200, 'two']);
    });

    it('when reorder is added, then the held frame arrives after the next one', async () => {
      const g = await guest();
      await g.configure(sb.deploymentId);
      sb.guest.faults.add({ kind: 'reorder', times: 1 });
      g.sendText('one');
      g.sendText('two');
      const a = await g.next();
      const b = await g.next();
      assert.deepEqual([a.body.text, b.body.text], ['two', 'one']);
    });
  });
});
