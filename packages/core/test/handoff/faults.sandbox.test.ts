import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { BatonError } from '../../src/errors.js';
import { AGENT_CONTEXT_KEYS } from '../../src/handoff/agent-context.js';
import { handoffKey } from '../../src/handoff/handed-off.js';
import { startHarness, type Harness } from './harness.js';

/** Upstream failures and repeats: what a handoff does, what it reports, and what it never does twice. */
/** The connected flow participant of a sandbox conversation: its session, which keys a handoff. */
const flowOf = (h: Harness, cid: string) => h.sandbox.org.getConversation(cid)?.participants.find((p) => p.purpose === 'workflow' && p.state === 'connected')?.id;

describe('handoff under faults and repeats (sandbox)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  describe('retried upstream failures', () => {
    it('when Genesys answers 429, then the call waits Retry-After, succeeds, and the trace shows the retry', async () => {
      h.sandbox.faults.add({
        route: 'getConversationsMessage',
        kind: 'status',
        status: 429,
        retryAfterSeconds: 3,
        times: 1,
      });
      const { output, trace } = await h.service.handoff({
        conversationId: h.sandbox.scenarios.lowConfidence,
      });
      assert.equal(output.status, 'ready_for_transfer');
      assert.ok(h.clock.sleeps.includes(3000), `waited ${JSON.stringify(h.clock.sleeps)}`);
      const call = trace.calls.find((c) => c.route === 'getConversationsMessage');
      assert.deepEqual([call?.status, call?.retries], [200, 1]);
      assert.equal(h.apiCalls()['getConversationsMessage'], 2);
      assert.equal(output.apiCalls, 5, '4 calls + 1 retry: what the rate limit counts');
    });

    it('when the bulk call answers 503 twice, then the third attempt succeeds and the transcript is complete', async () => {
      h.sandbox.faults.add({
        route: 'postConversationsMessageMessagesBulk',
        kind: 'status',
        status: 503,
        times: 2,
      });
      const { output, trace } = await h.service.handoff({ conversationId: h.sandbox.scenarios.outOfOrder });
      assert.equal(output.messageCount, 5);
      assert.equal(trace.calls.find((c) => c.route === 'postConversationsMessageMessagesBulk')?.retries, 2);
      assert.equal(h.apiCalls()['postConversationsMessageMessagesBulk'], 3);
    });

    it('when the token is revoked mid-pipeline, then Baton logs in again once and the handoff completes', async () => {
      await h.client.checkToken();
      const tokensBefore = h.sandbox.counters.snapshot().tokenRequests;
      h.sandbox.faults.add({ route: 'postConversationsMessageMessagesBulk', kind: 'revokeToken', times: 1 });
      const { output } = await h.service.handoff({
        conversationId: h.sandbox.scenarios.lowConfidence,
        mode: 'api',
      });
      assert.equal(output.status, 'transferred');
      assert.equal(h.sandbox.counters.snapshot().tokenRequests - tokensBefore, 1);
      assert.equal(h.sandbox.org.transfers.length, 1);
    });
  });

  describe('failures that stop a handoff', () => {
    it('when the deadline expires mid-pipeline, then deadline_exceeded, nothing written, the trace says so, and a retry can run', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      // The sandbox's latency moves the shared virtual clock past the 2 s budget during the bulk call.
      h.sandbox.faults.add({
        route: 'postConversationsMessageMessagesBulk',
        kind: 'latency',
        ms: 5000,
        times: 1,
      });
      await assert.rejects(
        h.service.handoff({ conversationId: cid, budgetMs: 2000 }),
        (e) => e instanceof BatonError && e.code === 'deadline_exceeded',
      );
      assert.equal(h.sandbox.org.customerAttributes(cid)?.[AGENT_CONTEXT_KEYS.handoffId], undefined);
      const [trace] = await h.traces.list({ conversationId: cid });
      assert.equal(trace?.status, 'failed');
      assert.equal(trace?.error?.code, 'deadline_exceeded');
      assert.equal(trace?.steps.find((s) => s.step === 'handToQueue')?.outcome, 'failed');

      const retry = await h.service.handoff({ conversationId: cid });
      assert.equal(retry.output.status, 'ready_for_transfer', 'the claim was released');
    });

    it("when the caller's deadline is earlier than budgetMs, then the caller's wins", async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      h.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'latency', ms: 1500, times: 1 });
      await assert.rejects(
        h.service.handoff({ conversationId: cid, budgetMs: 30000 }, { deadline: h.clock.now() + 1000 }),
        (e) => e instanceof BatonError && e.code === 'deadline_exceeded',
      );
    });

    it("when the caller's deadline is later than core's default budget, then the caller's deadline holds (the edge owns it)", async () => {
      // The bridge's BATON_DEADLINE_MS (default 25 s) is longer than core's own default (20 s); core
      // used to cut the bridge's deadline down to its default.
      const cid = h.sandbox.scenarios.lowConfidence;
      h.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'latency', ms: 22_000, times: 1 });
      const { output } = await h.service.handoff({ conversationId: cid }, { deadline: h.clock.now() + 24_000 });
      assert.equal(output.status, 'ready_for_transfer');
    });

    it('when replace/queue fails with 500 after the attributes were written, then handoff_incomplete says what was done; a retry transfers exactly once', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      h.sandbox.faults.add({
        route: 'postConversationParticipantReplaceQueue',
        kind: 'status',
        status: 500,
        times: 1,
      });
      const error = await h.service.handoff({ conversationId: cid, mode: 'api' }).then(
        () => assert.fail('expected handoff_incomplete'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof BatonError);
      assert.equal(error.code, 'handoff_incomplete');
      assert.deepEqual(
        {
          attributesWritten: error.details['attributesWritten'],
          waitMessageSent: error.details['waitMessageSent'],
          transferred: error.details['transferred'],
          prioritySet: error.details['prioritySet'],
        },
        { attributesWritten: true, waitMessageSent: true, transferred: false, prioritySet: false },
      );
      assert.match(error.message, /agent context written.*NOT done: transfer to the queue, priority/);
      assert.equal(
        h.apiCalls()['postConversationParticipantReplaceQueue'],
        1,
        'replace/queue is not retried blindly',
      );
      assert.ok(
        h.sandbox.org.customerAttributes(cid)?.[AGENT_CONTEXT_KEYS.handoffId],
        'the context really is written',
      );
      assert.equal(h.sandbox.org.transfers.length, 0);
      const [failed] = await h.traces.list({ conversationId: cid });
      assert.equal(failed?.error?.code, 'handoff_incomplete');

      // Whether Genesys applies a transfer it answered 500 to is unknown: the first run's claim is
      // left to lapse (it covers the write's answer plus a margin) rather than given back, so no
      // retry sends a second transfer while the first may still be applied (async-transfer.sandbox.test.ts).
      h.clock.advance(120_000);
      const retry = await h.service.handoff({ conversationId: cid, mode: 'api' });
      assert.equal(retry.output.status, 'transferred');
      assert.equal(h.sandbox.org.transfers.length, 1);
      assert.equal(
        h.sandbox.org.customerAttributes(cid)?.[AGENT_CONTEXT_KEYS.handoffId],
        retry.output.handoffId,
      );
    });

    it('when the priority fails after the transfer, then a transferred result names it, and a repeat does not transfer again', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      h.sandbox.faults.add({ route: 'patchRoutingConversation', kind: 'status', status: 503, times: 10 });
      const { output, trace } = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
      assert.equal(output.status, 'transferred');
      assert.match(output.message, /NOT done: setting priority 9 failed/);
      assert.equal(trace.steps.find((s) => s.step === 'handToQueue')?.outcome, 'ok');
      h.sandbox.faults.clear();
      const again = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
      assert.deepEqual(again.output, output);
      assert.equal(h.sandbox.org.transfers.length, 1);
    });

    it('when the wait message fails, then the customer still reaches a human and the result says the message was not sent', async () => {
      h.sandbox.faults.add({
        route: 'postConversationsMessageCommunicationMessages',
        kind: 'status',
        status: 500,
        times: 1,
      });
      const { output } = await h.service.handoff({
        conversationId: h.sandbox.scenarios.lowConfidence,
        mode: 'api',
      });
      assert.equal(output.status, 'transferred');
      assert.match(output.message, /NOT done: the wait message was not sent/);
      assert.equal(h.sandbox.org.sentMessages.length, 0);
    });
  });

  describe('idempotency per conversation', () => {
    it('when the same handoff arrives again, then the first result is returned: one read (its session is the key), nothing written or transferred', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      const first = await h.service.handoff({ conversationId: cid, mode: 'api' });
      h.sandbox.counters.reset();
      const second = await h.service.handoff({ conversationId: cid, mode: 'api' });
      assert.deepEqual(second.output, first.output);
      assert.deepEqual(second.trace.calls.map((c) => c.route), ['getConversationsMessage']);
      assert.equal(second.trace.handoffId, first.output.handoffId);
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
      assert.equal(h.sandbox.org.transfers.length, 1);
    });

    it('when 10 identical handoffs run at once, then one transfer and the same result for all', async () => {
      const cid = h.sandbox.scenarios.withPii;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => h.service.handoff({ conversationId: cid, mode: 'api' })),
      );
      assert.equal(h.sandbox.org.transfers.length, 1);
      assert.equal(h.apiCalls()['postConversationParticipantReplaceQueue'], 1);
      assert.equal(h.apiCalls()['getConversationsMessage'], 10 + 1, 'each reads the conversation once (its session is the key), one read confirms the transfer');
      for (const r of results) assert.deepEqual(r.output, results[0]?.output);
      assert.equal(results[0]?.output.status, 'transferred');
    });

    it('when the bot keeps the conversation, then nothing is kept: a later call re-evaluates', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      assert.equal(
        (await h.service.handoff({ conversationId: cid, confidence: 0.9 })).output.status,
        'bot_keeps',
      );
      assert.deepEqual(
        await h.idempotency.claim(handoffKey(cid, flowOf(h, cid)), 1000),
        { kind: 'claimed' },
        'no claim left behind',
      );
      await h.idempotency.release(handoffKey(cid, flowOf(h, cid)));
      assert.equal(
        (await h.service.handoff({ conversationId: cid, confidence: 0.1 })).output.status,
        'ready_for_transfer',
      );
    });

    it('when a failure left nothing written, then the claim is released so the retry runs', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      h.sandbox.faults.add({
        route: 'patchConversationsMessageParticipantAttributes',
        kind: 'status',
        status: 500,
        times: 1,
      });
      await assert.rejects(
        h.service.handoff({ conversationId: cid }),
        (e) => e instanceof BatonError && e.code !== 'handoff_incomplete',
      );
      const retry = await h.service.handoff({ conversationId: cid });
      assert.equal(retry.output.status, 'ready_for_transfer');
    });
  });
});
