import assert from 'node:assert/strict';
import request from 'supertest';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';
import { sandboxWrites } from './helpers/sandbox-writes.js';

const UNKNOWN_ID = '0badc0de-0000-4000-8000-000000000000';

describe('action endpoints (real bridge, sandbox org)', () => {
  let h: Harness;
  let sc: Sandbox['scenarios'];
  const post = (path: string, body: unknown) => request(h.url).post(path).set('X-API-Key', CREDS.apiKey).send(body as object);

  before(async () => {
    h = await startHarness();
    sc = h.sandbox.scenarios;
  });
  after(() => h.close());

  describe('POST /v1/actions/assess-intent', () => {
    it('when the flow passes a low confidence, then 200 handoff_recommended from the inputs, with no Genesys call', async () => {
      const before = h.sandbox.counters.snapshot().total;
      const res = await post('/v1/actions/assess-intent', { conversationId: sc.lowConfidence, intent: 'Billing', confidence: '0.42' });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'handoff_recommended');
      assert.equal(res.body.handoffRecommended, true);
      assert.equal(res.body.source, 'inputs');
      assert.equal(res.body.confidence, 0.42);
      assert.equal(h.sandbox.counters.snapshot().total, before);
    });

    it('when the bot wrote a high confidence, then 200 bot_keeps with a readable message', async () => {
      const res = await post('/v1/actions/assess-intent', { conversationId: sc.highConfidence });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'bot_keeps');
      assert.equal(res.body.handoffRecommended, false);
      assert.match(res.body.message, /keeps/);
    });

    it('when a threshold input is given, then it overrides BATON_THRESHOLD', async () => {
      const res = await post('/v1/actions/assess-intent', { conversationId: sc.highConfidence, threshold: '0.99' });
      assert.equal(res.body.status, 'handoff_recommended');
      assert.equal(res.body.threshold, 0.99);
    });

    it('when the confidence lives only in bot-flow analytics, then it is read from there', async () => {
      const res = await post('/v1/actions/assess-intent', { conversationId: sc.analyticsOnly });
      assert.equal(res.status, 200);
      assert.equal(res.body.source, 'botFlowAnalytics');
    });
  });

  describe('POST /v1/actions/transcript', () => {
    it('when the conversation has messages, then 200 ok with the labelled transcript', async () => {
      const res = await post('/v1/actions/transcript', { conversationId: sc.lowConfidence });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
      assert.match(res.body.transcript, /\[customer\] I want to cancel my order/);
      assert.ok(res.body.messageCount > 0);
    });

    it('when there are no messages, then 200 no_transcript (a business outcome, not a failure)', async () => {
      const res = await post('/v1/actions/transcript', { conversationId: sc.noMessages });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'no_transcript');
      assert.equal(typeof res.body.message, 'string');
    });

    it('by default contact details are masked; mask "false" (as a data action sends it) shows them', async () => {
      const masked = await post('/v1/actions/transcript', { conversationId: sc.withPii });
      const plain = await post('/v1/actions/transcript', { conversationId: sc.withPii, mask: 'false' });
      assert.equal(masked.status, 200);
      assert.notEqual(masked.body.transcript, plain.body.transcript);
      assert.doesNotMatch(masked.body.transcript, /[\w.+-]+@[\w-]+\.[\w.]+/);
      assert.doesNotMatch(masked.body.transcript, /4111 1111 1111 1111/);
      assert.match(plain.body.transcript, /4111 1111 1111 1111/);
    });
  });

  describe('POST /v1/actions/hand-to-queue', () => {
    it('when in flow mode, then 200 ready_for_transfer with the default queue and the context written to participant data', async () => {
      const res = await post('/v1/actions/hand-to-queue', { conversationId: sc.outOfOrder, intent: 'Refund', reason: 'low confidence' });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ready_for_transfer');
      assert.equal(res.body.queueId, h.sandbox.queues[0]!.id);
      assert.equal(res.body.queueName, h.sandbox.queues[0]!.name);
      assert.equal(res.body.transferred, false);
      assert.ok(res.body.attributesWritten > 0);
      const attributes = h.sandbox.org.customerAttributes(sc.outOfOrder) ?? {};
      // Shown bold in the agent's Participant Data panel (docs/genesys-facts.md#participant-data).
      assert.equal(attributes['conversationDetails.participantData.Baton Intent'], 'identifier:Refund', JSON.stringify(attributes));
    });

    it('when the conversation is already with a queue, then 200 already_handed_off', async () => {
      const res = await post('/v1/actions/hand-to-queue', { conversationId: sc.alreadyHandedOff });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'already_handed_off');
    });

    it('when the queue does not exist, then 404 naming the queue id', async () => {
      const res = await post('/v1/actions/hand-to-queue', { conversationId: sc.noIntent, queueId: UNKNOWN_ID });
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'genesys_not_found');
      assert.match(res.body.message, new RegExp(UNKNOWN_ID));
    });
  });

  describe('POST /v1/actions/handoff', () => {
    it('when confidence is low, then 200 ready_for_transfer with transcript, queue and trace id', async () => {
      const res = await post('/v1/actions/handoff', { conversationId: sc.lowConfidence });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ready_for_transfer');
      assert.equal(res.body.intentSource, 'participantData');
      assert.equal(res.body.queueName, h.sandbox.queues[0]!.name);
      assert.match(res.body.transcript, /\[bot\]/);
      assert.equal(typeof res.body.handoffId, 'string');
      // Flat output: every value a scalar (what Architect can map to flow variables).
      for (const [key, value] of Object.entries(res.body)) assert.notEqual(typeof value, 'object', key);
      const trace = await h.runtime.stores.traces.get(res.body.handoffId);
      assert.equal(trace?.conversationId, sc.lowConfidence);
    });

    it('when Architect runs it again, then the first outcome comes back (idempotent per conversation)', async () => {
      const first = await post('/v1/actions/handoff', { conversationId: sc.lowConfidence });
      const again = await post('/v1/actions/handoff', { conversationId: sc.lowConfidence });
      assert.equal(again.status, 200);
      assert.equal(again.body.handoffId, first.body.handoffId);
    });

    it('when confidence is high, then 200 bot_keeps and nothing is written', async () => {
      const before = sandboxWrites(h.sandbox, sc.highConfidence);
      const res = await post('/v1/actions/handoff', { conversationId: sc.highConfidence });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'bot_keeps');
      assert.equal(res.body.queueId, '');
      assert.deepEqual(sandboxWrites(h.sandbox, sc.highConfidence), before, 'no attribute, transfer, message or write request');
    });

    it('when the conversation is already handed off, then 200 already_handed_off', async () => {
      const res = await post('/v1/actions/handoff', { conversationId: sc.alreadyHandedOff });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'already_handed_off');
    });

    it('when mode is api, then Baton transfers through the Platform API (the sandbox records the transfer)', async () => {
      const queue = h.sandbox.queues[1]!;
      const res = await post('/v1/actions/handoff', { conversationId: sc.longTranscript, mode: 'api', queueId: queue.id, priority: '8', maxChars: '1000' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'transferred');
      assert.equal(res.body.transferred, true);
      assert.equal(res.body.truncated, true);
      const transfers = h.sandbox.org.transfers.filter((t) => t.conversationId === sc.longTranscript);
      assert.deepEqual(transfers.map((t) => t.queueId), [queue.id]);
    });

    it('when the conversation does not exist, then 404 genesys_not_found naming it, with the Genesys contextId', async () => {
      const res = await post('/v1/actions/handoff', { conversationId: UNKNOWN_ID });
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'genesys_not_found');
      assert.match(res.body.message, new RegExp(UNKNOWN_ID));
      assert.equal(typeof res.body.contextId, 'string');
      assert.ok(!('stack' in res.body));
    });
  });
});

