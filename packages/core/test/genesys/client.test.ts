import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import type { UpstreamCall } from '../../src/contracts/trace.js';
import { DeadlineExceededError, GenesysApiError, RateBudgetExhaustedError } from '../../src/errors.js';
import { createGenesysClient, type GenesysClient, type GenesysClientOptions } from '../../src/genesys/client.js';
import { resolveTarget } from '../../src/genesys/target.js';
import { createManualClock } from '../../src/testing/index.js';

const WIDE_INTERVAL = '2000-01-01T00:00:00.000Z/2100-01-01T00:00:00.000Z';

describe('Genesys client against the sandbox org', function () {
  let sandbox: Sandbox;
  const clients: GenesysClient[] = [];
  const calls: UpstreamCall[] = [];

  const client = (over: Partial<GenesysClientOptions> = {}): GenesysClient => {
    const c = createGenesysClient({
      target: resolveTarget({ baseUrl: sandbox.url }),
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      onCall: (call) => calls.push(call),
      ...over,
    });
    clients.push(c);
    return c;
  };
  const counted = (route: string) => sandbox.counters.snapshot().byRoute[route] ?? 0;
  const customerOf = (conversationId: string) => {
    const conversation = sandbox.org.getConversation(conversationId)!;
    return conversation.participants.find((p) => p.purpose === 'customer')!;
  };

  beforeEach(async () => {
    // Transfers apply at once here: these tests are about the client's calls, not when Genesys applies a transfer.
    sandbox = await createSandbox({ conversations: 30, rateLimitPerMinute: 100_000, transferDelayMs: 0 });
    calls.length = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sandbox.close();
  });

  describe('typed calls', () => {
    it('getMessageConversation returns the conversation with its participants and attributes', async () => {
      const id = sandbox.scenarios.lowConfidence;
      const conversation = await client().getMessageConversation(id);
      assert.equal(conversation.id, id);
      const customer = conversation.participants?.find((p) => p.purpose === 'customer');
      assert.deepEqual(customer?.attributes, { ...sandbox.org.customerAttributes(id) });
    });

    it('getMessagesBulk returns the bodies of the requested messages', async () => {
      const id = sandbox.scenarios.longTranscript;
      const ids = sandbox.org.getConversation(id)!.messages.map((m) => m.id);
      const messages = await client().getMessagesBulk(id, ids);
      assert.deepEqual(messages.map((m) => m.id).sort(), [...ids].sort());
      assert.deepEqual(await client().getMessagesBulk(id, []), []);
    });

    it('getConversation returns the generic conversation', async () => {
      const id = sandbox.scenarios.highConfidence;
      const conversation = await client().getConversation(id);
      assert.equal(conversation.id, id);
      assert.ok((conversation.participants ?? []).length > 0);
    });

    it('patchParticipantAttributes merges attributes onto the participant', async () => {
      const id = sandbox.scenarios.lowConfidence;
      const customer = customerOf(id);
      const result = await client().patchParticipantAttributes(id, customer.id, { 'bot.summary': 'wants to cancel' });
      assert.equal(result.attributes?.['bot.summary'], 'wants to cancel');
      assert.equal(sandbox.org.customerAttributes(id)?.['bot.summary'], 'wants to cancel');
      assert.equal(sandbox.org.customerAttributes(id)?.['bot.intent'], 'CancelOrder');
    });

    it('replaceParticipantWithQueue transfers, then patchRoutingConversation sets the priority', async () => {
      const id = sandbox.scenarios.lowConfidence;
      const flow = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose === 'workflow') ?? customerOf(id);
      const queueId = sandbox.queues[0]!.id;
      const c = client();
      await c.replaceParticipantWithQueue(id, flow.id, { queueId });
      assert.equal(sandbox.org.transfers.length, 1);
      assert.equal(sandbox.org.transfers[0]?.queueId, queueId);
      await c.patchRoutingConversation(id, { priority: 7 });
      assert.equal(sandbox.org.priorityOf(id), 7);
    });

    it('listQueues pages to the end; getQueue returns one queue', async () => {
      const c = client({ pageSizes: { queues: 2 } });
      const queues = await c.listQueues();
      assert.deepEqual(queues.map((q) => q.id).sort(), sandbox.queues.map((q) => q.id).sort());
      assert.ok(counted('getRoutingQueues') >= 3, 'five queues in pages of two');
      const named = await c.listQueues({ name: sandbox.queues[1]!.name });
      assert.ok(named.some((q) => q.id === sandbox.queues[1]!.id));
      assert.equal((await c.getQueue(sandbox.queues[0]!.id)).name, sandbox.queues[0]!.name);
    });

    it('findBotFlowSession follows nextUri and stops at the first match', async () => {
      const sessions = sandbox.org.botSessions();
      assert.ok(sessions.length >= 4, 'the sandbox seeds several bot sessions');
      const target = sessions[3]!;
      const c = client({ pageSizes: { botFlow: 2 } });
      const found = await c.findBotFlowSession(sandbox.botFlowId, (s) => s.conversation?.id === target.conversationId, { interval: WIDE_INTERVAL });
      assert.equal(found?.id, target.id);
      assert.equal(counted('getAnalyticsBotflowSessions'), 2, 'session 4 is on page 2; no page after it is fetched');
      const none = await c.findBotFlowSession(sandbox.botFlowId, () => false, { interval: WIDE_INTERVAL });
      assert.equal(none, undefined);
      assert.equal(counted('getAnalyticsBotflowSessions'), 2 + Math.ceil(sessions.length / 2));
    });

    it('listReportingTurns follows nextUri to the end', async () => {
      const session = [...sandbox.org.botSessions()].sort((a, b) => b.turns.length - a.turns.length)[0]!;
      assert.ok(session.turns.length >= 2, 'a session with several turns');
      const turns = await client({ pageSizes: { botFlow: 1 } }).listReportingTurns(sandbox.botFlowId, session.id);
      assert.equal(turns.length, session.turns.length);
      assert.ok(turns.every((t) => t.sessionId === session.id));
      assert.ok(counted('getAnalyticsBotflowDivisionsReportingturns') >= session.turns.length);
    });

    it('queryConversationDetails with maxPages 1 makes one call for one page, from the pageNumber asked', async () => {
      const all = sandbox.org.listConversations();
      const page2 = await client().queryConversationDetails(
        { interval: WIDE_INTERVAL, order: 'desc', orderBy: 'conversationStart', paging: { pageSize: 7, pageNumber: 2 } },
        {},
        { maxPages: 1 },
      );
      assert.equal(page2.length, 7);
      assert.ok(all.length > 14);
      assert.equal(counted('postAnalyticsConversationsDetailsQuery'), 1);
    });

    it('queryConversationDetails pages until fewer than pageSize', async () => {
      const all = sandbox.org.listConversations();
      const conversations = await client().queryConversationDetails({ interval: WIDE_INTERVAL, paging: { pageSize: 7, pageNumber: 1 } });
      assert.deepEqual(conversations.map((c) => c.conversationId).sort(), all.map((c) => c.id).sort());
      assert.equal(counted('postAnalyticsConversationsDetailsQuery'), Math.floor(all.length / 7) + 1);
    });

    it('sendMessage posts the text to the conversation', async () => {
      const id = sandbox.scenarios.lowConfidence;
      const communicationId = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose !== 'customer' && p.state === 'connected')!.communicationId;
      const sent = await client().sendMessage(id, communicationId, { textBody: 'An agent will be with you shortly.' });
      assert.ok(sent.id);
      assert.equal(sandbox.org.sentMessages.at(-1)?.text, 'An agent will be with you shortly.');
    });

    it('reports each call with route, path, status, retries and the correlation id as contextId', async () => {
      const id = sandbox.scenarios.lowConfidence;
      const traced: UpstreamCall[] = [];
      await client().getMessageConversation(id, { onCall: (c) => traced.push(c) });
      assert.equal(traced.length, 1);
      assert.equal(traced[0]!.route, 'getConversationsMessage');
      assert.equal(traced[0]!.path, `/api/v2/conversations/messages/${id}`);
      assert.equal(traced[0]!.status, 200);
      assert.equal(traced[0]!.retries, 0);
      assert.match(traced[0]!.contextId ?? '', /\S/);
      assert.ok(calls.some((c) => c.route === 'postToken'), 'the client-level hook also sees token requests');
    });
  });

  describe('token', () => {
    it('is cached between calls and refreshed 60 s before expires_in', async () => {
      await sandbox.close();
      sandbox = await createSandbox({ tokenLifetimeSeconds: 600, rateLimitPerMinute: 100_000, transferDelayMs: 0 });
      const clock = createManualClock();
      const c = client({ clock });
      const queueId = sandbox.queues[0]!.id;
      await c.getQueue(queueId);
      clock.advance(539_000);
      await c.getQueue(queueId);
      assert.equal(sandbox.counters.snapshot().tokenRequests, 1);
      clock.advance(2_000);
      await c.getQueue(queueId);
      assert.equal(sandbox.counters.snapshot().tokenRequests, 2);
    });

    it('1,000 concurrent calls on a cold cache make exactly one token request', async () => {
      const c = client({ requestsPerMinute: 100_000 });
      const queueId = sandbox.queues[0]!.id;
      const results = await Promise.all(Array.from({ length: 1000 }, () => c.getQueue(queueId)));
      assert.equal(results.length, 1000);
      assert.equal(sandbox.counters.snapshot().tokenRequests, 1);
    });

    it('after a 401 (token revoked) logs in once more and retries once', async () => {
      const c = client();
      const queueId = sandbox.queues[0]!.id;
      await c.getQueue(queueId);
      sandbox.revokeTokens();
      const traced: UpstreamCall[] = [];
      const queue = await c.getQueue(queueId, { onCall: (x) => traced.push(x) });
      assert.equal(queue.id, queueId);
      assert.equal(sandbox.counters.snapshot().tokenRequests, 2);
      assert.equal(sandbox.counters.snapshot().byStatus['401'], 1);
      assert.equal(traced[0]?.retries, 1);
    });

    it('a second 401 after the re-login fails with genesys_unauthorized', async () => {
      sandbox.faults.add({ route: 'getRoutingQueue', kind: 'revokeToken', times: 2 });
      await assert.rejects(client().getQueue(sandbox.queues[0]!.id), (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_unauthorized');
      assert.equal(sandbox.counters.snapshot().tokenRequests, 2);
    });

    it('a bad secret fails with genesys_login_failed naming the region and client id, never the secret', async () => {
      const badSecret = 'not-the-secret-Zx81';
      const login = new URL(sandbox.url);
      // The fetch seam carries openid-client's request too: route the eu_west_1 hosts to the sandbox.
      const toSandbox: typeof fetch = (input, init) => {
        const url = new URL(String(input));
        url.protocol = login.protocol;
        url.host = login.host;
        return fetch(url, init);
      };
      const c = client({ target: resolveTarget({ region: 'eu_west_1' }), clientSecret: badSecret, fetch: toSandbox });
      const error = await c.getQueue(sandbox.queues[0]!.id).then(
        () => assert.fail('expected a login failure'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof GenesysApiError);
      assert.equal(error.code, 'genesys_login_failed');
      assert.match(error.message, /eu_west_1/);
      assert.match(error.message, new RegExp(sandbox.clientId));
      assert.match(error.message, /invalid_client/);
      assert.ok(!JSON.stringify({ m: error.message, d: error.details, calls }).includes(badSecret));
      assert.equal(sandbox.counters.snapshot().tokenRequests, 1, 'a 401 from login is not retried');
      assert.equal(sandbox.counters.snapshot().total, 1, 'no API call without a token');
    });

    it('retries the token request after a 503 from login', async () => {
      sandbox.faults.add({ route: 'postToken', kind: 'status', status: 503, times: 1 });
      const queue = await client({ clock: createManualClock() }).getQueue(sandbox.queues[0]!.id);
      assert.ok(queue.id);
      assert.equal(sandbox.counters.snapshot().tokenRequests, 2);
    });

    it('retries the token request after a 429 from login, waiting its Retry-After, without holding the API calls', async () => {
      sandbox.faults.add({ route: 'postToken', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
      const clock = createManualClock();
      const queue = await client({ clock, random: () => 0 }).getQueue(sandbox.queues[0]!.id);
      assert.ok(queue.id);
      assert.equal(sandbox.counters.snapshot().tokenRequests, 2);
      assert.deepEqual(clock.sleeps, [2000], 'the Retry-After, and no pacer hold before the API call');
      const login = calls.find((c) => c.route === 'postToken');
      assert.deepEqual({ status: login?.status, retries: login?.retries, error: login?.error }, { status: 200, retries: 1, error: undefined });
    });
  });

  describe('resilience', () => {
    it('a 429 is retried after Retry-After, for a non-idempotent call too', async () => {
      sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'status', status: 429, retryAfterSeconds: 3, times: 1 });
      const clock = createManualClock();
      const id = sandbox.scenarios.highConfidence;
      const flow = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose === 'workflow') ?? customerOf(id);
      const traced: UpstreamCall[] = [];
      await client({ clock }).replaceParticipantWithQueue(id, flow.id, { queueId: sandbox.queues[0]!.id }, { onCall: (c) => traced.push(c) });
      assert.ok(clock.sleeps.includes(3000), `waited ${clock.sleeps.join(', ')}`);
      assert.equal(traced[0]?.retries, 1);
      assert.equal(sandbox.org.transfers.length, 1);
    });

    it('a Retry-After longer than the cap fails at once with genesys_rate_limited (503)', async () => {
      sandbox.faults.add({ route: 'getRoutingQueue', kind: 'status', status: 429, retryAfterSeconds: 120, times: 1 });
      const clock = createManualClock();
      await assert.rejects(
        client({ clock }).getQueue(sandbox.queues[0]!.id),
        (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_rate_limited' && e.facts.retryAfterSeconds === 120 && /cap/.test(e.message),
      );
      assert.deepEqual(clock.sleeps, []);
    });

    it('503 twice then success: an idempotent call is retried with backoff', async () => {
      sandbox.faults.add({ route: 'getConversation', kind: 'status', status: 503, times: 2 });
      const clock = createManualClock();
      const traced: UpstreamCall[] = [];
      const conversation = await client({ clock, random: () => 0 }).getConversation(sandbox.scenarios.lowConfidence, { onCall: (c) => traced.push(c) });
      assert.equal(conversation.id, sandbox.scenarios.lowConfidence);
      assert.equal(counted('getConversation'), 3);
      assert.equal(traced[0]?.retries, 2);
      assert.deepEqual(clock.sleeps, [125, 250], 'equal-jitter backoff from a 250 ms base');
    });

    it('replace/queue is NOT retried after a 503', async () => {
      sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'status', status: 503, times: 1 });
      const id = sandbox.scenarios.highConfidence;
      const flow = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose === 'workflow') ?? customerOf(id);
      await assert.rejects(
        client({ clock: createManualClock() }).replaceParticipantWithQueue(id, flow.id, { queueId: sandbox.queues[0]!.id }),
        (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_unavailable' && /not idempotent/.test(e.message),
      );
      assert.equal(counted('postConversationParticipantReplaceQueue'), 1);
    });

    it('sendMessage is NOT retried after a connection reset; a GET is', async () => {
      const id = sandbox.scenarios.lowConfidence;
      const communicationId = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose !== 'customer' && p.state === 'connected')!.communicationId;
      sandbox.faults.add({ route: 'postConversationsMessageCommunicationMessages', kind: 'reset', times: 1 });
      const c = client({ clock: createManualClock() });
      await assert.rejects(c.sendMessage(id, communicationId, { textBody: 'hi' }), { code: 'genesys_unavailable' });
      assert.equal(counted('postConversationsMessageCommunicationMessages'), 1);
      sandbox.faults.add({ route: 'getConversation', kind: 'reset', times: 1 });
      assert.equal((await c.getConversation(id)).id, id);
      assert.equal(counted('getConversation'), 2);
    });

    it('a 200 with a malformed body is genesys_bad_response', async () => {
      sandbox.faults.add({ route: 'getRoutingQueue', kind: 'malformed', times: 1 });
      await assert.rejects(client().getQueue(sandbox.queues[0]!.id), (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_bad_response');
    });

    it('a deadline that expires while waiting for Genesys fails with DeadlineExceededError', async () => {
      sandbox.faults.add({ route: 'getRoutingQueue', kind: 'latency', ms: 5_000, times: 1 });
      const c = client();
      await c.checkToken();
      await assert.rejects(c.getQueue(sandbox.queues[0]!.id, { deadline: Date.now() + 150 }), (e: unknown) => e instanceof DeadlineExceededError);
    });

    it('a transfer already sent is let finish past the deadline, so its real outcome is known', async () => {
      const id = sandbox.scenarios.highConfidence;
      const flow = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose === 'workflow' && p.state === 'connected')!;
      sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: 400, times: 1 });
      const c = client();
      await c.checkToken();
      const before = sandbox.org.transfers.length;
      await c.replaceParticipantWithQueue(id, flow.id, { queueId: sandbox.queues[0]!.id }, { deadline: Date.now() + 100 });
      assert.equal(sandbox.org.transfers.length, before + 1);
      assert.equal(sandbox.org.transfers.at(-1)!.conversationId, id);
    });

    it('a retry whose wait would pass the deadline is not attempted: the upstream error says so', async () => {
      sandbox.faults.add({ route: 'getRoutingQueue', kind: 'status', status: 429, retryAfterSeconds: 5, times: 1 });
      const clock = createManualClock();
      await assert.rejects(
        client({ clock }).getQueue(sandbox.queues[0]!.id, { deadline: clock.now() + 3_000 }),
        (e: unknown) => e instanceof GenesysApiError && e.code === 'genesys_rate_limited' && /deadline/.test(e.message),
      );
      assert.equal(counted('getRoutingQueue'), 1);
      assert.deepEqual(clock.sleeps, []);
    });

    it('a deadline already past fails before anything is sent', async () => {
      await assert.rejects(client().getQueue(sandbox.queues[0]!.id, { deadline: Date.now() - 1 }), DeadlineExceededError);
      assert.equal(sandbox.counters.snapshot().total, 0);
    });
  });

  describe('pacing', () => {
    it('holds a burst to the per-minute budget: past it, RateBudgetExhaustedError, and Genesys never answers 429', async () => {
      const limited = sandbox.addClient({ permissions: '*', rateLimitPerMinute: 20 });
      const c = client({ clientId: limited.clientId, clientSecret: limited.clientSecret, requestsPerMinute: 20 });
      const queueId = sandbox.queues[0]!.id;
      const deadline = Date.now() + 5_000;
      const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => c.getQueue(queueId, { deadline })));
      const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
      const exhausted = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof RateBudgetExhaustedError);
      assert.equal(ok, 20);
      assert.equal(exhausted.length, 10);
      assert.match(String((exhausted[0] as PromiseRejectedResult).reason.message), /rate budget exhausted/i);
      assert.equal(sandbox.counters.snapshot().byStatus['429'] ?? 0, 0);
    });

    it('without the pacer the same burst would have hit the sandbox limit (the test can fail)', async () => {
      const limited = sandbox.addClient({ permissions: '*', rateLimitPerMinute: 20 });
      const c = client({ clientId: limited.clientId, clientSecret: limited.clientSecret, requestsPerMinute: 1000, retry: { retryAfterCapMs: 0 } });
      const queueId = sandbox.queues[0]!.id;
      const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => c.getQueue(queueId)));
      assert.equal(outcomes.filter((o) => o.status === 'rejected' && (o.reason as GenesysApiError).code === 'genesys_rate_limited').length, 10);
    });
  });

  describe('errors', () => {
    it('403 names the permission the call needs', async () => {
      const weak = sandbox.addClient({ permissions: ['routing:queue:view'] });
      const id = sandbox.scenarios.highConfidence;
      const flow = sandbox.org.getConversation(id)!.participants.find((p) => p.purpose === 'workflow') ?? customerOf(id);
      const c = client({ clientId: weak.clientId, clientSecret: weak.clientSecret });
      await assert.rejects(
        c.replaceParticipantWithQueue(id, flow.id, { queueId: sandbox.queues[0]!.id }),
        (e: unknown) =>
          e instanceof GenesysApiError &&
          e.code === 'genesys_forbidden' &&
          e.message.includes('conversation:communication:blindTransferQueue') &&
          e.message.includes(weak.clientId) &&
          typeof e.facts.contextId === 'string',
      );
      assert.equal(sandbox.org.transfers.length, 0);
    });

    it('404 names the id that was not found, with the contextId', async () => {
      const missing = '00000000-0000-4000-8000-000000000404';
      const error = await client().getQueue(missing).catch((e: unknown) => e);
      assert.ok(error instanceof GenesysApiError);
      assert.equal(error.code, 'genesys_not_found');
      assert.match(error.message, new RegExp(`queue with id ${missing}`));
      assert.match(error.facts.contextId ?? '', /\S/);
      assert.equal(error.facts.genesysCode, 'not.found');
    });

    it('an empty id is a validation error, not a call to another endpoint', async () => {
      await assert.rejects(client().getQueue(''), { code: 'validation_failed' });
      assert.equal(sandbox.counters.snapshot().total, 0);
    });

    it('never puts the secret or the access token in errors or call records', async () => {
      sandbox.faults.add({ route: 'getRoutingQueue', kind: 'status', status: 503, times: 10 });
      const errors: unknown[] = [];
      const c = client({ clock: createManualClock() });
      errors.push(await c.getQueue(sandbox.queues[0]!.id).catch((e: unknown) => e));
      errors.push(await c.getQueue('nope').catch((e: unknown) => e));
      const text = JSON.stringify({ errors: errors.map((e) => ({ m: (e as Error).message, d: (e as GenesysApiError).details })), calls });
      assert.ok(!text.includes(sandbox.clientSecret));
      assert.doesNotMatch(text, /Bearer|access_token/i);
    });
  });
});
