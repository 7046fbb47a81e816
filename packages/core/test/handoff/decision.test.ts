import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  decide,
  parseConfidence,
  readIntentFromAttributes,
  readIntentFromInputs,
  readIntentFromTurns,
} from '../../src/handoff/decision.js';

const policy = { threshold: 0.7, onUnknownIntent: 'handoff' as const };

describe('handoff/decision', () => {
  describe('decide', () => {
    it('when confidence is below the threshold, then a handoff is recommended', () => {
      const out = decide({ intent: 'CancelOrder', confidence: 0.42, source: 'participantData' }, policy);
      assert.equal(out.status, 'handoff_recommended');
      assert.equal(out.handoffRecommended, true);
      assert.equal(out.intent, 'CancelOrder');
      assert.equal(out.confidence, 0.42);
      assert.equal(out.source, 'participantData');
      assert.equal(out.threshold, 0.7);
      assert.match(out.message, /0\.42.*CancelOrder.*below the threshold 0\.70/);
    });

    it('when confidence equals the threshold, then the bot keeps it (the seed: >= keeps)', () => {
      const out = decide({ intent: 'x', confidence: 0.7, source: 'inputs' }, policy);
      assert.equal(out.status, 'bot_keeps');
      assert.equal(out.handoffRecommended, false);
    });

    it('when a per-call threshold is higher, then the same confidence hands off', () => {
      assert.equal(
        decide({ intent: 'x', confidence: 0.8, source: 'inputs' }, policy).handoffRecommended,
        false,
      );
      assert.equal(
        decide({ intent: 'x', confidence: 0.8, source: 'inputs' }, { ...policy, threshold: 0.9 })
          .handoffRecommended,
        true,
      );
    });

    it('when no source answers, then the outcome is unknown with the reason, and the policy decides', () => {
      const handoff = decide(undefined, policy, 'no bot flow id');
      assert.equal(handoff.status, 'unknown');
      assert.equal(handoff.source, 'none');
      assert.equal(handoff.handoffRecommended, true);
      assert.match(handoff.message, /no bot flow id/);
      const keep = decide(undefined, { ...policy, onUnknownIntent: 'keep' }, 'why');
      assert.equal(keep.status, 'unknown');
      assert.equal(keep.handoffRecommended, false);
    });
  });

  describe('sources', () => {
    it('inputs: a confidence makes a reading (intent optional); no confidence makes none', () => {
      assert.deepEqual(readIntentFromInputs({ intent: 'A', confidence: 0.3 }), {
        intent: 'A',
        confidence: 0.3,
        source: 'inputs',
      });
      assert.deepEqual(readIntentFromInputs({ confidence: 0 }), {
        intent: '',
        confidence: 0,
        source: 'inputs',
      });
      assert.equal(readIntentFromInputs({ intent: 'A' }), undefined);
    });

    it('participant data: reads the configured names; a non-numeric or out-of-range value is a problem, not a guess', () => {
      const names = { intent: 'my.intent', confidence: 'my.conf' };
      const ok = readIntentFromAttributes({ 'my.intent': 'Refund', 'my.conf': '0.55' }, names);
      assert.deepEqual(ok.reading, { intent: 'Refund', confidence: 0.55, source: 'participantData' });
      const missing = readIntentFromAttributes({ 'bot.confidence': '0.5' }, names);
      assert.equal(missing.reading, undefined);
      assert.match('problem' in missing ? missing.problem : '', /no 'my\.conf'/);
      for (const bad of ['high', '87', '-0.1', '']) {
        assert.equal(readIntentFromAttributes({ 'my.conf': bad }, names).reading, undefined, bad);
      }
    });

    it('parseConfidence accepts 0..1 numbers and numeric strings only', () => {
      assert.equal(parseConfidence(' 0.93 '), 0.93);
      assert.equal(parseConfidence(1), 1);
      assert.equal(parseConfidence('1.01'), undefined);
      assert.equal(parseConfidence(Number.NaN), undefined);
      assert.equal(parseConfidence(undefined), undefined);
    });

    it('reporting turns: the latest turn with an intent wins, whatever the list order', () => {
      const reading = readIntentFromTurns([
        { dateCompleted: '2026-01-01T10:00:05Z', intent: { name: 'Late', confidence: 0.35 } },
        { dateCompleted: '2026-01-01T10:00:01Z', intent: { name: 'Early', confidence: 0.9 } },
        { dateCompleted: '2026-01-01T10:00:09Z' },
      ]);
      assert.deepEqual(reading, { intent: 'Late', confidence: 0.35, source: 'botFlowAnalytics' });
      assert.equal(
        readIntentFromTurns([{ dateCompleted: '2026-01-01T10:00:09Z', userInput: 'hi' }]),
        undefined,
      );
    });
  });
});
