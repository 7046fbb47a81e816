import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import type { UpstreamCall } from '../../src/contracts/trace.js';
import { ValidationError } from '../../src/errors.js';
import { AGENT_CONTEXT_KEYS, transcriptFromAttributes } from '../../src/handoff/agent-context.js';
import { startHarness, type Harness } from './harness.js';

/** Each step on its own, as the bridge's per-step actions call them, against the sandbox org. */
describe('handoff steps (sandbox)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  describe('assessIntent', () => {
    it('when the flow passes the confidence, then 0 API calls', async () => {
      const out = await h.service.assessIntent({
        conversationId: h.sandbox.scenarios.lowConfidence,
        intent: 'X',
        confidence: 0.9,
      });
      assert.deepEqual(h.apiCalls(), {});
      assert.deepEqual(
        [out.status, out.source, out.handoffRecommended, out.intent],
        ['bot_keeps', 'inputs', false, 'X'],
      );
    });

    it('when the bot wrote participant data, then it is read from the conversation (1 call)', async () => {
      const out = await h.service.assessIntent({ conversationId: h.sandbox.scenarios.lowConfidence });
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
      assert.deepEqual(
        [out.status, out.source, out.intent, out.confidence],
        ['handoff_recommended', 'participantData', 'CancelOrder', 0.42],
      );
    });

    it('when attribute names are configured, then those names are read', async () => {
      await h.close();
      h = await startHarness({
        config: { intentAttributes: { intent: 'nlu.intent', confidence: 'nlu.score' } },
      });
      const cid = h.sandbox.scenarios.noIntent;
      const customer = h.sandbox.org.getConversation(cid)?.participants.find((p) => p.purpose === 'customer');
      await h.client.patchParticipantAttributes(cid, customer?.id ?? '', {
        'nlu.intent': 'Greeting',
        'nlu.score': '0.81',
      });
      const out = await h.service.assessIntent({ conversationId: cid });
      assert.deepEqual(
        [out.source, out.intent, out.confidence, out.status],
        ['participantData', 'Greeting', 0.81, 'bot_keeps'],
      );
    });

    it('when only analytics know, then bot session and reporting turns (3 calls)', async () => {
      const calls: UpstreamCall[] = [];
      const out = await h.service.assessIntent(
        { conversationId: h.sandbox.scenarios.analyticsOnly },
        { onCall: (c) => calls.push(c) },
      );
      assert.deepEqual(h.apiCalls(), {
        getConversationsMessage: 1,
        getAnalyticsBotflowSessions: 1,
        getAnalyticsBotflowDivisionsReportingturns: 1,
      });
      assert.deepEqual(
        [out.source, out.intent, out.confidence, out.status],
        ['botFlowAnalytics', 'BillingQuestion', 0.35, 'handoff_recommended'],
      );
      assert.deepEqual(
        calls.map((c) => c.route),
        [
          'getConversationsMessage',
          'getAnalyticsBotflowSessions',
          'getAnalyticsBotflowDivisionsReportingturns',
        ],
      );
    });

    it('when no bot flow id is known, then unknown with the reason (no analytics call), handing off by default', async () => {
      await h.close();
      h = await startHarness({ config: { botFlowId: undefined } });
      const out = await h.service.assessIntent({ conversationId: h.sandbox.scenarios.analyticsOnly });
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
      assert.equal(out.status, 'unknown');
      assert.equal(out.handoffRecommended, true);
      assert.match(out.message, /no bot flow id/);
    });

    it("when onUnknownIntent is 'keep', then an unknown intent keeps the bot", async () => {
      await h.close();
      h = await startHarness({ config: { onUnknownIntent: 'keep' } });
      const out = await h.service.assessIntent({ conversationId: h.sandbox.scenarios.noIntent });
      assert.deepEqual([out.status, out.handoffRecommended, out.source], ['unknown', false, 'none']);
    });

    it('when the bot flow id does not exist, then unknown, not an exception', async () => {
      const out = await h.service.assessIntent({
        conversationId: h.sandbox.scenarios.noIntent,
        botFlowId: '00000000-0000-4000-8000-000000000000',
      });
      assert.equal(out.status, 'unknown');
    });
  });

  describe('buildTranscript', () => {
    it('when messages are listed out of order with receipts and events, then they are ordered by timestamp and labelled', async () => {
      const out = await h.service.buildTranscript({ conversationId: h.sandbox.scenarios.outOfOrder });
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1, postConversationsMessageMessagesBulk: 1 });
      assert.equal(out.status, 'ok');
      assert.equal(
        out.transcript,
        [
          'Agent, the customer requires assistance. Chat history follows:',
          '[customer] Hi, I moved house',
          '[bot] Hello! How can I help you today?',
          '[customer] I need to change my delivery address',
          '[bot] What is the new address?',
          '[customer] 12 High Street, Springfield',
        ].join('\n'),
      );
      assert.deepEqual([out.messageCount, out.droppedCount, out.truncated], [5, 0, false]);
    });

    it('when the conversation is longer than the budget, then the oldest are dropped and it says so', async () => {
      const out = await h.service.buildTranscript({
        conversationId: h.sandbox.scenarios.longTranscript,
        maxChars: 600,
      });
      assert.ok(out.transcript.length <= 600);
      assert.equal(out.truncated, true);
      assert.equal(out.messageCount + out.droppedCount, 84);
      assert.match(out.transcript, new RegExp(`\\[${out.droppedCount} earlier messages omitted\\]`));
      assert.match(out.message, /oldest dropped/);
    });

    it('by default, e-mail, card and phone are masked and the rest kept; mask "false" turns it off', async () => {
      const out = await h.service.buildTranscript({ conversationId: h.sandbox.scenarios.withPii });
      assert.match(out.transcript, /My email is \[email\], please update my card/);
      assert.match(out.transcript, /New card \[card\], exp 12\/29/);
      assert.match(out.transcript, /Call me on \[phone\] if needed/);
      const plain = await h.service.buildTranscript({
        conversationId: h.sandbox.scenarios.withPii,
        mask: 'false' as unknown as boolean,
      });
      assert.match(plain.transcript, /jane\.doe@example\.com/, 'masking can be turned off per call');
      assert.match(plain.transcript, /4111 1111 1111 1111/);
    });

    it('when there are no messages, then no_transcript and the seed text, without a bulk call', async () => {
      const out = await h.service.buildTranscript({ conversationId: h.sandbox.scenarios.noMessages });
      assert.deepEqual(
        [out.status, out.transcript, out.messageCount],
        ['no_transcript', 'No prior conversation history available.', 0],
      );
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
    });
  });

  describe('handToQueue', () => {
    it('flow mode: writes the context and returns queue, priority and wait message for Transfer to ACD', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      const queue = h.sandbox.queues[1];
      const transcript = `Agent, the customer requires assistance.\n${'[customer] words '.repeat(40)}`;
      const out = await h.service.handToQueue({
        conversationId: cid,
        queueId: queue?.id,
        priority: 3,
        intent: 'CancelOrder',
        confidence: 0.42,
        reason: 'Low confidence',
        transcript,
        includeTranscript: true,
      });
      assert.deepEqual(h.apiCalls(), {
        getConversationsMessage: 1,
        getRoutingQueue: 1,
        patchConversationsMessageParticipantAttributes: 1,
      });
      assert.equal(out.status, 'ready_for_transfer');
      assert.deepEqual(
        [out.mode, out.queueId, out.queueName, out.priority, out.transferred],
        ['flow', queue?.id, queue?.name, 3, false],
      );
      assert.equal(out.waitMessage, 'Transferring to human support. Please wait.');
      const attrs = h.sandbox.org.customerAttributes(cid) ?? {};
      assert.equal(attrs[AGENT_CONTEXT_KEYS.intent], 'identifier:CancelOrder');
      assert.equal(attrs[AGENT_CONTEXT_KEYS.confidence], 'number:0.42');
      assert.equal(attrs[AGENT_CONTEXT_KEYS.reason], 'longtext:Low confidence');
      assert.equal(attrs[AGENT_CONTEXT_KEYS.queueId], queue?.id);
      assert.equal(transcriptFromAttributes(attrs), transcript);
      assert.equal(
        out.attributesWritten,
        Object.keys(attrs).filter((k) => k.startsWith('conversationDetails.') || k.startsWith('baton.'))
          .length,
      );
      assert.equal(h.sandbox.org.transfers.length, 0);
    });

    it('api mode: wait message on the flow communication, replace/queue on the flow participant, then the priority', async () => {
      const cid = h.sandbox.scenarios.noIntent;
      const out = await h.service.handToQueue({ conversationId: cid, mode: 'api', priority: 10 });
      assert.equal(out.status, 'transferred');
      assert.equal(out.transferred, true);
      const flow = h.sandbox.org.getConversation(cid)?.participants.find((p) => p.purpose === 'workflow');
      assert.deepEqual(
        h.sandbox.org.transfers.map((t) => [t.participantId, t.queueId]),
        [[flow?.id, h.sandbox.queues[0]?.id]],
      );
      assert.equal(h.sandbox.org.priorityOf(cid), 10);
      assert.deepEqual(
        h.sandbox.org.sentMessages.map((m) => [m.communicationId, m.text]),
        [[flow?.communicationId, out.waitMessage]],
      );
    });

    it('when the queue id is unknown, then it fails before anything is written', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      const before = { ...h.sandbox.org.customerAttributes(cid) };
      await assert.rejects(
        h.service.handToQueue({
          conversationId: cid,
          queueId: '00000000-0000-4000-8000-000000000001',
          intent: 'x',
        }),
        (e: Error & { code?: string }) =>
          e.code === 'genesys_not_found' &&
          /Queue 00000000-0000-4000-8000-000000000001 was not found/.test(e.message),
      );
      assert.equal(h.apiCalls()['patchConversationsMessageParticipantAttributes'], undefined);
      assert.deepEqual(h.sandbox.org.customerAttributes(cid), before);
    });

    it('when no queue is given or configured, then a validation error naming queueId, before any call', async () => {
      await h.close();
      h = await startHarness({ config: { defaultQueueId: undefined } });
      await assert.rejects(
        h.service.handToQueue({ conversationId: h.sandbox.scenarios.lowConfidence }),
        (e) => e instanceof ValidationError && e.issues[0]?.field === 'queueId',
      );
      assert.deepEqual(h.apiCalls(), {});
    });

    it('when priority is outside 1–10, then a validation error before any call', async () => {
      for (const priority of [0, 11, 2.5]) {
        await assert.rejects(
          h.service.handToQueue({ conversationId: h.sandbox.scenarios.lowConfidence, priority }),
          (e) => e instanceof ValidationError && e.issues[0]?.field === 'priority',
        );
      }
      assert.deepEqual(h.apiCalls(), {});
    });

    it('when the conversation is already in a queue, then already_handed_off and nothing written', async () => {
      const cid = h.sandbox.scenarios.alreadyHandedOff;
      const before = { ...h.sandbox.org.customerAttributes(cid) };
      const out = await h.service.handToQueue({ conversationId: cid, mode: 'api' });
      assert.equal(out.status, 'already_handed_off');
      assert.deepEqual(h.sandbox.org.customerAttributes(cid), before);
      assert.equal(h.sandbox.org.transfers.length, 0);
    });

    it('when called twice, then the second returns the first result and writes and transfers nothing', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      const first = await h.service.handToQueue({ conversationId: cid, mode: 'api' });
      h.sandbox.counters.reset();
      const second = await h.service.handToQueue({ conversationId: cid, mode: 'api' });
      assert.deepEqual(second, first);
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 }, 'one read: the session is the key');
      assert.equal(h.sandbox.org.transfers.length, 1);
    });
  });
});
