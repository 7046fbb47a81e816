import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { startHarness, type Harness } from './harness.js';

/**
 * A conversation is handed off once, whichever action does it: the whole handoff and the
 * standalone hand-to-queue share one idempotency key. With a key each, a hand-to-queue after (or
 * during) a handoff claimed its own key, re-read a conversation the first transfer had not yet
 * moved, and transferred it a second time.
 */
describe('one handoff per conversation, whichever action runs it (sandbox)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when a hand-to-queue follows a handoff whose transfer is not confirmed yet, then it answers from that handoff and transfers nothing', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.lowConfidence;
    h.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferNotApplied', times: 1 });
    const { output } = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
    assert.equal(output.status, 'transfer_unconfirmed');

    h.sandbox.counters.reset();
    const again = await h.service.handToQueue({ conversationId: cid, mode: 'api', priority: 9 });
    assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 }, 'one read (its session is the key), no second transfer');
    assert.deepEqual(
      [again.status, again.queueId, again.queueName, again.priority, again.mode, again.transferred],
      [output.status, output.queueId, output.queueName, output.priority, output.mode, output.transferred],
    );
    assert.ok(again.attributesWritten > 0, 'the handoff wrote the context');
  });

  it('when a handoff follows a hand-to-queue, then it answers from that hand-to-queue with one read and no write', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.lowConfidence;
    const first = await h.service.handToQueue({ conversationId: cid, intent: 'CancelOrder', reason: 'the flow decided' });
    assert.equal(first.status, 'ready_for_transfer');

    h.sandbox.counters.reset();
    const { output, trace } = await h.service.handoff({ conversationId: cid });
    assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
    assert.deepEqual(
      [output.status, output.queueId, output.queueName, output.priority, output.mode, output.waitMessage],
      [first.status, first.queueId, first.queueName, first.priority, first.mode, first.waitMessage],
    );
    assert.match(output.message, /already handed to a queue by an earlier hand-to-queue/);
    assert.deepEqual(trace.calls.map((c) => c.route), ['getConversationsMessage']);
    assert.equal(trace.handoffId, output.handoffId);
  });

  it('when a handoff and a hand-to-queue of one conversation run at once, then one transfer, and both answers say so', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.withPii;
    const [handoff, queued] = await Promise.all([
      h.service.handoff({ conversationId: cid, mode: 'api' }),
      h.service.handToQueue({ conversationId: cid, mode: 'api' }),
    ]);
    assert.equal(h.apiCalls()['postConversationParticipantReplaceQueue'], 1);
    assert.equal(h.sandbox.org.transfers.length, 1);
    assert.deepEqual([handoff.output.status, queued.status], ['transferred', 'transferred']);
  });
});
