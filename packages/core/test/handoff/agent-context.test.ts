import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  AGENT_CONTEXT_KEYS,
  ATTRIBUTE_VALUE_LIMIT,
  ATTRIBUTE_COUNT_LIMIT,
  buildAgentContext,
  chunkText,
  contextAttributes,
  contextOutputs,
  DISPLAY,
  transcriptFromAttributes,
  type ContextFacts,
  type Summariser,
} from '../../src/handoff/agent-context.js';
import type { TranscriptEntry } from '../../src/handoff/transcript.js';

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

  const entry = (speaker: TranscriptEntry['speaker'], text: string, at: number): TranscriptEntry => ({ id: `m${at}`, speaker, text, at });
  const CONVERSATION: TranscriptEntry[] = [
    entry('bot', 'Hi! How can I help you today?', 1),
    entry('customer', 'hi', 2),
    entry('bot', 'What can I do for you?', 3),
    entry('customer', 'My parcel for order 88812 never arrived and the tracking page shows nothing since Monday', 4),
    entry('bot', 'Would you like me to resend the tracking link?', 5),
    entry('customer', 'agent please', 6),
  ];
  const context = (facts: ContextFacts, includeTranscript = false) =>
    buildAgentContext(facts, { mask: true, includeTranscript });

  describe('buildAgentContext', () => {
    it("when the customer states the problem then asks for a human, then the summary is the problem, and the last message and the bot's last offer are there", () => {
      const c = context({ entries: CONVERSATION, intent: 'TrackParcel', exitReason: 'AgentRequestedByUser' });
      assert.equal(c.summary, 'My parcel for order 88812 never arrived and the tracking page shows nothing since Monday');
      assert.equal(c.lastMessage, 'agent please');
      assert.equal(c.botTried, '3 bot turns; last: Would you like me to resend the tracking link?');
      assert.equal(c.intent, 'TrackParcel');
      assert.equal(c.exitReason, 'AgentRequestedByUser');
      assert.equal(c.confidence, '', 'no confidence unless a source knew it');
      assert.equal(c.transcript, '', 'the transcript is off by default');
    });

    it('when the intent is NOT_SET, then there is no intent; customer text is masked', () => {
      const c = context({
        intent: 'NOT_SET',
        confidence: 0.4242,
        entries: [entry('customer', 'please call me back on +44 20 7946 0958 about my refund request', 1)],
      });
      assert.equal(c.intent, '');
      assert.equal(c.confidence, '0.42');
      assert.equal(c.summary, 'please call me back on [phone] about my refund request');
      assert.equal(c.lastMessage, c.summary);
    });

    it('when another summariser is injected, then it is used', () => {
      const summariser: Summariser = { summarise: (entries) => `${entries.length} entries` };
      const c = buildAgentContext({ entries: CONVERSATION }, { mask: false, includeTranscript: false, summariser });
      assert.equal(c.summary, '6 entries');
    });

    it('the summary is one line within the attribute limit, its prefix included', () => {
      const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
      const c = context({ entries: [entry('customer', long, 1)] });
      assert.ok(c.summary.length + DISPLAY.longtext.length <= ATTRIBUTE_VALUE_LIMIT);
      assert.ok(c.summary.endsWith('…'));
      assert.ok(long.startsWith(c.summary.slice(0, -1)), 'cut after a whole word');
    });
  });

  describe('contextAttributes (the participant-data budget)', () => {
    it('writes the context with display prefixes and machine keys, and no transcript unless asked', () => {
      const c = context({ entries: CONVERSATION, intent: 'TrackParcel', exitReason: 'AgentRequestedByUser', confidence: 0.3, slots: { orderId: '88812' } });
      const { attributes, trimmed } = contextAttributes(c, { handoffId: 'h-1', queueId: 'q-1' });
      assert.deepEqual(trimmed, []);
      assert.equal(attributes[AGENT_CONTEXT_KEYS.summary], `longtext:${c.summary}`);
      assert.equal(attributes[AGENT_CONTEXT_KEYS.intent], 'identifier:TrackParcel');
      assert.equal(attributes[AGENT_CONTEXT_KEYS.exitReason], 'AgentRequestedByUser');
      assert.equal(attributes[AGENT_CONTEXT_KEYS.confidence], 'number:0.30');
      assert.equal(attributes[AGENT_CONTEXT_KEYS.lastMessage], 'longtext:agent please');
      assert.equal(attributes[AGENT_CONTEXT_KEYS.slot('orderId')], '88812');
      assert.equal(attributes[AGENT_CONTEXT_KEYS.handoffId], 'h-1');
      assert.equal(attributes[AGENT_CONTEXT_KEYS.queueId], 'q-1');
      assert.equal(Object.keys(attributes).filter((k) => k.includes('Transcript')).length, 0);
      assert.equal(attributes[AGENT_CONTEXT_KEYS.transcriptParts], undefined);
    });

    it('when the transcript is asked for, then it is written in parts that read back whole', () => {
      const transcript = 'T'.repeat(700);
      const c = context({ transcript }, true);
      const { attributes } = contextAttributes(c, { handoffId: 'h', queueId: 'q' });
      assert.equal(attributes[AGENT_CONTEXT_KEYS.transcriptParts], '3');
      for (const value of Object.values(attributes)) assert.ok(value.length <= ATTRIBUTE_VALUE_LIMIT);
      assert.equal(transcriptFromAttributes(attributes), transcript);
    });

    it('when there are many long slots, then no value passes 256, the customer keeps at most 50 attributes, and what was trimmed is reported', () => {
      const slots = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`slot${i}`, 'v'.repeat(300)]));
      const existing = Array.from({ length: 5 }, (_, i) => `bot.data${i}`);
      const c = context({ entries: CONVERSATION, intent: 'X', slots, transcript: 'T'.repeat(2000) }, true);
      const { attributes, trimmed } = contextAttributes(c, { handoffId: 'h', queueId: 'q' }, existing);
      for (const value of Object.values(attributes)) assert.ok(value.length <= ATTRIBUTE_VALUE_LIMIT);
      const written = Object.keys(attributes).length;
      assert.equal(written + existing.length, ATTRIBUTE_COUNT_LIMIT);
      const slotsWritten = Object.keys(attributes).filter((k) => k.includes('Baton Slot ')).length;
      assert.ok(slotsWritten > 0 && slotsWritten < 70);
      assert.ok(trimmed.includes(`${70 - slotsWritten} slots left out (50-attribute limit)`), trimmed.join(' | '));
      assert.ok(trimmed.includes('Baton Slot slot0 cut to 256 characters'));
      assert.ok(trimmed.some((t) => t.startsWith('baton.transcriptParts left out')), 'the transcript comes last');
    });
  });

  describe('contextOutputs (writeContext flow)', () => {
    it('gives flat values for Set Participant Data, each within 256, the slots on one line', () => {
      const c = context({ entries: CONVERSATION, intent: 'TrackParcel', slots: { orderId: '88812', note: 'n'.repeat(300) } });
      const out = contextOutputs(c, []);
      assert.equal(out.contextIntent, 'identifier:TrackParcel');
      assert.equal(out.contextConfidence, '');
      assert.ok(out.contextSlots.startsWith('longtext:orderId=88812; note=nnn'));
      for (const value of Object.values(out)) assert.ok(value.length <= ATTRIBUTE_VALUE_LIMIT);
      assert.equal(out.contextTrimmed, 'Baton Slots cut to 256 characters');
    });
  });
});
