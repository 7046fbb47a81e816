import assert from 'node:assert/strict';
import { createManualClock } from '@baton/core/testing';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createRuntime, type BridgeRuntime } from '../src/runtime.js';

describe('bridge runtime: one clock for the client, the stores and the handoff steps', () => {
  let runtime: BridgeRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it('when a clock is given, then the handoff steps, the idempotency records and the Genesys token all keep its time', async () => {
    const clock = createManualClock(Date.parse('2031-05-04T10:00:00Z'));
    runtime = await createRuntime(loadConfig({}), { logger: createLogger({ level: 'silent' }), clock });
    const conversationId = runtime.sandbox!.scenarios.lowConfidence;

    const first = await runtime.steps.handoff({ conversationId }, {});
    assert.equal(first.trace.startedAt, '2031-05-04T10:00:00.000Z', 'the trace is stamped by the given clock');
    assert.equal(runtime.sandbox!.counters.snapshot().tokenRequests, 1);

    // A repeat within the idempotency TTL gets the stored outcome, reading only the conversation (its session is the key).
    runtime.sandbox!.counters.reset();
    assert.deepEqual((await runtime.steps.handoff({ conversationId }, {})).output, first.output);
    assert.deepEqual(runtime.sandbox!.counters.snapshot().byRoute, { getConversationsMessage: 1 });

    // The stores' records expire by the given clock.
    assert.equal((await runtime.stores.idempotency.claim('runtime-clock', 1000)).kind, 'claimed');
    clock.advance(1001);
    assert.equal((await runtime.stores.idempotency.claim('runtime-clock', 1000)).kind, 'claimed', 'the first claim expired on the given clock');

    // Past the token's lifetime on the given clock (not on the wall clock): the next call logs in again.
    clock.advance(24 * 60 * 60_000);
    await runtime.genesys.listQueues();
    assert.equal(runtime.sandbox!.counters.snapshot().tokenRequests, 1, 'a fresh login once the clock says the token expired');
  });
});
