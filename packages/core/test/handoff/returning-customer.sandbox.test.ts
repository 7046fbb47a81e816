import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue #14, section 4: within the messaging threading timeline a customer who writes again
 * continues the same conversation id, the earlier session's flow, queue and agent participants
 * disconnected (docs/genesys-facts.md#messaging-threading-timeline). A handoff belongs to the
 * session, not to the conversation: keyed by conversation id, the second session's handoff was
 * answered from the first one's (nothing written, nothing transferred), and its transcript repeated
 * the first session the agent had already handled.
 */
describe('a returning customer (sandbox)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when a customer handed to an agent comes back within the idempotency TTL, then they are handed off again, and a repeat within that session is answered once', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.lowConfidence;
    const first = await h.service.handoff({ conversationId: cid, mode: 'api' });
    assert.equal(first.output.status, 'transferred');
    h.sandbox.org.connectAgent(cid);
    const { customer, flow } = h.sandbox.org.customerReturns(cid, ['Hello again, the replacement never came']);

    const second = await h.service.handoff({ conversationId: cid, mode: 'api' });
    assert.equal(second.output.status, 'transferred', second.output.message);
    assert.notEqual(second.output.handoffId, first.output.handoffId);
    assert.deepEqual(
      h.sandbox.org.transfers.map((t) => t.participantId),
      [first.trace.calls.find((c) => c.route === 'postConversationParticipantReplaceQueue')?.path.split('/')[6], flow.id],
      'the second transfer replaces the new flow participant',
    );
    assert.equal(h.sandbox.org.customerAttributes(cid)?.['baton.handoffId'], second.output.handoffId);
    assert.equal(customer.attributes['baton.handoffId'], second.output.handoffId, 'the context goes to the returning customer');

    h.sandbox.counters.reset();
    const repeat = await h.service.handoff({ conversationId: cid, mode: 'api' });
    assert.deepEqual(repeat.output, second.output);
    assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 }, 'a repeat reads the conversation (its session is the key) and writes nothing');
    assert.equal(h.sandbox.org.transfers.length, 2);
  });

  it('when the returning customer is handed off, then the context starts at their second session', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.returningCustomer;
    const { output } = await h.service.handoff({ conversationId: cid, intent: 'Damaged', confidence: 0.2 });
    assert.equal(output.status, 'ready_for_transfer', output.message);
    assert.match(output.transcript, /the parcel I ordered instead is damaged/);
    assert.match(output.transcript, /I want to speak to a person/);
    assert.doesNotMatch(output.transcript, /refund for order 5521|refund was issued/, 'the first session stays out');
    assert.equal(output.messageCount, 3);

    const alone = await h.service.buildTranscript({ conversationId: cid });
    assert.equal(alone.messageCount, 3);
  });

  it('when the first session was handed to a queue that is now disconnected, then the returning customer is not "already handed off"', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.returningCustomer;
    const out = await h.service.handToQueue({ conversationId: cid, mode: 'api' });
    assert.equal(out.status, 'transferred', out.message);
    assert.equal(h.sandbox.org.transfers.length, 1);
  });
});
