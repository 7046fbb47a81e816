import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { BatonError } from '../../src/errors.js';
import { CONFIRM_WAITS_MS } from '../../src/handoff/delivery.js';
import { startHarness, type Harness } from './harness.js';

/** Real time for a request to reach its idempotency wait before the test moves the virtual clock. */
const realPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Issue #14, section 5: `replace/queue` answers 202 and Genesys applies the transfer later
 * (docs/genesys-facts.md#transfer-to-a-queue); the sandbox now does so by default (200 ms). The
 * priority is set only once the queue participant shows, and "re-running is safe, it re-reads the
 * conversation" must never send a second transfer while the first is still being applied.
 */
describe('api mode with a transfer Genesys applies after its 202 (sandbox)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when the sandbox applies the transfer later (its default), then the handoff waits for the queue participant, then sets the priority', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.lowConfidence;
    const { output, trace } = await h.service.handoff({ conversationId: cid, mode: 'api', priority: 9 });
    assert.equal(output.status, 'transferred', output.message);
    assert.equal(h.sandbox.org.priorityOf(cid), 9);
    assert.equal(output.waitMessage, 'Transferring to human support. Please wait.', 'api mode returns waitMessage for the flow\'s own Send Response too');
    assert.deepEqual(
      trace.calls.map((c) => c.route).slice(-3),
      ['postConversationParticipantReplaceQueue', 'getConversationsMessage', 'patchRoutingConversation'],
    );
    assert.deepEqual(h.clock.sleeps, [CONFIRM_WAITS_MS[0]], 'one wait, then the read that sees it in queue');
  });

  it('when the answer to the transfer is lost but Genesys applies it, then the handoff reads it back, and a re-run sends no second transfer', async () => {
    h = await startHarness();
    const cid = h.sandbox.scenarios.lowConfidence;
    h.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'answerLost', times: 1 });
    const first = await h.service.handoff({ conversationId: cid, mode: 'api' }).then((r) => r.output, (e: unknown) => e);
    const again = await h.service.handoff({ conversationId: cid, mode: 'api' }).then((r) => r.output, (e: unknown) => e);

    assert.equal(h.apiCalls()['postConversationParticipantReplaceQueue'], 1, 'one transfer, never a second');
    assert.ok(!(first instanceof Error), `the first run failed: ${String(first)}`);
    assert.equal((first as { status: string }).status, 'transferred');
    assert.match((first as { message: string }).message, /answer to the transfer was lost.*shows it in queue/);
    assert.deepEqual(again, first, 'the re-run gets the first run\'s outcome');
  });

  it('when the answer is lost and the transfer is still not applied after the waits, then the claim is not given back: a re-run meanwhile transfers nothing, a later one finds it in queue', async () => {
    h = await startHarness();
    const harness = h;
    const cid = harness.sandbox.scenarios.lowConfidence;
    harness.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'answerLost', times: 1 });
    harness.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'transferDelayed', ms: 5000, times: 1 });

    const first = await harness.service.handoff({ conversationId: cid, mode: 'api' }).then(() => undefined, (e: unknown) => e);
    assert.ok(first instanceof BatonError && first.code === 'handoff_incomplete', String(first));
    assert.equal(first.details['transferOutcome'], 'unknown');

    // Architect retries at once: the conversation still shows the flow (the transfer is pending).
    const rerun = harness.service.handoff({ conversationId: cid, mode: 'api', budgetMs: 2000 }).then(() => undefined, (e: unknown) => e);
    await realPause(30);
    harness.clock.advance(1000);
    await realPause(30);
    harness.clock.advance(1100);
    const waited = await rerun;
    assert.ok(waited instanceof BatonError && waited.code === 'handoff_in_progress', String(waited));
    assert.equal(harness.apiCalls()['postConversationParticipantReplaceQueue'], 1, 'the re-run sent no second transfer');

    // Once the first run's claim lapsed, a run re-reads the conversation: the transfer happened.
    harness.clock.advance(120_000);
    const later = await harness.service.handoff({ conversationId: cid, mode: 'api' });
    assert.equal(later.output.status, 'already_handed_off', later.output.message);
    assert.equal(harness.apiCalls()['postConversationParticipantReplaceQueue'], 1);
    assert.equal(harness.sandbox.org.transfers.length, 1);
  });
});
