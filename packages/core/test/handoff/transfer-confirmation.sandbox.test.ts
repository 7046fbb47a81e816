import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { CONFIRM_WAITS_MS } from '../../src/handoff/delivery.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Hardening #13: API mode answered `transferred` on any 2xx to replace/queue, which Genesys answers
 * 202 and applies asynchronously. A transfer counts only once the conversation shows in the queue;
 * the priority is set only then.
 */
describe('api mode confirms the transfer before saying so (sandbox)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when Genesys accepts the transfer but never applies it, then transfer_unconfirmed, no priority, and a repeat gets the same answer, reading only the conversation', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.lowConfidence;
    h.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferNotApplied', times: 1 });
    const { output, trace } = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
    assert.equal(output.status, 'transfer_unconfirmed');
    assert.equal(output.transferred, false);
    assert.match(output.message, /transfer to queue '.+' requested but NOT confirmed/);
    assert.match(output.message, /after 3 reads the conversation shows no queue or agent and is still held by the flow/);
    assert.match(output.message, /priority 9 not set/);
    const calls = h.apiCalls();
    assert.equal(calls['postConversationParticipantReplaceQueue'], 1);
    assert.equal(calls['getConversationsMessage'], 1 + 3, 'the first read, then 3 confirmation reads');
    assert.equal(calls['patchRoutingConversation'], undefined, 'no priority for a conversation not in queue');
    assert.equal(h.sandbox.org.transfers.length, 0);
    assert.deepEqual(h.clock.sleeps, [...CONFIRM_WAITS_MS]);
    assert.equal(trace.status, 'transfer_unconfirmed');

    h.sandbox.counters.reset();
    const again = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
    assert.deepEqual(again.output, output);
    assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
  });

  it('when Genesys applies the transfer 1.2 s after its 202, then the third read confirms it and only then is the priority set', async () => {
    h = await startHarness({ sandboxOnVirtualClock: true });
    const cid = h.sandbox.scenarios.lowConfidence;
    h.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferDelayed', ms: 1200, times: 1 });
    const { output, trace } = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
    assert.equal(output.status, 'transferred');
    assert.equal(output.transferred, true);
    assert.equal(h.apiCalls()['getConversationsMessage'], 1 + 3);
    assert.equal(h.sandbox.org.transfers.length, 1);
    assert.equal(h.sandbox.org.priorityOf(cid), 9);
    const order = trace.calls.map((c) => c.route);
    assert.deepEqual(order.slice(-4), ['getConversationsMessage', 'getConversationsMessage', 'getConversationsMessage', 'patchRoutingConversation']);
  });

  it('when a confirmation read fails (500), then the next read confirms the transfer', async () => {
    const harness: Harness = await startHarness({
      // The replace/queue's latency marks the moment: its confirmation read will fail once.
      sandboxSleep: async (ms, clock) => {
        if (ms === 7) harness.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'status', status: 500, times: 1 });
        clock.advance(ms);
      },
    });
    h = harness;
    harness.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: 7, times: 1 });
    const { output } = await harness.service.handoff({ conversationId: harness.sandbox.scenarios.lowConfidence, mode: 'api' });
    assert.equal(output.status, 'transferred');
    assert.equal(harness.apiCalls()['getConversationsMessage'], 1 + 2);
    assert.equal(harness.apiCalls()['patchRoutingConversation'], 1);
  });

  it('when the standalone hand-to-queue transfer is not applied, then it says transfer_unconfirmed too', async () => {
    h = await startHarness();
    h.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferNotApplied', times: 1 });
    const out = await h.service.handToQueue({ conversationId: h.sandbox.scenarios.lowConfidence, mode: 'api' });
    assert.deepEqual([out.status, out.transferred], ['transfer_unconfirmed', false]);
    assert.equal(h.apiCalls()['patchRoutingConversation'], undefined);
  });
});
