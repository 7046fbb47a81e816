import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { MAX_BULK_MESSAGE_IDS, messageIdLimit } from '../../src/handoff/transcript.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue #14, section 6: `POST .../messages/bulk` asked for up to 1,000 bodies (and sent
 * `useNormalizedMessage`, which SDK 262's operation no longer has) when the transcript budget can
 * show a fraction of them.
 */
describe('POST .../messages/bulk: only the newest ids the transcript can use, nothing SDK 262 does not define', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Every bulk request the client sends: its URL and its id array. */
  const startRecording = async (maxChars: number) => {
    const bulk: { url: string; ids: string[] }[] = [];
    h = await startHarness({
      config: { transcript: { maxChars, mask: false, prefix: '' } },
      fetch: (url, init) => {
        if (url.includes('/messages/bulk')) bulk.push({ url, ids: JSON.parse(String(init.body)) as string[] });
        return fetch(url, init);
      },
    });
    return bulk;
  };

  /** 900 short messages a second apart, listed shuffled: the newest ids are not the last listed. */
  const longConversation = (harness: Harness): string =>
    harness.sandbox.org.addConversation({
      startedAt: -2 * 86_400,
      listOrder: 'shuffled',
      messages: Array.from({ length: 900 }, (_, i) => ({ from: i % 2 === 0 ? ('customer' as const) : ('bot' as const), text: `m${i}`, at: i })),
    });

  it('when the conversation has more messages than the budget can show, then one bulk call asks for the newest messageIdLimit(maxChars) ids only', async () => {
    const bulk = await startRecording(2_000);
    const id = longConversation(h!);
    const out = await h!.service.buildTranscript({ conversationId: id });
    assert.equal(bulk.length, 1);
    const limit = messageIdLimit(2_000);
    assert.ok(limit < 900 && limit < MAX_BULK_MESSAGE_IDS);
    const newest = h!.sandbox.org.getConversation(id)!.messages.slice(-limit).map((m) => m.id);
    assert.deepEqual([...bulk[0]!.ids].sort(), [...newest].sort());
    // The transcript still ends with the newest message, in timestamp order.
    assert.match(out.transcript, /\[customer\] m898\n\[bot\] m899$/);
    assert.equal(out.messageCount + out.droppedCount, 900);
  });

  it('when the bulk call is sent, then its URL carries no useNormalizedMessage (SDK 262 has no such parameter)', async () => {
    const bulk = await startRecording(4_000);
    await h!.service.buildTranscript({ conversationId: h!.sandbox.scenarios.lowConfidence });
    assert.equal(bulk.length, 1);
    assert.equal(new URL(bulk[0]!.url).search, '');
  });
});
