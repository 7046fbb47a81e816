import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import type { HandToQueueOutput } from '../../src/contracts/hand-to-queue.js';
import type { HandoffOutput } from '../../src/contracts/handoff.js';
import { asHandedOff, toStored, type HandedOff } from '../../src/handoff/handed-off.js';
import { startHarness, type Harness } from './harness.js';

/** Step 3's answer as the pipeline builds a handoff's from it (pipeline.ts: placedFields, contextFields, message). */
function queuedOf(handoff: HandoffOutput, message: string, attributesWritten: number): HandToQueueOutput {
  const { status, mode, queueId, queueName, priority, routingRule, waitMessage, transferred, writeContext } = handoff;
  const { contextSummary, contextIntent, contextExitReason, contextConfidence, contextLastMessage, contextBotTried, contextSlots, contextTrimmed } = handoff;
  return {
    status: status as HandToQueueOutput['status'],
    mode,
    queueId,
    queueName,
    priority,
    routingRule,
    waitMessage,
    transferred,
    attributesWritten,
    writeContext,
    contextSummary, contextIntent, contextExitReason, contextConfidence, contextLastMessage, contextBotTried, contextSlots, contextTrimmed,
    message,
  };
}

/** Through JSON, as both stores keep it. */
const roundTrip = (kept: HandedOff): HandedOff => asHandedOff(JSON.parse(JSON.stringify(toStored(kept))) as Parameters<typeof asHandedOff>[0]);

describe('the kept idempotency record: one answer, both endpoints replayed (issue 17)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when a handoff wrote, then its record keeps the handoff answer once, not step 3’s answer beside it, and a repeated hand-to-queue gets step 3’s answer back', async () => {
    h = await startHarness();
    const stored: unknown[] = [];
    const complete = h.idempotency.complete.bind(h.idempotency);
    h.idempotency.complete = (key, result, ttlMs) => {
      stored.push(result);
      return complete(key, result, ttlMs);
    };
    const cid = h.sandbox.scenarios.lowConfidence;
    const { output } = await h.service.handoff({ conversationId: cid, mode: 'api' });
    assert.equal(output.status, 'transferred');
    assert.equal(stored.length, 1);
    const record = stored[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(record).sort(), ['handoff', 'handoffId', 'queued']);
    assert.deepEqual(record.handoff, output);

    h.sandbox.counters.reset();
    const again = await h.service.handToQueue({ conversationId: cid, mode: 'api' });
    assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 }, 'a repeat: one read, nothing written');
    assert.ok(again.attributesWritten > 0);
    assert.ok(again.message.length > 0 && output.message.endsWith(` ${again.message}`), 'step 3’s own message, the tail of the handoff’s');
    assert.deepEqual(again, queuedOf(output, again.message, again.attributesWritten));
    // Smaller than what was kept before: both answers.
    assert.ok(JSON.stringify(record).length < JSON.stringify({ handoffId: output.handoffId, handToQueue: again, handoff: output }).length * 0.8);
  });

  it('when a handoff and its step-3 answer are stored, then reading the record gives both exactly back', async () => {
    h = await startHarness();
    const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence });
    assert.equal(output.status, 'ready_for_transfer');
    const handToQueue = queuedOf(output, output.message.slice(output.message.lastIndexOf('. ') + 2), 7);
    const kept: HandedOff = { handoffId: output.handoffId, handToQueue, handoff: output };
    assert.deepEqual(roundTrip(kept), kept);
    assert.ok(!('handToQueue' in (toStored(kept) as object)));
  });

  it('when step 3’s answer differs from what the handoff took from it, or no handoff ran, then the record keeps it whole', async () => {
    h = await startHarness();
    const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence });
    const odd: HandedOff = { handoffId: output.handoffId, handToQueue: { ...queuedOf(output, 'queued.', 3), writeContext: output.writeContext === 'flow' ? 'bridge' : 'flow' }, handoff: output };
    assert.deepEqual(toStored(odd), odd);
    assert.deepEqual(roundTrip(odd), odd);
    const notSuffix: HandedOff = { ...odd, handToQueue: queuedOf(output, 'a message the handoff does not end with', 3) };
    assert.deepEqual(roundTrip(notSuffix), notSuffix);
    const standalone: HandedOff = { handoffId: output.handoffId, handToQueue: queuedOf(output, 'queued.', 3) };
    assert.deepEqual(toStored(standalone), standalone);
    assert.deepEqual(roundTrip(standalone), standalone);
  });

  it('when a record was kept by a replica from before (both answers), then it is still read as it was', () => {
    const handoff = { status: 'ready_for_transfer', message: 'm', handoffId: 'h1' } as HandoffOutput;
    const legacy: HandedOff = { handoffId: 'h1', handToQueue: { status: 'ready_for_transfer', message: 'q' } as HandToQueueOutput, handoff };
    assert.deepEqual(asHandedOff(JSON.parse(JSON.stringify(legacy)) as HandedOff), legacy);
  });
});