describe('action endpoints against an org (GENESYS_BASE_URL) whose OAuth client lacks permissions', () => {
  let sandbox: Sandbox;
  let h: Harness;
  before(async () => {
    sandbox = await createSandbox();
    const limited = sandbox.addClient({ permissions: ['conversation:message:view'] });
    h = await startHarness({ external: sandbox, env: { GENESYS_CLIENT_ID: limited.clientId, GENESYS_CLIENT_SECRET: limited.clientSecret } });
  });
  after(async () => {
    await h.close();
    await sandbox.close();
  });

  it('when a hand-to-queue needs a missing permission, then 502 genesys_forbidden naming the permission to add, and nothing is written', async () => {
    const before = sandboxWrites(sandbox, sandbox.scenarios.lowConfidence);
    const res = await request(h.url)
      .post('/v1/actions/hand-to-queue')
      .set('X-API-Key', CREDS.apiKey)
      .send({ conversationId: sandbox.scenarios.lowConfidence, queueId: sandbox.queues[0]!.id });
    assert.equal(res.status, 502, JSON.stringify(res.body)); // the README's error table: genesys_forbidden is a 502
    assert.deepEqual(sandboxWrites(sandbox, sandbox.scenarios.lowConfidence), before, 'no attribute, transfer, message or write request');
    assert.equal(res.body.code, 'genesys_forbidden');
    assert.match(res.body.message, /permission/);
    assert.match(res.body.message, /routing:queue:view/);
  });
});

describe('BATON_WRITE_CONTEXT=flow (real bridge, sandbox org)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { BATON_WRITE_CONTEXT: 'flow' } });
  });
  after(() => h.close());

  it("when a handoff runs, then the bridge writes no participant data and returns the context for the flow's Set Participant Data", async () => {
    const cid = h.sandbox.scenarios.lowConfidence;
    const before = { ...(h.sandbox.org.customerAttributes(cid) ?? {}) };
    const res = await request(h.url)
      .post('/v1/actions/handoff')
      .set('X-API-Key', CREDS.apiKey)
      .send({ conversationId: cid, intent: 'Billing', confidence: '0.3', exitReason: 'AgentRequestedByUser' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ready_for_transfer');
    assert.equal(res.body.writeContext, 'flow');
    assert.equal(h.sandbox.counters.snapshot().byRoute['patchConversationsMessageParticipantAttributes'] ?? 0, 0);
    assert.deepEqual(h.sandbox.org.customerAttributes(cid) ?? {}, before);
    assert.equal(res.body.contextIntent, 'identifier:Billing');
    assert.equal(res.body.contextExitReason, 'AgentRequestedByUser');
    assert.match(res.body.contextSummary, /^longtext:/);
  });

  it('when a request says writeContext bridge, then it overrides the configuration', async () => {
    const cid = h.sandbox.scenarios.outOfOrder;
    const res = await request(h.url)
      .post('/v1/actions/handoff')
      .set('X-API-Key', CREDS.apiKey)
      .send({ conversationId: cid, intent: 'Billing', confidence: '0.3', writeContext: 'bridge' });
    assert.equal(res.status, 200);
    assert.equal(res.body.writeContext, 'bridge');
    assert.equal(h.sandbox.org.customerAttributes(cid)?.['conversationDetails.participantData.Baton Intent'], 'identifier:Billing');
  });
});
