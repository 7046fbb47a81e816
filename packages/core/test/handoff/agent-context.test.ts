import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  AGENT_CONTEXT_KEYS,
  ATTRIBUTE_VALUE_LIMIT,
  buildAgentContextAttributes,
  chunkText,
  transcriptFromAttributes,
} from '../../src/handoff/agent-context.js';

describe('handoff/agent-context', () => {
  describe('chunkText', () => {
    it('when text is long, then every chunk is at most 256 characters and they join back to the text', () => {
      const text = Array.from(
        { length: 60 },
        (_, i) => `[customer] message number ${i} with some words in it`,
      ).join('\n');
      const chunks = chunkText(text);
      assert.ok(chunks.length > 1);
      for (const c of chunks) assert.ok(c.length <= ATTRIBUTE_VALUE_LIMIT, `chunk of ${c.length}`);
      assert.equal(chunks.join(''), text);
      // Breaks fall after a newline when one is in the second half of the window.
      assert.ok(chunks.slice(0, -1).every((c) => c.endsWith('\n')));
    });

    it('when there is no space to break at, then it cuts at the limit', () => {
      const text = 'x'.repeat(600);
      assert.deepEqual(
        chunkText(text).map((c) => c.length),
        [256, 256, 88],
      );
    });

    it('never splits a surrogate pair', () => {
      const text = `${'a'.repeat(255)}😀${'b'.repeat(10)}`;
      const chunks = chunkText(text);
      assert.equal(chunks[0], 'a'.repeat(255));
      assert.equal(chunks.join(''), text);
    });

    it('short and empty texts', () => {
      assert.deepEqual(chunkText('hi'), ['hi']);
      assert.deepEqual(chunkText(''), []);
    });
  });

  describe('buildAgentContextAttributes', () => {
    it('writes agent-visible keys, transcript parts and machine keys, every value within 256 characters', () => {
      const transcript = 'T'.repeat(700);
      const attrs = buildAgentContextAttributes({
        handoffId: 'h-1',
        queueId: 'q-1',
        intent: 'CancelOrder',
        confidence: 0.4242,
        reason: 'r'.repeat(400),
        transcript,
      });
      assert.equal(attrs['conversationDetails.participantData.Baton Intent'], 'CancelOrder');
      assert.equal(attrs['conversationDetails.participantData.Baton Confidence'], '0.42');
      assert.equal(attrs['conversationDetails.participantData.Baton Reason']?.length, 256);
      assert.ok(attrs['conversationDetails.participantData.Baton Reason']?.endsWith('…'));
      assert.equal(attrs['conversationDetails.participantData.Baton Transcript 1']?.length, 256);
      assert.equal(attrs['conversationDetails.participantData.Baton Transcript 3']?.length, 188);
      assert.equal(attrs['conversationDetails.participantData.Baton Transcript 4'], undefined);
      assert.equal(attrs[AGENT_CONTEXT_KEYS.handoffId], 'h-1');
      assert.equal(attrs[AGENT_CONTEXT_KEYS.queueId], 'q-1');
      assert.equal(attrs[AGENT_CONTEXT_KEYS.transcriptParts], '3');
      for (const value of Object.values(attrs)) assert.ok(value.length <= 256);
      assert.equal(transcriptFromAttributes(attrs), transcript);
    });

    it('leaves out what is not known (no intent, no confidence)', () => {
      const attrs = buildAgentContextAttributes({ handoffId: 'h', queueId: 'q' });
      assert.deepEqual(Object.keys(attrs).sort(), [
        'baton.handoffId',
        'baton.queueId',
        'baton.transcriptParts',
      ]);
    });
  });
});
