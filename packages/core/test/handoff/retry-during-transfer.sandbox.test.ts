import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { BatonError, HandoffInProgressError } from '../../src/errors.js';
import { startHarness, type Harness } from './harness.js';

/** Real time for the retry's idempotency poll (in memory: about once a second) to run. */
const realPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Hardening #13: an Architect retry arriving while the first run's `replace/queue` is still waiting
 * for Genesys (a sent write may answer for up to writeSettleMs past the deadline) must not claim
 * the conversation again and repeat every write.
 */
describe('a retry while the first transfer is still in flight (sandbox)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when the retry comes after the first run\'s deadline but before its transfer answered, then it does not transfer again and gets handoff_in_progress; later repeats get the first outcome', async () => {
    let duringTransfer: (() => Promise<void>) | undefined;
    const harness = await startHarness({
      // The 12 s latency of the first replace/queue: time passes (virtually) while it is in flight,
      // and the retry runs in the middle of it.
      sandboxSleep: async (ms, clock) => {
        const during = ms === 12_000 ? duringTransfer : undefined;
        if (!during) {
          clock.advance(ms);
          return;
        }
        duringTransfer = undefined;
        await during();
        clock.advance(ms - (clock.now() - transferSentAt));
      },
    });
    h = harness;
    const cid = harness.sandbox.scenarios.lowConfidence;
    harness.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: 12_000, times: 1 });
    const started = harness.clock.now();
    let transferSentAt = started;
    let retryOutcome: unknown;
    duringTransfer = async () => {
      transferSentAt = harness.clock.now();
      // 6 s after the first request (whose 2 s budget is long gone: the bridge answered 504).
      harness.clock.advance(started + 6000 - harness.clock.now());
      const retry = harness.service.handoff({ conversationId: cid, mode: 'api', budgetMs: 2000 }).then(
        (result) => result,
        (error: unknown) => error,
      );
      // Past the first run's deadline + 5 s (where its claim used to lapse), before the retry's own deadline.
      await realPause(20);
      harness.clock.advance(1200);
      await realPause(1100);
      // Past the retry's deadline.
      harness.clock.advance(1000);
      retryOutcome = await retry;
    };

    const first = await harness.service.handoff({ conversationId: cid, mode: 'api', budgetMs: 2000 });

    const calls = harness.apiCalls();
    assert.equal(calls['postConversationParticipantReplaceQueue'], 1, 'exactly one transfer');
    assert.equal(calls['postConversationsMessageCommunicationMessages'], 1, 'exactly one "please wait"');
    assert.equal(harness.sandbox.org.transfers.length, 1);
    assert.equal(harness.sandbox.org.sentMessages.length, 1);
    assert.ok(retryOutcome instanceof BatonError, `the retry answered ${JSON.stringify(retryOutcome)}`);
    assert.equal(retryOutcome.code, 'handoff_in_progress');
    assert.ok(retryOutcome instanceof HandoffInProgressError);
    assert.match(retryOutcome.message, /still running.*run it again/);

    // The transfer answered after the deadline, and was read back: the stored outcome is the true one.
    assert.equal(first.output.status, 'transferred');
    // The first run finished (its transfer answered): a later retry gets its outcome, reading only the conversation (the key).
    harness.sandbox.counters.reset();
    const later = await harness.service.handoff({ conversationId: cid, mode: 'api', budgetMs: 2000 });
    assert.deepEqual(later.output, first.output);
    assert.deepEqual(harness.apiCalls(), { getConversationsMessage: 1 });
  });
});
